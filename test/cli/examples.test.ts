// Every shipped example runs as it is, and the other commands work on them.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv, ROOT, runCli, workspace } from '../helpers/cli.js';
import { STORIES } from './example-stories.js';

const examples = readdirSync(join(ROOT, 'experiments')).filter((file) => file.endsWith('.yaml'));

describe('example experiments', () => {
  it('every example starts with the yaml-language-server modeline', () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
    for (const file of examples) {
      expect(readFileSync(join(ROOT, 'experiments', file), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/experiment\.schema\.json\n/);
    }
  });

  for (const file of examples) {
    it(`${file} runs as it is`, async () => {
      const dir = workspace();
      const result = await runCli(['sweep', `experiments/${file}`, '--out', 'out', '--workers', '2'], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      const summary = readCsv(join(dir, 'out/summary.csv'));
      expect(summary.length).toBeGreaterThan(0);
      expect(summary.every((row) => row.status !== 'failed')).toBe(true);
      expect(existsSync(join(dir, 'out/report.html'))).toBe(true);
      // Plain line progress when stderr is not a terminal: runs done of total, elapsed, ETA (a
      // search's probes are numbered only when it is over).
      expect(result.stderr).toMatch(new RegExp(`\\[${summary.length}/${summary.length}\\] (run \\d+|probe).*elapsed, ETA`));
      // What its description promises (the training-dynamics examples; the others below).
      STORIES[file]?.(join(dir, 'out'));
    });
  }

  it('the examples tell the stories they promise', async () => {
    const dir = workspace();
    const run = async (file: string) => {
      const result = await runCli(['sweep', `experiments/${file}`, '--out', file, '--no-report', '--quiet'], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      return readCsv(join(dir, file, 'summary.csv'));
    };
    // A feature cross makes XOR learnable by one unit.
    const cross = await run('xor-featcross.yaml');
    expect(cross.some((row) => row.train_accuracy === '100')).toBe(true);
    // One layer cannot learn XOR; two can.
    const depth = await run('xor-depth.yaml');
    expect(depth.filter((row) => row.model === '1-layer').every((row) => Number(row.train_accuracy) < 100)).toBe(true);
    expect(depth.some((row) => row.model === '2-layer' && row.train_accuracy === '100')).toBe(true);
    // Iris: a held-out split is reported.
    const iris = await run('iris-petals.yaml');
    expect(iris.every((row) => row.test_accuracy !== '')).toBe(true);
    expect(Math.max(...iris.map((row) => Number(row.test_accuracy)))).toBeGreaterThanOrEqual(90);
  });

  it('gradcheck prints the worst relative error per layer', async () => {
    const dir = workspace();
    const result = await runCli(['gradcheck', 'experiments/xor-2layer.yaml'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/model\.0\s+\d\.\d\de-\d+\s+\d\.\d\de-\d+/);
    expect(result.stdout).toMatch(/model\.2\s+/);
    expect(result.stdout).toMatch(/^ok: worst relative error/m);
  });

  it('report rebuilds report.html from a result folder', async () => {
    const dir = workspace();
    expect((await runCli(['sweep', 'experiments/or-gate.yaml', '--out', 'out', '--no-report', '--quiet'], { cwd: dir })).code).toBe(0);
    expect(existsSync(join(dir, 'out/report.html'))).toBe(false);
    const result = await runCli(['report', 'out'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out/report.html'), 'utf8')).toContain('or-gate');
    const missing = await runCli(['report', 'nowhere'], { cwd: dir });
    expect(missing.code).toBe(2);
  });

  it('--help describes the commands and exit codes', async () => {
    const dir = workspace();
    const help = await runCli(['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    for (const command of ['sweep', 'validate', 'report', 'verify', 'gradcheck']) expect(help.stdout).toContain(command);
    const sweepHelp = await runCli(['sweep', '--help'], { cwd: dir });
    expect(sweepHelp.stdout).toMatch(/Exit codes/);
  });
});
