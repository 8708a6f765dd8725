// The stability-limit search end to end: experiments/regression-limit.yaml shows what its
// description promises (the limit found against 2/λmax), gives the same bytes on 1 and 2 workers,
// reuses every probe when run again, is verified and reported; with sweep axes one search runs per
// grid point; validate names the search and refuses a swept searched key.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, startCli, waitUntil, workspace } from '../helpers/cli.js';
import { validateInProcess, verifyInProcess } from '../helpers/in-process-commands.js';
import { sweepInProcess } from '../helpers/in-process.js';
import { jacobiEigenvalues } from '../nn/helpers.js';

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function tempWorkspace(): string {
  const dir = workspace();
  folders.push(dir);
  return dir;
}


/** λmax((1/m)·X̃X̃ᵀ) of houses.csv, computed here. */
function housesLambdaMax(dir: string): number {
  const [, ...lines] = readFileSync(join(dir, 'experiments/data/houses.csv'), 'utf8').trim().split('\n');
  const rows = lines.map((line) => line.split(',').map(Number));
  const features = [rows.map((row) => row[0]), rows.map((row) => row[1]), rows.map(() => 1)];
  const gram = features.map((a) => features.map((b) => a.reduce((sum, value, i) => sum + value * b[i], 0) / rows.length));
  return Math.max(...jacobiEigenvalues(gram));
}

const FILES = ['summary.csv', 'curves.csv', 'stability.csv'];

describe('stability-limit search through the CLI', () => {
  it('regression-limit.yaml: finds the limit its description states, around 2/λmax; same bytes on 1 and 2 workers; reuses every probe', async () => {
    const dir = tempWorkspace();
    // Through the CLI once, for what it prints; the other sweeps compare files: in-process, the
    // report written there (the charting libraries stay loaded in the test's thread).
    const first = await runCli(['sweep', 'experiments/regression-limit.yaml', '--out', 'one', '--workers', '1', '--no-report'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(await sweepInProcess(dir, 'experiments/regression-limit.yaml', { out: 'two', workers: 2, report: true })).toBe(0);
    for (const file of FILES) expect(readFileSync(join(dir, 'two', file), 'utf8'), file).toBe(readFileSync(join(dir, 'one', file), 'utf8'));

    const [limit] = readCsv(join(dir, 'one/stability.csv'));
    expect(limit).toMatchObject({ key: 'train.learning_rate', outcome: 'bracketed', note: '' });
    const [stableMax, unstableMin] = [Number(limit.stable_max), Number(limit.unstable_min)];
    const lambdaMax = housesLambdaMax(dir);
    expect(stableMax).toBeLessThanOrEqual(2 / lambdaMax);
    expect(unstableMin).toBeGreaterThanOrEqual(2 / lambdaMax);
    expect(unstableMin / stableMax).toBeLessThanOrEqual(1.01);

    // The description states λmax, 2/λmax and the bracket found, rounded.
    const description: string = parse(readFileSync(join(dir, 'experiments/regression-limit.yaml'), 'utf8')).description;
    expect(description).toContain(`lambda_max = ${lambdaMax.toFixed(4)}`);
    expect(description).toContain(`2 / lambda_max = ${(2 / lambdaMax).toFixed(5)}`);
    expect(description).toContain(`between ${stableMax.toFixed(5)} (stable) and ${unstableMin.toFixed(5)} (beyond the limit)`);

    // Every probe is an ordinary run: in summary.csv with its verdict, in curves.csv, in runs/.
    const summary = readCsv(join(dir, 'one/summary.csv'));
    expect(summary).toHaveLength(Number(limit.probes));
    expect(Object.keys(summary[0]).slice(0, 2)).toEqual(['run', 'train.learning_rate']);
    expect(Object.keys(summary[0]).slice(-2)).toEqual(['beyond_limit', 'hash']);
    const rates = summary.map((row) => Number(row['train.learning_rate']));
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    for (const row of summary) expect(row.beyond_limit).toBe(Number(row['train.learning_rate']) > stableMax ? 'true' : 'false');
    const curves = readCsv(join(dir, 'one/curves.csv'));
    expect(new Set(curves.map((row) => row.run)).size).toBe(summary.length);

    expect(first.stdout).toMatch(/Stability limit of train\.learning_rate/);
    expect(first.stdout).toMatch(/stability\.csv/);
    const report = readFileSync(join(dir, 'two/report.html'), 'utf8');
    expect(report).toContain('data-chart="stability"');
    expect(report).toContain(`data-probes="${summary.length}"`);

    // Again: every probe reused (what the terminal says of reuse is checked on the resumed search below).
    expect(await sweepInProcess(dir, 'experiments/regression-limit.yaml', { out: 'one' })).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'one/manifest.json'), 'utf8'));
    expect(manifest.runs.map((run: { reused: boolean }) => run.reused)).toEqual(summary.map(() => true));
    for (const file of FILES) expect(readFileSync(join(dir, 'one', file), 'utf8'), file).toBe(readFileSync(join(dir, 'two', file), 'utf8'));
    const verify = await verifyInProcess(dir, 'one');
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('runs one search per grid point, all written grid point by grid point; validate names the search and refuses a swept key', async () => {
    const dir = tempWorkspace();
    const experiment = `name: grid-limit
dataset: { csv: data/houses.csv, features: [size, age], target: price }
model: [{ linear: 1, init: zeros }, identity]
loss: squared_error
train: { epochs: 200 }
search:
  stability_limit: { key: train.learning_rate, low: 0.01, high: 1, tolerance: 0.1 }
sweep:
  dataset.features: { named: { both: [size, age], size: [size] } }
`;
    writeFileSync(join(dir, 'experiments/grid-limit.yaml'), experiment);
    const validate = await validateInProcess(dir, 'experiments/grid-limit.yaml');
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('a stability-limit search of train.learning_rate at 2 grid points');
    expect(await sweepInProcess(dir, 'experiments/grid-limit.yaml', { out: 'out', workers: 2 })).toBe(0);

    const rows = readCsv(join(dir, 'out/stability.csv'));
    expect(rows.map((row) => row['dataset.features'])).toEqual(['both', 'size']);
    expect(Object.keys(rows[0])).toEqual(['dataset.features', 'key', 'stable_max', 'unstable_min', 'probes', 'outcome', 'note']);
    for (const row of rows) expect(row.outcome).toBe('bracketed');
    const summary = readCsv(join(dir, 'out/summary.csv'));
    expect(summary.map((row) => row.run)).toEqual(summary.map((_, i) => String(i + 1)));
    expect(summary.map((row) => row['dataset.features'])).toEqual([
      ...Array(Number(rows[0].probes)).fill('both'),
      ...Array(Number(rows[1].probes)).fill('size'),
    ]);

    writeFileSync(join(dir, 'experiments/swept.yaml'), `${experiment}  train.learning_rate: [0.1, 0.2]\n`);
    const refused = await validateInProcess(dir, 'experiments/swept.yaml');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/swept\.yaml:10:3 .*sweep\.train\.learning_rate: train\.learning_rate is the searched setting/);
  });

  it('an interrupted search keeps what finished, says so, and resumes to the bytes of an uninterrupted one; a failed probe stops its search', async () => {
    const dir = tempWorkspace();
    // Probes are numbered 1-5 in round 1, 6-8 in round 2 while they run: probe 7 waits, so the
    // interrupt always lands in round 2.
    const cli = startCli(['sweep', 'experiments/regression-limit.yaml', '--workers', '2', '--out', 'cut', '--no-report'], {
      cwd: dir,
      env: { GRADGRID_FAILPOINT: 'slow@7' },
    });
    const runsDir = join(dir, 'cut/runs');
    await waitUntil(cli, '7 probes were stored', () => existsSync(runsDir) && readdirSync(runsDir).filter((f) => f.endsWith('.json')).length >= 7);
    cli.child.kill('SIGINT');
    await waitUntil(cli, 'the first Ctrl-C was taken', () => cli.output().stderr.includes('SIGINT: no new runs will start'));
    cli.child.kill('SIGINT');
    const cut = await cli.done;
    expect(cut.code, cut.stderr).toBe(130);
    expect(readCsv(join(dir, 'cut/stability.csv'))[0].outcome).toBe('interrupted');
    expect(readCsv(join(dir, 'cut/summary.csv'))).toHaveLength(7);
    expect(JSON.parse(readFileSync(join(dir, 'cut/manifest.json'), 'utf8')).complete).toBe(false);

    const resumed = await runCli(['sweep', 'experiments/regression-limit.yaml', '--workers', '2', '--out', 'cut', '--no-report'], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('(7 runs reused from');
    expect(await sweepInProcess(dir, 'experiments/regression-limit.yaml', { out: 'clean' })).toBe(0);
    for (const file of FILES) expect(readFileSync(join(dir, 'cut', file), 'utf8'), file).toBe(readFileSync(join(dir, 'clean', file), 'utf8'));

    const failed = await runCli(['sweep', 'experiments/regression-limit.yaml', '--out', 'failed', '--no-report', '--quiet'], {
      cwd: dir,
      env: { GRADGRID_FAILPOINT: 'throw@7' },
    });
    expect(failed.code).toBe(1);
    const [row] = readCsv(join(dir, 'failed/stability.csv'));
    expect(row.outcome).toBe('failed');
    expect(row.note).toMatch(/^the run at 0\.\d+ failed: injected failure in run 7$/);
    expect(readCsv(join(dir, 'failed/summary.csv'))).toHaveLength(8);
  });
});

