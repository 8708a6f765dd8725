// gradgrid verify: differences name the run, the epoch and both values; interrupted folders say
// how many runs are missing.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startCli, waitUntil, workspace } from '../helpers/cli.js';
import { sweepInProcess } from '../helpers/in-process.js';
import { xorExperiment } from '../helpers/xor-experiment.js';

const xorSweep = (rates: number[], epochs: number) => xorExperiment('verify', epochs, 'train.learning_rate', rates);

describe('gradgrid verify', () => {
  it('names the run, the first differing epoch and both values of a curves.csv difference', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep([0.5, 1], 200));
    expect(await sweepInProcess(dir, 'e.yaml', { out: 'out' })).toBe(0);
    const curvesPath = join(dir, 'out/curves.csv');
    const lines = readFileSync(curvesPath, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.startsWith('2,1,42,'));
    const original = lines[at].split(',')[3];
    lines[at] = `2,1,42,0.25`;
    writeFileSync(curvesPath, lines.join('\n'));
    const result = await runCli(['verify', 'out'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`curves.csv, run 2 (train.learning_rate=1), epoch 42: cost 0.25 in the file, recomputed ${original}`);
  });

  it('on an interrupted folder, verifies what finished and says how many runs are missing', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep([0.5, 1, 2, 5], 100));
    // Runs 3 and 4 wait a minute, so the two interrupts land while they run: they are aborted.
    const cli = startCli(['sweep', 'e.yaml', '--out', 'out', '--no-report', '--workers', '2'], {
      cwd: dir,
      env: { GRADGRID_FAILPOINT: 'slow@3,slow@4' },
    });
    const runsDir = join(dir, 'out/runs');
    await waitUntil(cli, 'two runs were stored', () => existsSync(runsDir) && readdirSync(runsDir).filter((name) => name.endsWith('.json')).length >= 2);
    cli.child.kill('SIGINT');
    await waitUntil(cli, 'the first Ctrl-C was taken', () => cli.output().stderr.includes('SIGINT: no new runs will start'));
    cli.child.kill('SIGINT');
    expect((await cli.done).code).toBe(130);
    const result = await runCli(['verify', 'out'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('verified 2 run(s) in out: every curve reproduced bit for bit');
    expect(result.stdout).toContain('2 of 4 runs are missing: the sweep was interrupted before they finished.');
  });
});
