// Every shipped example runs as it is, and the other commands work on them. Each example is swept
// once (beforeAll); the tests below read what that one run printed and wrote.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { expectClose, readCsv, readGolden, ROOT, runCli, workspace, type CliResult } from '../helpers/cli.js';

const examples = readdirSync(join(ROOT, 'experiments')).filter((file) => file.endsWith('.yaml'));

let dir: string;
const results = new Map<string, CliResult>();
/** The result folder of an example's sweep. */
const out = (file: string) => join(dir, 'out', file.replace(/\.yaml$/, ''));
const summaryOf = (file: string) => readCsv(join(out(file), 'summary.csv'));

beforeAll(async () => {
  dir = workspace();
  // A few sweeps at a time, each on 2 workers, as a user would run them.
  const limit = pLimit(3);
  await Promise.all(
    examples.map((file) =>
      limit(async () => {
        const args = ['sweep', `experiments/${file}`, '--out', join('out', file.replace(/\.yaml$/, '')), '--workers', '2'];
        results.set(file, await runCli(args, { cwd: dir }));
      }),
    ),
  );
});

describe('example experiments', () => {
  it('every example starts with the yaml-language-server modeline', () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
    for (const file of examples) {
      expect(readFileSync(join(ROOT, 'experiments', file), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/experiment\.schema\.json\n/);
    }
  });

  for (const file of examples) {
    it(`${file} runs as it is`, () => {
      const result = results.get(file)!;
      expect(result.code, result.stderr).toBe(0);
      const summary = summaryOf(file);
      expect(summary.length).toBeGreaterThan(0);
      expect(summary.every((row) => row.status !== 'failed')).toBe(true);
      expect(existsSync(join(out(file), 'report.html'))).toBe(true);
      // Plain line progress when stderr is not a terminal: runs done of total, elapsed, ETA.
      expect(result.stderr).toMatch(new RegExp(`\\[${summary.length}/${summary.length}\\] run \\d+.*elapsed, ETA`));
    });
  }

  it('the examples tell the stories they promise', () => {
    // A feature cross makes XOR learnable by one unit.
    const cross = summaryOf('xor-featcross.yaml');
    expect(cross.some((row) => row.train_accuracy === '100')).toBe(true);
    // One layer cannot learn XOR; two can.
    const depth = summaryOf('xor-depth.yaml');
    expect(depth.filter((row) => row.model === '1-layer').every((row) => Number(row.train_accuracy) < 100)).toBe(true);
    expect(depth.some((row) => row.model === '2-layer' && row.train_accuracy === '100')).toBe(true);
    // Iris: a held-out split is reported.
    const iris = summaryOf('iris-petals.yaml');
    expect(iris.every((row) => row.test_accuracy !== '')).toBe(true);
    expect(Math.max(...iris.map((row) => Number(row.test_accuracy)))).toBeGreaterThanOrEqual(90);
  });

  it('reproduces the golden curves from the experiment files a user runs', () => {
    expectClose(readCsv(join(out('xor-2layer.yaml'), 'curves.csv')).map((row) => Number(row.cost)), readGolden('xor-2layer-xavier-lr1-seed48.csv'));
    const orCurve = readCsv(join(out('or-gate.yaml'), 'curves.csv')).filter((row) => row['train.learning_rate'] === '1');
    expectClose(orCurve.map((row) => Number(row.cost)), readGolden('or-1layer-w0.1-0.6-lr1.csv'));
  });

  it('gradcheck prints the worst relative error per layer', async () => {
    const result = await runCli(['gradcheck', 'experiments/xor-2layer.yaml'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/model\.0\s+\d\.\d\de-\d+\s+\d\.\d\de-\d+/);
    expect(result.stdout).toMatch(/model\.2\s+/);
    expect(result.stdout).toMatch(/^ok: worst relative error/m);
  });

  it('report rebuilds report.html from a result folder, the same page the sweep wrote', async () => {
    const folder = out('or-gate.yaml');
    const written = readFileSync(join(folder, 'report.html'), 'utf8');
    rmSync(join(folder, 'report.html'));
    const result = await runCli(['report', folder], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const rebuilt = readFileSync(join(folder, 'report.html'), 'utf8');
    expect(rebuilt).toContain('or-gate');
    expect(rebuilt).toBe(written);
    const missing = await runCli(['report', 'nowhere'], { cwd: dir });
    expect(missing.code).toBe(2);
  });

  it('--help describes the commands and exit codes', async () => {
    const help = await runCli(['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    for (const command of ['sweep', 'validate', 'report', 'verify', 'gradcheck']) expect(help.stdout).toContain(command);
    const sweepHelp = await runCli(['sweep', '--help'], { cwd: dir });
    expect(sweepHelp.stdout).toMatch(/Exit codes/);
  });
});
