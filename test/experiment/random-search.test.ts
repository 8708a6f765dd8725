// Random search: samples drawn with NumPy's legacy generator in the documented order (checked
// against an independent NumPy implementation), one run per distinct setting, the first n
// samples of a larger search exactly the samples of a smaller one, and located errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExperimentError, expandGrid, formatIssues, parseExperiment, type LoadedExperiment, type RunSpec, type SweepValue } from '../../src/experiment/index.js';
import { ROOT } from '../helpers/cli.js';
import { FILE, MINIMAL } from './helpers.js';

const load = (source: string): LoadedExperiment => parseExperiment(source, FILE, { baseDir: '/work/exp' });

/** MINIMAL with a random search over the given sweep lines. */
function randomSearch(samples: number, seed: number, sweep: string): string {
  return `${MINIMAL}search:\n  random: { samples: ${samples}, seed: ${seed} }\nsweep:\n${sweep}`;
}

function issuesOf(source: string): string {
  try {
    expandGrid(load(source));
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentError);
    return formatIssues((error as ExperimentError).issues);
  }
  throw new Error('expected the experiment to be rejected');
}

/** Each sample's values, rebuilt from the runs (a run lists the samples that resolved to it). */
function drawsOf(runs: RunSpec[], samples: number): SweepValue[][] {
  const draws: SweepValue[][] = new Array(samples);
  for (const run of runs) for (const sample of run.samples ?? []) draws[sample - 1] = run.params.map(([, value]) => value);
  return draws;
}

interface ReferenceCase {
  seed: number;
  samples: number;
  axes: [string, unknown][];
  draws: SweepValue[][];
}

const reference = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/numpy/random-search.json'), 'utf8')) as { cases: ReferenceCase[] };

describe('random search', () => {
  it.each(reference.cases.map((c, i) => ({ ...c, name: `case ${i + 1}` })))('draws what NumPy draws in the documented order ($name)', (c) => {
    const sweep = c.axes.map(([key, axis]) => `  ${key}: ${JSON.stringify(axis)}\n`).join('');
    const runs = expandGrid(load(randomSearch(c.samples, c.seed, sweep)));
    const draws = drawsOf(runs, c.samples);
    expect(draws.filter(Boolean)).toHaveLength(c.samples);
    for (const [k, expected] of c.draws.entries()) {
      expected.forEach((value, a) => {
        const actual = draws[k][a];
        const isLog = Object.hasOwn(c.axes[a][1] as object, 'loguniform');
        if (isLog) {
          // exp and log of two libraries may differ in the last bit.
          expect(Math.abs((actual as number) - (value as number)) / (value as number), `sample ${k + 1}, ${c.axes[a][0]}`).toBeLessThan(1e-15);
        } else {
          expect(actual, `sample ${k + 1}, ${c.axes[a][0]}`).toBe(value);
        }
      });
    }
    // The drawn values are the settings of the runs.
    for (const run of runs) {
      const params = new Map(run.params);
      expect(run.experiment.train.learning_rate).toBe(params.get('train.learning_rate'));
      if (params.has('seed')) expect(run.experiment.seed).toBe(params.get('seed'));
    }
  });

  it('numbers runs by first appearance and merges samples that resolve to the same settings', () => {
    const runs = expandGrid(load(randomSearch(30, 1, '  model.1: [sigmoid, tanh]\n  train.epochs: [5, 6]\n')));
    expect(runs.length).toBe(4);
    expect(runs.map((run) => run.index)).toEqual([1, 2, 3, 4]);
    expect(new Set(runs.map((run) => run.hash)).size).toBe(4);
    const samples = runs.flatMap((run) => run.samples!).sort((a, b) => a - b);
    expect(samples).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // Each run starts with its first sample, and runs are in the order of those.
    const firsts = runs.map((run) => run.samples![0]);
    expect([...firsts].sort((a, b) => a - b)).toEqual(firsts);
    expect(firsts[0]).toBe(1);
  });

  it('keeps every run of a smaller search with the same seed: the first n samples are a prefix', () => {
    const sweep = '  train.learning_rate: { loguniform: [0.01, 10] }\n  model.1: [sigmoid, tanh, relu]\n  train.epochs: { int_uniform: [5, 8] }\n';
    const small = expandGrid(load(randomSearch(12, 48, sweep)));
    const large = expandGrid(load(randomSearch(50, 48, sweep)));
    expect(small.length).toBeGreaterThan(8);
    expect(large.length).toBeGreaterThan(small.length);
    const largeByHash = new Map(large.map((run) => [run.hash, run]));
    for (const run of small) {
      const same = largeByHash.get(run.hash);
      expect(same, `run ${run.index}`).toBeDefined();
      expect(same!.index).toBe(run.index);
      expect(same!.params).toEqual(run.params);
      expect(same!.samples!.slice(0, run.samples!.length)).toEqual(run.samples);
    }
    // Another seed draws other samples.
    const other = expandGrid(load(randomSearch(12, 49, sweep)));
    expect(other.map((run) => run.hash)).not.toEqual(small.map((run) => run.hash));
  });

  it('gives a sampled run the same hash as the same settings in a grid (search settings are not part of a run)', () => {
    const [sampled] = expandGrid(load(randomSearch(3, 0, '  train.learning_rate: [0.25]\n')));
    const [grid] = expandGrid(load(`${MINIMAL}sweep:\n  train.learning_rate: [0.25]\n`));
    expect(sampled.hash).toBe(grid.hash);
    expect(sampled.samples).toEqual([1, 2, 3]);
    expect(sampled.experiment).not.toHaveProperty('search');
    expect(sampled.experiment).not.toHaveProperty('sweep');
  });

  it('keeps a drawn value within [low, high], also for a range of one value', () => {
    const runs = expandGrid(load(randomSearch(20, 3, '  train.learning_rate: { loguniform: [0.3, 0.3] }\n  seed: { int_uniform: [9, 9] }\n')));
    expect(runs).toHaveLength(1);
    expect(runs[0].params).toEqual([['train.learning_rate', 0.3], ['seed', 9]]);
  });
});

describe('random search errors', () => {
  // MINIMAL has 12 lines; `search:` is line 13, `sweep:` line 15 and its first key line 16.
  it('refuses a distribution in a grid, at the distribution', () => {
    expect(issuesOf(`${MINIMAL}sweep:\n  train.learning_rate: { loguniform: [0.001, 1] }\n`)).toBe(
      'experiments/test.yaml:14:24  sweep.train.learning_rate: { loguniform: [...] } is a distribution, drawn from only in a random search; ' +
        'add search: { random: { samples: 20, seed: 0 } }, or list the values to try',
    );
  });

  it('refuses a reversed range and a search without axes', () => {
    expect(issuesOf(randomSearch(5, 0, '  train.learning_rate: { uniform: [2, 1] }\n'))).toBe(
      'experiments/test.yaml:16:35  sweep.train.learning_rate.uniform: low (2) is above high (1); write [low, high]',
    );
    expect(issuesOf(`${MINIMAL}search:\n  random: { samples: 5 }\n`)).toMatch(
      /^experiments\/test\.yaml:14:3  search\.random: a random search draws its samples from the sweep axes; add a sweep/,
    );
  });

  it('checks the search itself against the schema', () => {
    expect(issuesOf(`${MINIMAL}search:\n  randm: { samples: 5 }\nsweep:\n  seed: [1]\n`)).toBe(
      'experiments/test.yaml:14:3  search.randm: unknown setting; did you mean "random"?',
    );
    expect(issuesOf(`${MINIMAL}search: {}\nsweep:\n  seed: [1]\n`)).toBe('experiments/test.yaml:13:9  search: expected at least 1 entry, found an empty mapping');
    expect(issuesOf(randomSearch(0, 0, '  seed: [1]\n'))).toMatch(/search\.random\.samples: expected an integer from 1 to 100000, found 0$/);
    expect(issuesOf(randomSearch(5, 0, '  seed: { int_uniform: [1, 2.5] }\n'))).toMatch(/sweep\.seed\.int_uniform\.1: expected an integer/);
    expect(issuesOf(randomSearch(5, 0, '  train.learning_rate: { loguniform: [0, 1] }\n'))).toMatch(/sweep\.train\.learning_rate\.loguniform\.0: expected a number > 0/);
  });

  it('locates a drawn value that a run cannot use at its distribution', () => {
    expect(issuesOf(randomSearch(10, 0, '  train.epochs: { int_uniform: [0, 3] }\n'))).toBe(
      'experiments/test.yaml:16:32  train.epochs: expected an integer from 1 to 1e7, found 0',
    );
  });

  it('refuses search as a sweep key', () => {
    expect(issuesOf(`${MINIMAL}sweep:\n  search.random.samples: [1, 2]\n`)).toMatch(/search cannot be swept/);
  });
});
