// The stability-limit search over a grid, in-process: on linear regression it brackets 2/λmax
// (λmax of (1/m)·X̃X̃ᵀ computed here by Jacobi rotations, independently of the engine); probes are
// ordinary runs (the same hash as a plain sweep's run at that value); run numbers follow the grid,
// then the probed value.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFiles } from '../../src/data/index.js';
import { ExperimentError, expandGrid, parseExperiment } from '../../src/experiment/index.js';
import { executeRun } from '../../src/run/index.js';
import { planStabilitySearch, StabilitySearch, type ProbeVerdict } from '../../src/search/index.js';
import { verdictOf } from '../../src/sweep/search-launcher.js';
import { jacobiEigenvalues } from '../nn/helpers.js';

const EXPERIMENTS = fileURLToPath(new URL('../../experiments/', import.meta.url));

/** λmax((1/m)·X̃X̃ᵀ) of houses.csv (size, age and a row of ones), read here with a plain split. */
function housesLambdaMax(): number {
  const [, ...lines] = readFileSync(`${EXPERIMENTS}data/houses.csv`, 'utf8').trim().split('\n');
  const rows = lines.map((line) => line.split(',').map(Number));
  const m = rows.length;
  const features = [rows.map((row) => row[0]), rows.map((row) => row[1]), rows.map(() => 1)];
  const gram = features.map((a) => features.map((b) => a.reduce((sum, value, i) => sum + value * b[i], 0) / m));
  return Math.max(...jacobiEigenvalues(gram));
}

/** Where the probes' curve files go (executeRun writes each run's curve as it trains). */
const curves = mkdtempSync(join(tmpdir(), 'gradgrid-search-'));
afterAll(() => rmSync(curves, { recursive: true, force: true }));

/** Runs a search to its end in this thread: every probe trained by executeRun. */
function runSearch(source: string) {
  const loaded = parseExperiment(source, 'search.yaml', { baseDir: EXPERIMENTS });
  const dataFiles = new DataFiles();
  const search = new StabilitySearch(planStabilitySearch(loaded, { dataFiles }));
  for (let round = search.nextRound(); round.length > 0; round = search.nextRound()) {
    for (const probe of round) search.record(probe, verdictOf(executeRun(probe.spec, dataFiles.all(), join(curves, 'probe.curve.csv'))));
  }
  return search;
}

const REGRESSION = `name: limit
dataset: { csv: data/houses.csv, features: [size, age], target: price }
model: [{ linear: 1, init: zeros }, identity]
loss: squared_error
train: { epochs: 1000 }
`;

describe('the stability-limit search', () => {
  it('brackets 2/λmax for gradient descent on linear regression, within its tolerance', () => {
    const limit = 2 / housesLambdaMax();
    const search = runSearch(`${REGRESSION}search: { stability_limit: { key: train.learning_rate, low: 0.001, high: 10, tolerance: 0.01 } }\n`);
    const [row] = search.rows();
    expect(row.outcome).toBe('bracketed');
    expect(row.stableMax!).toBeLessThanOrEqual(limit);
    expect(row.unstableMin!).toBeGreaterThanOrEqual(limit);
    expect(row.unstableMin! / row.stableMax!).toBeLessThanOrEqual(1.01);
    expect(row.probes).toBe(search.ordered().length);
  });

  it('brackets 2(1+β)/λmax for heavy-ball momentum on linear regression, within its tolerance', () => {
    const beta = 0.9;
    const limit = (2 * (1 + beta)) / housesLambdaMax();
    const search = runSearch(
      `${REGRESSION.replace('train: { epochs: 1000 }', `train: { epochs: 1000, optimizer: { name: momentum, beta: ${beta} } }`)}` +
        'search: { stability_limit: { key: train.learning_rate, low: 0.001, high: 10, tolerance: 0.01 } }\n',
    );
    const [row] = search.rows();
    expect(row.outcome).toBe('bracketed');
    expect(row.stableMax!).toBeLessThanOrEqual(limit);
    expect(row.unstableMin!).toBeGreaterThanOrEqual(limit);
    expect(row.unstableMin! / row.stableMax!).toBeLessThanOrEqual(1.01);
  });

  it('optimizer-limits.yaml shows what its description promises: sgd at 2/λmax, momentum at 2(1+β)/λmax, adam above the range', () => {
    const lambdaMax = housesLambdaMax();
    const rows = runSearch(readFileSync(`${EXPERIMENTS}optimizer-limits.yaml`, 'utf8')).rows();
    const [sgd, momentum, adam] = rows;
    expect(rows).toHaveLength(3);
    expect(sgd.stableMax!).toBeLessThanOrEqual(2 / lambdaMax);
    expect(sgd.unstableMin!).toBeGreaterThanOrEqual(2 / lambdaMax);
    expect(momentum.stableMax!).toBeLessThanOrEqual((2 * 1.9) / lambdaMax);
    expect(momentum.unstableMin!).toBeGreaterThanOrEqual((2 * 1.9) / lambdaMax);
    expect(adam).toMatchObject({ outcome: 'high_stable', stableMax: 100, unstableMin: null });
    expect(Number(sgd.stableMax!.toFixed(4))).toBe(0.2158);
    expect(Number(momentum.stableMax!.toFixed(4))).toBe(0.4095);
  });

  it('says the limit is outside the range instead of guessing', () => {
    const below = runSearch(`${REGRESSION}search: { stability_limit: { key: train.learning_rate, low: 1, high: 10 } }\n`).rows()[0];
    expect(below).toMatchObject({ outcome: 'low_beyond_limit', stableMax: null, unstableMin: 1, probes: 5 });
    const above = runSearch(`${REGRESSION}search: { stability_limit: { key: train.learning_rate, low: 0.001, high: 0.1 } }\n`).rows()[0];
    expect(above).toMatchObject({ outcome: 'high_stable', stableMax: 0.1, unstableMin: null, probes: 5 });
  });

  it('runs one search per grid point, numbers the runs by grid point then value, and probes are ordinary runs', () => {
    const source = `name: grid
dataset: { builtin: xor }
model: [{ linear: 2 }, sigmoid, { linear: 1 }, sigmoid]
loss: squared_error
train: { epochs: 5 }
search: { stability_limit: { key: train.learning_rate, low: 0.01, high: 100, tolerance: 0.05 } }
sweep:
  seed: [7, 3]
`;
    const loaded = parseExperiment(source, 'grid.yaml');
    const search = new StabilitySearch(planStabilitySearch(loaded));
    const limits = new Map([[7, 0.5], [3, 2]]);
    const verdict = (seed: number, value: number): ProbeVerdict => (value < limits.get(seed)! ? 'stable' : 'beyond');
    const rounds: number[] = [];
    for (let round = search.nextRound(); round.length > 0; round = search.nextRound()) {
      rounds.push(round.length);
      for (const probe of round) search.record(probe, verdict(probe.spec.experiment.seed, probe.value));
    }
    // Both grid points' probes of a round go out together: 5 + 5, then 3 + 3 per round.
    expect(rounds[0]).toBe(10);
    expect(rounds.slice(1).every((n) => n === 6)).toBe(true);

    const rows = search.rows();
    expect(rows.map((row) => row.params)).toEqual([[['seed', 7]], [['seed', 3]]]);
    rows.forEach((row, i) => {
      const limit = [0.5, 2][i];
      expect(row.stableMax!).toBeLessThan(limit);
      expect(row.unstableMin!).toBeGreaterThanOrEqual(limit);
    });

    const ordered = search.ordered();
    expect(ordered.map((probe) => probe.spec.index)).toEqual(ordered.map((_, i) => i + 1));
    const seeds = ordered.map((probe) => probe.spec.params[0][1]);
    expect(seeds).toEqual([...seeds.filter((seed) => seed === 7), ...seeds.filter((seed) => seed === 3)]);
    for (const seed of [7, 3]) {
      const values = ordered.filter((probe) => probe.spec.params[0][1] === seed).map((probe) => probe.value);
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }

    // A probe is the very run a plain sweep would make at that value: same settings, same hash.
    const probe = ordered[3];
    expect(probe.spec.params).toEqual([['seed', 7], ['train.learning_rate', probe.value]]);
    const plain = expandGrid(parseExperiment(source.replace(/search:.*\n/, '').replace('train: { epochs: 5 }', `train: { epochs: 5, learning_rate: ${probe.value} }`), 'grid.yaml'));
    expect(plain[0].hash).toBe(probe.spec.hash);
    expect(probe.spec.experiment).not.toHaveProperty('search');
  });

  it('refuses a search that could need more runs than the limit, at search.stability_limit', () => {
    const loaded = parseExperiment(`${REGRESSION}search:\n  stability_limit: { key: train.learning_rate, low: 0.001, high: 10 }\n`, 'big.yaml', { baseDir: EXPERIMENTS });
    try {
      planStabilitySearch(loaded, { maxRuns: 10 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ExperimentError);
      expect((error as ExperimentError).issues[0]).toMatchObject({ path: 'search.stability_limit', line: 7, column: 3 });
      expect((error as ExperimentError).issues[0].message).toMatch(/1 grid point with up to 17 probes each could take 17 runs; the limit is 10 runs/);
    }
  });
});
