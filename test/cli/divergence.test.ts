// Gradient descent on linear regression is stable exactly below 2/λmax, λmax the largest
// eigenvalue of the cost's Hessian (1/m)·X̃X̃ᵀ (X̃: the features with a row of ones for the bias).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readCsv, runCli, workspace } from '../helpers/cli.js';

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

describe('linear regression: the stability limit 2/λmax', () => {
  it('runs below the limit do not diverge, runs above it do and stop early', async () => {
    const dir = workspace();
    const experiment = parse(readFileSync(join(dir, 'experiments/houses-regression.yaml'), 'utf8'));
    const rows = readCsv(join(dir, 'experiments/data/houses.csv'));
    const features = [...experiment.dataset.features.map((name: string) => rows.map((row) => Number(row[name]))), rows.map(() => 1)];
    const m = rows.length;
    const hessian = features.map((a: number[]) => features.map((b: number[]) => a.reduce((sum, value, i) => sum + value * b[i], 0) / m));
    const limit = 2 / largestEigenvalue(hessian);
    const rates: number[] = experiment.sweep['train.learning_rate'];
    expect(rates.some((rate) => rate < limit) && rates.some((rate) => rate > limit)).toBe(true);

    const result = await runCli(['sweep', 'experiments/houses-regression.yaml', '--out', 'out'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const summary = readCsv(join(dir, 'out/summary.csv'));
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
    const curves = readCsv(join(dir, 'out/curves.csv'));
    const worst = summary.at(-1)!;
    const worstCurve = curves.filter((row) => row.run === worst.run);
    expect(worstCurve).toHaveLength(Number(worst.epochs));
    expect(Number(worstCurve.at(-1)!.cost)).toBeGreaterThan(experiment.divergence?.max_cost ?? 1e6);
  });
});
