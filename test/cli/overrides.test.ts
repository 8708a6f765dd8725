// --set from the command line: the sweep runs the changed experiment, the manifest records the
// overrides and the effective experiment, the report's "run it again" command repeats them, and
// a mistake in an override is reported at the override with exit code 2.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCsv, runCli, workspace } from '../helpers/cli.js';

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function setUp(): string {
  const dir = workspace();
  dirs.push(dir);
  return dir;
}

describe('--set', () => {
  it('sweeps the changed experiment and records the overrides', async () => {
    const dir = setUp();
    const overrides = ['train.epochs=200', 'sweep.train.learning_rate=[0.5, 1]'];
    const result = await runCli(['sweep', 'experiments/xor-lr.yaml', '--out', 'out', '--quiet', ...overrides.flatMap((text) => ['--set', text])], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);

    const summary = readCsv(join(dir, 'out/summary.csv'));
    expect(summary.map((row) => [row['train.learning_rate'], row.epochs])).toEqual([['0.5', '200'], ['1', '200']]);
    const manifest = JSON.parse(readFileSync(join(dir, 'out/manifest.json'), 'utf8'));
    expect(manifest.experiment.overrides).toEqual(overrides);
    expect(manifest.experiment.source).toBe(readFileSync(join(dir, 'experiments/xor-lr.yaml'), 'utf8'));
    expect(manifest.experiment.parsed.train.epochs).toBe(200);
    expect(manifest.experiment.parsed.sweep).toEqual({ 'train.learning_rate': [0.5, 1] });
    expect(manifest.command).toEqual(['sweep', 'experiments/xor-lr.yaml', '--out', 'out', '--quiet', '--set', overrides[0], '--set', overrides[1]]);

    const report = readFileSync(join(dir, 'out/report.html'), 'utf8');
    expect(report).toContain(
      'run it again with <code>npm run sweep -- experiments/xor-lr.yaml --set train.epochs=200 --set &#39;sweep.train.learning_rate=[0.5, 1]&#39; --out out</code>',
    );
  });

  it('points a mistake at the override and writes nothing', async () => {
    const dir = setUp();
    const result = await runCli(['sweep', 'experiments/xor-lr.yaml', '--out', 'out', '--no-report', '--set', 'train.epochs=20', '--set', 'train.learning_rte=1'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('--set #2: train.learning_rte: unknown setting; did you mean "learning_rate"?\n');
    expect(existsSync(join(dir, 'out'))).toBe(false);

    const validate = await runCli(['validate', 'experiments/xor-lr.yaml', '--set', 'sweep.train.learning_rate=[1, -1]'], { cwd: dir });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toBe('--set #1: train.learning_rate: expected a number > 0 and <= 1e12, found -1\n');
    const ok = await runCli(['validate', 'experiments/xor-lr.yaml', '--set', 'sweep.train.learning_rate=[1, 2, 3]'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('3 runs');
  });
});
