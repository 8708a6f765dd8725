// Every shipped example runs as it is, tells the story it promises, and the other commands work
// on it. Each example is swept once (beforeAll); the tests below read what that one sweep wrote.
// Two go through the CLI as a user types them (what the terminal shows: progress, the table); the
// others run the same sweep command in this process, which spares a Node start-up and a load of
// the charting libraries per example.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { parse } from 'yaml';
import { expectClose, readCsv, readGolden, ROOT, runCli, workspace, type CliResult } from '../helpers/cli.js';
import { sweepInProcess } from '../helpers/in-process.js';
import { STORIES } from './example-stories.js';

const examples = readdirSync(join(ROOT, 'experiments')).filter((file) => file.endsWith('.yaml'));

/** Swept through the CLI: a plain grid and a stability-limit search (their progress lines differ). */
const THROUGH_CLI = new Set(['xor-lr.yaml', 'optimizer-limits.yaml']);

let dir: string;
/** What each sweep ended with; stdout and stderr only for the examples swept through the CLI. */
const results = new Map<string, CliResult>();
/** The result folder of an example's sweep: results/<name>, the default. */
const out = (file: string) => join(dir, 'results', file.replace(/\.yaml$/, ''));
const summaryOf = (file: string) => readCsv(join(out(file), 'summary.csv'));
const curvesOf = (file: string) => readCsv(join(out(file), 'curves.csv'));

beforeAll(async () => {
  dir = workspace();
  // A few sweeps at a time: the CLI ones on 2 workers, the in-process ones on 1 each.
  const limit = pLimit(3);
  const sweep = async (file: string): Promise<CliResult> => {
    if (THROUGH_CLI.has(file)) return runCli(['sweep', `experiments/${file}`, '--workers', '2'], { cwd: dir });
    const code = await sweepInProcess(dir, `experiments/${file}`, { out: `results/${file.replace(/\.yaml$/, '')}`, report: true });
    return { code, signal: null, stdout: '', stderr: '' };
  };
  await Promise.all(examples.map((file) => limit(async () => results.set(file, await sweep(file)))));
});

/** Largest eigenvalue of a symmetric matrix by power iteration (plenty for a 3x3). */
function largestEigenvalue(matrix: number[][]): number {
  let v = matrix.map(() => 1);
  let lambda = 0;
  for (let iteration = 0; iteration < 10_000; iteration++) {
    const w = matrix.map((row) => row.reduce((sum, value, j) => sum + value * v[j], 0));
    const norm = Math.hypot(...w);
    const next = norm / Math.hypot(...v);
    v = w.map((value) => value / norm);
    if (Math.abs(next - lambda) < 1e-15 * next) return next;
    lambda = next;
  }
  return lambda;
}

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
      for (const name of ['curves.csv', 'manifest.json', 'report.html']) expect(existsSync(join(out(file), name)), name).toBe(true);
      // Plain line progress when stderr is not a terminal: runs done of total, elapsed, ETA (a
      // search's probes are numbered only when it is over).
      // A search counts its probes against an upper bound and may stop below it.
      if (THROUGH_CLI.has(file)) {
        const search = readFileSync(join(dir, 'experiments', file), 'utf8').includes('stability_limit:');
        const progress = search ? '\\[\\d+/\\d+\\] probe' : `\\[${summary.length}/${summary.length}\\] run \\d+`;
        expect(result.stderr).toMatch(new RegExp(`${progress}.*elapsed, ETA`));
      }
      // What its description promises (the training-dynamics examples; the others below).
      STORIES[file]?.(out(file));
    });
  }

  it('xor-lr: from slow to divergent rates; the lr=1 curve is the golden XOR curve; the terminal shows the table', () => {
    const result = results.get('xor-lr.yaml')!;
    const summary = summaryOf('xor-lr.yaml');
    expect(summary.map((row) => row['train.learning_rate'])).toEqual(['0.01', '0.1', '0.5', '1', '5', '50', '500', '5000']);
    expect(Object.keys(summary[0]).slice(0, 9)).toEqual([
      'run', 'train.learning_rate', 'status', 'epochs', 'final_cost', 'min_cost', 'train_accuracy', 'test_accuracy', 'error',
    ]);
    const lr1 = curvesOf('xor-lr.yaml').filter((row) => row['train.learning_rate'] === '1');
    expect(lr1.map((row) => Number(row.epoch))).toEqual([...Array(5000).keys()]);
    expectClose(lr1.map((row) => Number(row.cost)), readGolden('xor-2layer-xavier-lr1-seed48.csv'));
    const lr1Summary = summary.find((row) => row['train.learning_rate'] === '1')!;
    expect(lr1Summary.status).toBe('converged');
    expect(lr1Summary.train_accuracy).toBe('100');
    expect(lr1Summary.test_accuracy).toBe('');
    // The terminal says where the results went and shows the table.
    expect(result.stdout).toContain('results/xor-lr');
    expect(result.stdout).toMatch(/train\.learning_rate\s+status/);
    const manifest = JSON.parse(readFileSync(join(out('xor-lr.yaml'), 'manifest.json'), 'utf8'));
    expect(manifest.complete).toBe(true);
    expect(manifest.runs).toHaveLength(8);
    expect(manifest.workers).toBe(2);
    // Tiny rates are slow, moderate ones converge, the largest overshoot and diverge.
    expect(summary.map((row) => row.status)).toEqual(['slow', 'slow', 'converged', 'converged', 'converged', 'converged', 'diverged', 'diverged']);
    expect(manifest.runs[0].hash).toMatch(/^[0-9a-f]{64}$/);
    // The hash column is the key into runs/, the same as the manifest's.
    expect(Object.keys(summary[0]).at(-1)).toBe('hash');
    expect(summary.map((row) => row.hash)).toEqual(manifest.runs.map((run: { hash: string }) => run.hash));
    for (const row of summary) expect(existsSync(join(out('xor-lr.yaml'), 'runs', `${row.hash}.json`))).toBe(true);
    expect(manifest.experiment.source).toBe(readFileSync(join(dir, 'experiments/xor-lr.yaml'), 'utf8'));
  });

  it('gives byte-identical summary.csv and curves.csv with 1 and 2 workers; --no-report writes no report.html', async () => {
    const one = await runCli(['sweep', 'experiments/xor-lr.yaml', '--workers', '1', '--out', 'w1', '--no-report'], { cwd: dir });
    expect(one.code, one.stderr).toBe(0);
    for (const name of ['summary.csv', 'curves.csv']) {
      expect(readFileSync(join(dir, 'w1', name)).equals(readFileSync(join(out('xor-lr.yaml'), name))), name).toBe(true);
    }
    expect(existsSync(join(dir, 'w1/manifest.json'))).toBe(true);
    expect(existsSync(join(dir, 'w1/report.html'))).toBe(false);
  });

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
    expectClose(curvesOf('xor-2layer.yaml').map((row) => Number(row.cost)), readGolden('xor-2layer-xavier-lr1-seed48.csv'));
    const orCurve = curvesOf('or-gate.yaml').filter((row) => row['train.learning_rate'] === '1');
    expectClose(orCurve.map((row) => Number(row.cost)), readGolden('or-1layer-w0.1-0.6-lr1.csv'));
  });

  // Gradient descent on linear regression is stable exactly below 2/λmax, λmax the largest
  // eigenvalue of the cost's Hessian (1/m)·X̃X̃ᵀ (X̃: the features with a row of ones for the bias).
  it('houses-regression: runs below the stability limit 2/λmax do not diverge, runs above it do and stop early', () => {
    const experiment = parse(readFileSync(join(dir, 'experiments/houses-regression.yaml'), 'utf8'));
    const rows = readCsv(join(dir, 'experiments/data/houses.csv'));
    const features = [...experiment.dataset.features.map((name: string) => rows.map((row) => Number(row[name]))), rows.map(() => 1)];
    const m = rows.length;
    const hessian = features.map((a: number[]) => features.map((b: number[]) => a.reduce((sum, value, i) => sum + value * b[i], 0) / m));
    const limit = 2 / largestEigenvalue(hessian);
    const rates: number[] = experiment.sweep['train.learning_rate'];
    expect(rates.some((rate) => rate < limit) && rates.some((rate) => rate > limit)).toBe(true);

    const summary = summaryOf('houses-regression.yaml');
    expect(summary).toHaveLength(rates.length);
    for (const row of summary) {
      const rate = Number(row['train.learning_rate']);
      if (rate < limit) {
        expect(row.status, `lr ${rate} < ${limit}`).not.toBe('diverged');
        expect(Number(row.epochs)).toBe(experiment.train.epochs);
        expect(row.train_accuracy).toBe(''); // regression: no accuracy
      } else {
        expect(row.status, `lr ${rate} > ${limit}`).toBe('diverged');
        expect(Number(row.epochs)).toBeLessThan(experiment.train.epochs);
      }
    }
    // The diverged run's curve stops at the epoch where it crossed max_cost.
    const worst = summary.at(-1)!;
    const worstCurve = curvesOf('houses-regression.yaml').filter((row) => row.run === worst.run);
    expect(worstCurve).toHaveLength(Number(worst.epochs));
    expect(Number(worstCurve.at(-1)!.cost)).toBeGreaterThan(experiment.divergence?.max_cost ?? 1e6);
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
