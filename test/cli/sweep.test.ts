// End to end: the sweep command as a user runs it, on real YAML files in temporary folders.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectClose, readCsv, readGolden, runCli, workspace } from '../helpers/cli.js';

describe('gradgrid sweep', () => {
  it('runs xor-lr into results/xor-lr; the lr=1 curve is the golden XOR curve', async () => {
    const dir = workspace();
    const result = await runCli(['sweep', 'experiments/xor-lr.yaml'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const out = join(dir, 'results/xor-lr');
    for (const name of ['summary.csv', 'curves.csv', 'manifest.json', 'report.html']) {
      expect(existsSync(join(out, name)), name).toBe(true);
    }
    const summary = readCsv(join(out, 'summary.csv'));
    expect(summary.map((row) => row['train.learning_rate'])).toEqual(['0.01', '0.1', '0.5', '1', '5', '50', '500', '5000']);
    expect(Object.keys(summary[0])).toEqual([
      'run', 'train.learning_rate', 'status', 'epochs', 'final_cost', 'min_cost', 'train_accuracy', 'test_accuracy', 'error', 'hash',
    ]);
    const curves = readCsv(join(out, 'curves.csv'));
    const lr1 = curves.filter((row) => row['train.learning_rate'] === '1');
    expect(lr1.map((row) => Number(row.epoch))).toEqual([...Array(5000).keys()]);
    expectClose(lr1.map((row) => Number(row.cost)), readGolden('xor-2layer-xavier-lr1-seed48.csv'));
    const lr1Summary = summary.find((row) => row['train.learning_rate'] === '1')!;
    expect(lr1Summary.status).toBe('converged');
    expect(lr1Summary.train_accuracy).toBe('100');
    expect(lr1Summary.test_accuracy).toBe('');
    // The terminal says where the results went and shows the table.
    expect(result.stdout).toContain('results/xor-lr');
    expect(result.stdout).toMatch(/train\.learning_rate\s+status/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.complete).toBe(true);
    expect(manifest.runs).toHaveLength(8);
    // Tiny rates are slow, moderate ones converge, the largest overshoot and diverge.
    expect(summary.map((row) => row.status)).toEqual(['slow', 'slow', 'converged', 'converged', 'converged', 'converged', 'diverged', 'diverged']);
    expect(manifest.runs[0].hash).toMatch(/^[0-9a-f]{64}$/);
    // The hash column is the key into runs/, the same as the manifest's.
    expect(summary.map((row) => row.hash)).toEqual(manifest.runs.map((run: { hash: string }) => run.hash));
    for (const row of summary) expect(existsSync(join(out, 'runs', `${row.hash}.json`))).toBe(true);
    expect(manifest.experiment.source).toBe(readFileSync(join(dir, 'experiments/xor-lr.yaml'), 'utf8'));
  });

  it('gives byte-identical summary.csv and curves.csv with 1 and 2 workers', async () => {
    const dir = workspace();
    const one = await runCli(['sweep', 'experiments/xor-lr.yaml', '--workers', '1', '--out', 'w1', '--no-report'], { cwd: dir });
    const two = await runCli(['sweep', 'experiments/xor-lr.yaml', '--workers', '2', '--out', 'w2', '--no-report'], { cwd: dir });
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    for (const name of ['summary.csv', 'curves.csv']) {
      expect(readFileSync(join(dir, 'w1', name)).equals(readFileSync(join(dir, 'w2', name))), name).toBe(true);
    }
  });

  it('reproduces the golden curves from the experiment files a user runs', async () => {
    const dir = workspace();
    const xor = await runCli(['sweep', 'experiments/xor-2layer.yaml', '--out', 'xor', '--no-report'], { cwd: dir });
    expect(xor.code, xor.stderr).toBe(0);
    expectClose(readCsv(join(dir, 'xor/curves.csv')).map((row) => Number(row.cost)), readGolden('xor-2layer-xavier-lr1-seed48.csv'));
    const or = await runCli(['sweep', 'experiments/or-gate.yaml', '--out', 'or', '--no-report'], { cwd: dir });
    expect(or.code, or.stderr).toBe(0);
    const orCurve = readCsv(join(dir, 'or/curves.csv')).filter((row) => row['train.learning_rate'] === '1');
    expectClose(orCurve.map((row) => Number(row.cost)), readGolden('or-1layer-w0.1-0.6-lr1.csv'));
  });

  it('reports a typo with file, line, column and a suggestion, exits 2 and writes nothing', async () => {
    const dir = workspace();
    const file = join(dir, 'typo.yaml');
    writeFileSync(
      file,
      readFileSync(join(dir, 'experiments/xor-lr.yaml'), 'utf8')
        .replace('name: xor-lr', 'name: typo')
        .replace('  learning_rate: 1\n', '  learning_rte: 1\n'),
    );
    const result = await runCli(['sweep', 'typo.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/typo\.yaml:17:3/);
    expect(result.stderr).toContain('learning_rate');
    expect(result.stderr).toMatch(/did you mean/i);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });

  it('validate checks without running', async () => {
    const dir = workspace();
    const ok = await runCli(['validate', 'experiments/xor-lr.yaml'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('8 runs');
    expect(existsSync(join(dir, 'results'))).toBe(false);
    writeFileSync(join(dir, 'bad.yaml'), 'name: bad\nloss: squared_error\nmodel: [sigmod]\ndataset: {builtin: xor}\ntrain: {epochs: 10, learning_rate: 1}\n');
    const bad = await runCli(['validate', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:3:\d+/);
    expect(bad.stderr).toContain('"sigmoid"');
  });

  it('rejects bad arguments with exit code 2', async () => {
    const dir = workspace();
    const result = await runCli(['sweep', 'experiments/xor-lr.yaml', '--workers', '0'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--workers');
    const missing = await runCli(['sweep', 'nope.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml');
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });
});
