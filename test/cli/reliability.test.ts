// Nothing lost: failing runs, crashing workers, interrupts, SIGKILL and resume, locks, verify.
// Interrupts never depend on how fast training is: the failpoint (src/sweep/failpoint.ts) holds
// runs until the test has sent its signal. Signals, exit codes, locks and what a user reads go through
// the CLI; the sweeps around them (a clean reference, a resume) run in-process, and a resume's reused
// runs are read from the manifest.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv, runCli, startCli, waitUntil, workspace, type RunningCli } from '../helpers/cli.js';
import { sweepInProcess } from '../helpers/in-process.js';
import { sweepCaptured, verifyInProcess } from '../helpers/in-process-commands.js';
import { readManifest } from '../../src/output/manifest.js';
import { xorExperiment } from '../helpers/xor-experiment.js';

/** The blog's XOR network sweeping the learning rate. */
const xorSweep = (name: string, learningRates: number[], epochs = 2000) => xorExperiment(name, epochs, 'train.learning_rate', learningRates);

const rates = (n: number) => Array.from({ length: n }, (_, i) => Number((0.1 * (i + 1)).toFixed(1)));

/** The failpoint setting that holds runs `from`..`to` (1-based, inclusive). */
const hold = (kind: 'hold' | 'slow', from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${kind}@${from + i}`).join(',');

const storedRuns = (runsDir: string) => (existsSync(runsDir) ? readdirSync(runsDir).filter((f) => f.endsWith('.json')).length : 0);

/** Which runs of a result folder were reused from its runs/ (from its manifest). */
const reusedRuns = async (out: string) => (await readManifest(out)).runs.map((run) => run.reused);

/** Waits until the sweep has stored at least `count` runs in `runsDir`. */
const waitForStored = (cli: RunningCli, runsDir: string, count: number) =>
  waitUntil(cli, `${count} runs were stored`, () => storedRuns(runsDir) >= count);

describe('failures stay inside their run', () => {
  it('a run that throws, a worker that exits and one that runs out of memory: those runs are failed with their messages, the others finish, exit 1', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('fail', [0.5, 1, 2, 5, 10, 20], 500));
    const result = await runCli(['sweep', 'e.yaml', '--workers', '2', '--out', 'out'], {
      cwd: dir,
      env: { GRADGRID_FAILPOINT: 'throw@2,exit@4,oom@5', GRADGRID_WORKER_MEMORY_MB: '64' },
    });
    expect(result.code, result.stderr).toBe(1);
    const summary = readCsv(join(dir, 'out/summary.csv'));
    expect(summary.map((row) => row.status === 'failed')).toEqual([false, true, false, true, true, false]);
    expect(summary[1].error).toMatch(/injected failure in run 2/);
    expect(summary[3].error).toMatch(/worker exited/);
    expect(summary[4].error).toMatch(/out of memory/);
    for (const failed of [summary[1], summary[3], summary[4]]) expect(failed.final_cost).toBe('');
    const curves = readCsv(join(dir, 'out/curves.csv'));
    expect(new Set(curves.map((row) => row.run))).toEqual(new Set(['1', '3', '6']));
    expect(existsSync(join(dir, 'out/report.html'))).toBe(true);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a grid point that makes explicit weights the wrong shape is caught before anything runs', async () => {
    const dir = workspace();
    writeFileSync(
      join(dir, 'e.yaml'),
      `name: shapes
dataset: { builtin: or }
model:
  - { linear: 1, weights: [[0.1, 0.6]], bias: [[0]] }
  - sigmoid
loss: squared_error
train: { epochs: 50, learning_rate: 1 }
sweep:
  model.0.linear: [1, 2]
`,
    );
    const result = await sweepCaptured(dir, 'e.yaml', { out: 'out' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/e\.yaml:4:\d+ +model\.0\.weights: expected 2 rows/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('interrupts and resume', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s lets running runs finish, writes what finished, marks the manifest incomplete, exits 130', async (signal) => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('interrupt', rates(8), 300));
    // Runs 1 and 2 finish; every later run waits at its start until the release file exists.
    const release = join(dir, 'release');
    // SIGINT also writes the report of what finished; SIGTERM skips it, as a quicker check.
    const report = signal === 'SIGINT' ? [] : ['--no-report'];
    const cli = startCli(['sweep', 'e.yaml', '--workers', '2', '--out', 'out', ...report], {
      cwd: dir,
      env: { GRADGRID_FAILPOINT: hold('hold', 3, 8), GRADGRID_FAILPOINT_RELEASE: release },
    });
    const runsDir = join(dir, 'out/runs');
    await waitForStored(cli, runsDir, 2);
    cli.child.kill(signal);
    await waitUntil(cli, 'the signal was taken', () => cli.output().stderr.includes(`${signal}: no new runs will start`));
    writeFileSync(release, '');
    const result = await cli.done;
    expect(result.code, result.stderr).toBe(130);
    expect(JSON.parse(readFileSync(join(dir, 'out/manifest.json'), 'utf8')).complete).toBe(false);
    // Runs 1 and 2, and the held runs that were running when the signal came (at most one per worker).
    const summary = readCsv(join(dir, 'out/summary.csv'));
    expect(summary.length, result.stderr).toBeGreaterThanOrEqual(2);
    expect(summary.length, result.stderr).toBeLessThanOrEqual(4);
    expect(summary.map((row) => row.run)).toEqual(summary.map((_, i) => String(i + 1)));
    expect(summary.every((row) => row.status !== 'failed')).toBe(true);
    expect(storedRuns(runsDir)).toBe(summary.length);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(existsSync(join(dir, 'out/report.html'))).toBe(signal === 'SIGINT');
  });

  it('a second Ctrl-C aborts running runs and still writes what finished', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('abort', rates(6), 300));
    // Runs 4 to 6 are held and never released: only the abort ends them.
    const cli = startCli(['sweep', 'e.yaml', '--workers', '2', '--out', 'out', '--no-report'], {
      cwd: dir,
      env: { GRADGRID_FAILPOINT: hold('hold', 4, 6), GRADGRID_FAILPOINT_RELEASE: join(dir, 'never') },
    });
    await waitForStored(cli, join(dir, 'out/runs'), 3);
    cli.child.kill('SIGINT');
    await waitUntil(cli, 'the first Ctrl-C was taken', () => cli.output().stderr.includes('SIGINT: no new runs will start'));
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('SIGINT: aborting running runs');
    const summary = readCsv(join(dir, 'out/summary.csv'));
    expect(summary.map((row) => row.run), result.stderr).toEqual(['1', '2', '3']);
    expect(JSON.parse(readFileSync(join(dir, 'out/manifest.json'), 'utf8')).complete).toBe(false);
  });

  it('a sweep killed with SIGKILL halfway resumes and ends byte-identical to a clean run', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('resume', rates(12), 1000));
    expect(await sweepInProcess(dir, 'e.yaml', { out: 'clean' })).toBe(0);

    // Runs 7 and later wait (failpoint) in this first attempt, so the kill always lands halfway.
    const cli = startCli(['sweep', 'e.yaml', '--out', 'killed', '--no-report'], {
      cwd: dir,
      env: { GRADGRID_FAILPOINT: hold('slow', 7, 12) },
    });
    const runsDir = join(dir, 'killed/runs');
    await waitForStored(cli, runsDir, 3);
    cli.child.kill('SIGKILL');
    await cli.done;
    const storedBefore = storedRuns(runsDir);
    expect(storedBefore).toBeGreaterThanOrEqual(3);
    expect(storedBefore).toBeLessThanOrEqual(6);
    expect(existsSync(join(dir, 'killed/summary.csv'))).toBe(false);

    expect(await sweepInProcess(dir, 'e.yaml', { out: 'killed' })).toBe(0);
    const reused = await reusedRuns(join(dir, 'killed'));
    expect(reused.filter(Boolean)).toHaveLength(storedBefore);
    for (const name of ['summary.csv', 'curves.csv']) {
      expect(readFileSync(join(dir, 'killed', name)).equals(readFileSync(join(dir, 'clean', name))), name).toBe(true);
    }
  });

  it('a resumed sweep writes the same bytes even when costs are Infinity or NaN', async () => {
    const dir = workspace();
    writeFileSync(
      join(dir, 'e.yaml'),
      `name: inf
dataset: { builtin: or }
model:
  - { linear: 1, weights: [[1.0e200, 1.0e200]], bias: [[0]] }
  - identity
loss: squared_error
train: { epochs: 20, learning_rate: 1 }
sweep:
  train.learning_rate: [0.5, 1]
`,
    );
    expect(await sweepInProcess(dir, 'e.yaml', { out: 'out' })).toBe(0);
    const first = readFileSync(join(dir, 'out/summary.csv'), 'utf8');
    expect(first).toMatch(/diverged,1,Infinity,Infinity/);
    expect(await sweepInProcess(dir, 'e.yaml', { out: 'out' })).toBe(0);
    expect(await reusedRuns(join(dir, 'out'))).toEqual([true, true]);
    expect(readFileSync(join(dir, 'out/summary.csv'), 'utf8')).toBe(first);
  });

  it('a widened grid trains only the new points; --fresh recomputes everything', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('widen', [0.5, 1], 300));
    expect(await sweepInProcess(dir, 'e.yaml', { out: 'out' })).toBe(0);
    writeFileSync(join(dir, 'e.yaml'), xorSweep('widen', [0.5, 1, 2], 300));
    expect(await sweepInProcess(dir, 'e.yaml', { out: 'out' })).toBe(0);
    expect(await reusedRuns(join(dir, 'out'))).toEqual([true, true, false]);
    expect(readCsv(join(dir, 'out/summary.csv'))).toHaveLength(3);
    expect(await sweepInProcess(dir, 'e.yaml', { out: 'out', fresh: true })).toBe(0);
    expect(await reusedRuns(join(dir, 'out'))).toEqual([false, false, false]);
  });

  it('refuses to sweep into a folder another live sweep holds', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('locked', [1], 100));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'out'));
    const { hostname } = await import('node:os');
    writeFileSync(join(dir, 'out/.gradgrid.lock'), JSON.stringify({ pid: process.pid, host: hostname() }));
    const result = await runCli(['sweep', 'e.yaml', '--out', 'out', '--no-report'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/in use by another gradgrid sweep/);
    expect(existsSync(join(dir, 'out/summary.csv'))).toBe(false);
    // A lock left by a dead process is stale and taken over.
    writeFileSync(join(dir, 'out/.gradgrid.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    expect(await sweepInProcess(dir, 'e.yaml', { out: 'out' })).toBe(0);
    expect(existsSync(join(dir, 'out/summary.csv'))).toBe(true);
    expect(existsSync(join(dir, 'out/.gradgrid.lock'))).toBe(false);
  });
});

describe('gradgrid verify', () => {
  it('confirms a result folder bit for bit, and lists a tampered curve', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('verify', [0.5, 1, 50], 500));
    expect(await sweepInProcess(dir, 'e.yaml', { out: 'out' })).toBe(0);
    const ok = await verifyInProcess(dir, 'out');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/verified 3 run/);

    const manifest = JSON.parse(readFileSync(join(dir, 'out/manifest.json'), 'utf8'));
    const curvePath = join(dir, 'out/runs', `${manifest.runs[1].hash}.curve.csv`);
    const rows = readFileSync(curvePath, 'utf8').split('\n');
    const [epoch, cost] = rows[101].split(',');
    rows[101] = `${epoch},${Number(cost) * (1 + 1e-15) + 1e-17}`;
    writeFileSync(curvePath, rows.join('\n'));
    const curvesPath = join(dir, 'out/curves.csv');
    writeFileSync(curvesPath, readFileSync(curvesPath, 'utf8').replace(/\n3,50,7,/, '\n3,50,7,9'));
    // (verify.test.ts shows the CLI's exit code 1 and its message for a difference.)
    const bad = await verifyInProcess(dir, 'out');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/run 2: cost at epoch 100/);
    expect(bad.stdout).toMatch(/curves\.csv, run 3 \(train\.learning_rate=50\), epoch 7: cost 9/);
  });
});
