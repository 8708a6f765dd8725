import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ExperimentError,
  MAX_RUNS,
  expandGrid,
  formatIssues,
  linspace,
  logspace,
  parseExperiment,
  type LoadedExperiment,
  type ValidationIssue,
} from '../../src/experiment/index.js';
import { ENGINE_VERSION } from '../../src/nn/version.js';
import { DESIGN_EXAMPLE, FILE, MINIMAL } from './helpers.js';

const load = (source: string): LoadedExperiment => parseExperiment(source, FILE, { baseDir: '/work/exp' });
const withSweep = (sweep: string): LoadedExperiment => load(`${MINIMAL}sweep:\n${sweep}`);

function gridIssues(loaded: LoadedExperiment, options?: Parameters<typeof expandGrid>[1]): ValidationIssue[] {
  try {
    expandGrid(loaded, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentError);
    return (error as ExperimentError).issues;
  }
  throw new Error('expected the grid to be rejected');
}

describe('grid expansion', () => {
  it('expands the reference example experiment (xor-lr) into 8 runs in the order written', () => {
    const runs = expandGrid(parseExperiment(DESIGN_EXAMPLE, 'experiments/xor-lr.yaml'));
    expect(runs.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(runs.map((r) => r.params)).toEqual([0.01, 0.1, 0.5, 1, 2, 5, 10, 50].map((lr) => [['train.learning_rate', lr]]));
    expect(runs.map((r) => r.experiment.train.learning_rate)).toEqual([0.01, 0.1, 0.5, 1, 2, 5, 10, 50]);
    for (const run of runs) {
      expect(run.experiment).not.toHaveProperty('sweep');
      expect(run.experiment.name).toBe('xor-lr');
      expect(run.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(runs.map((r) => r.hash)).size).toBe(8);
  });

  it('without a sweep gives one run with no params', () => {
    const runs = expandGrid(load(MINIMAL));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ index: 1, params: [] });
    expect(runs[0].experiment.train).toEqual({ epochs: 10, learning_rate: 0.5, batch_size: 'full', record_every: 1 });
  });

  it('varies the first key slowest (Cartesian product in the order written)', () => {
    const runs = expandGrid(withSweep('  seed: [1, 2]\n  train.learning_rate: [0.1, 1, 10]\n  model.0.init: [he, zeros]\n'));
    expect(runs).toHaveLength(12);
    expect(runs.map((r) => r.params.map(([, v]) => v).join(' '))).toEqual([
      '1 0.1 he', '1 0.1 zeros', '1 1 he', '1 1 zeros', '1 10 he', '1 10 zeros',
      '2 0.1 he', '2 0.1 zeros', '2 1 he', '2 1 zeros', '2 10 he', '2 10 zeros',
    ]);
    expect(runs[0].params.map(([k]) => k)).toEqual(['seed', 'train.learning_rate', 'model.0.init']);
    const last = runs[11].experiment;
    expect([last.seed, last.train.learning_rate, last.model[0]]).toEqual([2, 10, { linear: 2, init: 'zeros' }]);
  });

  it('writes into list entries by index and leaves the rest alone', () => {
    const runs = expandGrid(withSweep('  model.1: [sigmoid, tanh, relu]\n  model.2.linear: [1]\n'));
    expect(runs.map((r) => r.experiment.model[1])).toEqual(['sigmoid', 'tanh', 'relu']);
    expect(runs[2].experiment.model).toEqual([{ linear: 2, init: 'xavier' }, 'relu', { linear: 1, init: 'xavier' }, 'sigmoid']);
  });

  it('sweeps optional settings that the file does not set', () => {
    const runs = expandGrid(withSweep('  dataset.shuffle: [1, 2]\n  divergence.max_cost: [10]\n'));
    expect(runs.map((r) => r.experiment.dataset)).toEqual([{ builtin: 'xor', shuffle: 1 }, { builtin: 'xor', shuffle: 2 }]);
    expect(runs[0].experiment.divergence).toEqual({ max_cost: 10 });
  });

  it('expands logspace between the given values, both included', () => {
    const runs = expandGrid(withSweep('  train.learning_rate: { logspace: [1.0e-3, 1.0e2, 11] }\n'));
    // numpy.geomspace(1e-3, 1e2, 11)
    const expected = [0.001, 0.0031622776601683794, 0.01, 0.03162277660168379, 0.1, 0.31622776601683794, 1, 3.1622776601683795, 10, 31.622776601683793, 100];
    expect(runs.map((r) => r.experiment.train.learning_rate)).toEqual(expected);
    expect(runs.map((r) => r.params[0][1])).toEqual(expected);
    expect(logspace(2, 2, 3)).toEqual([2, 2, 2]);
    expect(logspace(5, 50, 1)).toEqual([5]);
    expect(logspace(100, 1, 3)).toEqual([100, 10, 1]);
  });

  it('expands linspace evenly, both ends included', () => {
    const runs = expandGrid(withSweep('  train.epochs: { linspace: [100, 1000, 4] }\n'));
    expect(runs.map((r) => r.experiment.train.epochs)).toEqual([100, 400, 700, 1000]);
    expect(linspace(0, 1, 11)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(linspace(1, -1, 3)).toEqual([1, 0, -1]);
    expect(linspace(7, 9, 1)).toEqual([7]);
  });

  it('sweeps structured values by label', () => {
    const sweep = [
      '  model:',
      '    named:',
      '      one-layer: [{ linear: 1 }, sigmoid]',
      '      two-layer: [{ linear: 3, init: he }, tanh, { linear: 1 }, sigmoid]',
      '  model.0.init: [plain, zeros]',
      '',
    ].join('\n');
    const runs = expandGrid(withSweep(sweep));
    expect(runs.map((r) => r.params)).toEqual([
      [['model', 'one-layer'], ['model.0.init', 'plain']],
      [['model', 'one-layer'], ['model.0.init', 'zeros']],
      [['model', 'two-layer'], ['model.0.init', 'plain']],
      [['model', 'two-layer'], ['model.0.init', 'zeros']],
    ]);
    expect(runs[0].experiment.model).toEqual([{ linear: 1, init: 'plain' }, 'sigmoid']);
    expect(runs[3].experiment.model).toEqual([{ linear: 3, init: 'zeros' }, 'tanh', { linear: 1, init: 'xavier' }, 'sigmoid']);
  });

  it('keeps dataset.csv as written, reads each file against the experiment folder and hashes its content', () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'gradgrid-grid-')), mkdtempSync(join(tmpdir(), 'gradgrid-grid-'))];
    try {
      for (const dir of dirs) {
        mkdirSync(join(dir, 'data'));
        writeFileSync(join(dir, 'data', 'points.csv'), 'x1,x2,y\n0,0,0\n1,1,1\n');
        writeFileSync(join(dir, 'data', 'other.csv'), 'x1,x2,y\n0,0,1\n1,1,0\n');
      }
      const source = MINIMAL.replace('builtin: xor', 'csv: data/points.csv');
      const inDir = (dir: string, text: string) => ({ ...load(text), baseDir: dir });
      const [first] = expandGrid(inDir(dirs[0], source));
      const [second] = expandGrid(inDir(dirs[1], source));
      expect(first.experiment.dataset.csv).toBe('data/points.csv');
      expect(first.csvDigest).toMatch(/^[0-9a-f]{64}$/);
      // The same bytes and settings in another folder are the same run.
      expect(second.hash).toBe(first.hash);
      const swept = expandGrid(inDir(dirs[0], `${source}sweep:\n  dataset.csv: [data/points.csv, data/other.csv]\n`));
      expect(swept.map((r) => r.experiment.dataset.csv)).toEqual(['data/points.csv', 'data/other.csv']);
      expect(swept[0].hash).toBe(first.hash);
      expect(swept[1].hash).not.toBe(first.hash);
      // Edited data is another run.
      writeFileSync(join(dirs[1], 'data', 'points.csv'), 'x1,x2,y\n0,0,0\n1,1,0\n');
      expect(expandGrid(inDir(dirs[1], source))[0].hash).not.toBe(first.hash);
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a CSV file that cannot be read at dataset.csv, with the path it tried', () => {
    const source = MINIMAL.replace('builtin: xor', 'csv: data/missing.csv');
    const issues = gridIssues(load(source));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('dataset.csv');
    expect(issues[0].message).toContain('does not exist');
    expect(issues[0].message).toContain(join('/work/exp', 'data/missing.csv'));
    expect(issues[0].line).toBe(3);
  });

  it('is pure: the loaded experiment is not changed and runs share no objects', () => {
    const loaded = withSweep('  model.0.init: [he, zeros]\n');
    const before = JSON.stringify(loaded);
    const runs = expandGrid(loaded);
    expect(JSON.stringify(loaded)).toBe(before);
    expect(runs[0].experiment.model[0]).not.toBe(runs[1].experiment.model[0]);
    expect(JSON.stringify(expandGrid(loaded))).toBe(JSON.stringify(runs));
  });

  it('fills a setting the file left out because the sweep provides it', () => {
    const runs = expandGrid(load(`${MINIMAL.replace('  learning_rate: 0.5\n', '')}sweep:\n  train.learning_rate: [0.1, 1]\n`));
    expect(runs.map((r) => r.experiment.train)).toEqual([
      { epochs: 10, learning_rate: 0.1, batch_size: 'full', record_every: 1 },
      { epochs: 10, learning_rate: 1, batch_size: 'full', record_every: 1 },
    ]);
  });
});

describe('grid errors', () => {
  // MINIMAL has 12 lines; `sweep:` is line 13 and its first key line 14.
  it('locates an invalid swept value at that value in the sweep list', () => {
    const issues = gridIssues(withSweep('  train.learning_rate: [0.1, -1, 1]\n'));
    expect(formatIssues(issues)).toBe('experiments/test.yaml:14:30  train.learning_rate: expected a number > 0 and <= 1e12, found -1');
  });

  it('reports each bad value once, however many runs it appears in', () => {
    const issues = gridIssues(withSweep('  seed: [1, 2, 3, 4]\n  model.1: [sigmoid, sigmod]\n'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 15, column: 22, path: 'model.1', suggestion: 'sigmoid' });
  });

  it('locates problems inside a named value', () => {
    const sweep = '  model:\n    named:\n      ok: [{ linear: 1 }, sigmoid]\n      bad: [{ linear: 1 }, sigmod]\n';
    const issues = gridIssues(withSweep(sweep));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 17, column: 28, path: 'model.1', suggestion: 'sigmoid' });
  });

  it('locates generated values that break a rule at the helper', () => {
    const issues = gridIssues(withSweep('  train.epochs: { linspace: [1, 2, 3] }\n'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 14, column: 29, path: 'train.epochs', message: 'expected an integer from 1 to 1e7, found 1.5' });
  });

  it('names the grid point when the problem lies outside the swept values', () => {
    const source = `${MINIMAL.replace('  - { linear: 2 }', '  - { linear: 2, weights: [[1, 2], [3, 4]] }')}sweep:\n  model.0.linear: [2, 3]\n`;
    const issues = gridIssues(load(source));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 5, path: 'model.0.weights' });
    expect(issues[0].message).toMatch(/\(when model\.0\.linear = 3\)$/);
  });

  it('rejects a sweep path that does not exist, with a suggestion', () => {
    const issues = gridIssues(withSweep('  train.learning_rte: [1, 2]\n  model.7.init: [he]\n  model.1.init: [he]\n  seeed: [1]\n  name: [a]\n  dataset.feature_crosses.0: [1]\n'));
    expect(formatIssues(issues)).toBe(
      [
        'experiments/test.yaml:14:3  sweep.train.learning_rte: unknown setting "learning_rte" in train; did you mean "train.learning_rate"?',
        'experiments/test.yaml:15:3  sweep.model.7.init: model has no entry 7; its entries are model.0 to model.3',
        'experiments/test.yaml:16:3  sweep.model.1.init: model.1 is "sigmoid", which has no setting init',
        'experiments/test.yaml:17:3  sweep.seeed: unknown setting "seeed"; did you mean "seed"?',
        'experiments/test.yaml:18:3  sweep.name: name cannot be swept; it describes the experiment, not a setting of its runs',
        'experiments/test.yaml:19:3  sweep.dataset.feature_crosses.0: dataset.feature_crosses is not set, so dataset.feature_crosses.0 cannot be swept; set it first',
      ].join('\n'),
    );
  });

  it('rejects malformed sweep axes when the file is loaded', () => {
    const load1 = (sweep: string): ValidationIssue[] => {
      try {
        withSweep(sweep);
      } catch (error) {
        return (error as ExperimentError).issues;
      }
      throw new Error('expected a load error');
    };
    expect(load1('  seed: []\n')[0]).toMatchObject({ line: 14, column: 9, path: 'sweep.seed' });
    expect(load1('  seed: 5\n')[0].message).toBe(
      'expected a list of values, { logspace: [from, to, n] }, { linspace: [from, to, n] }, { named: { label: value, ... } }, ' +
        'or in a random search { loguniform: [low, high] }, { uniform: [low, high] } or { int_uniform: [low, high] }, found 5',
    );
    expect(load1('  seed: { logspce: [1, 2, 3] }\n')[0]).toMatchObject({ line: 14, column: 11, suggestion: 'logspace' });
    expect(load1('  train.learning_rate: { logspace: [0, 1, 3] }\n')[0]).toMatchObject({ path: 'sweep.train.learning_rate.logspace.0', message: 'expected a number > 0, found 0' });
    expect(load1('  seed: { linspace: [1, 2] }\n')[0]).toMatchObject({ message: 'expected [from, to, n], found a list of 2 entries' });
    expect(load1('  Train.Learning_Rate: [1]\n')[0]).toMatchObject({ line: 14, column: 3, suggestion: 'train.learning_rate' });
    expect(load1('  seed: [1, 1]\n')[0].message).toMatch(/found 1 more than once$/);
    expect(load1('  seed: [[1]]\n')[0]).toMatchObject({ path: 'sweep.seed.0', line: 14, column: 10 });
  });

  it(`refuses more than ${MAX_RUNS} runs before expanding anything`, () => {
    const loaded = withSweep('  seed: { linspace: [0, 999, 1000] }\n  train.learning_rate: { logspace: [0.001, 1, 101] }\n');
    const issues = gridIssues(loaded);
    expect(formatIssues(issues)).toBe(
      'experiments/test.yaml:13:1  sweep: the sweep makes 101000 runs (1000 seed x 101 train.learning_rate); the limit is 100000 runs',
    );
    // 10^15 runs could never be expanded: that this returns at all shows the count comes first.
    const huge = withSweep('  seed: { linspace: [0, 9, 100000] }\n  train.epochs: { linspace: [1, 100000, 100000] }\n  train.record_every: { linspace: [1, 100000, 100000] }\n');
    expect(gridIssues(huge)[0].message).toMatch(/^the sweep makes 1000000000000000 runs/);
    expect(gridIssues(withSweep('  seed: [1, 2, 3]\n'), { maxRuns: 2 })[0].message).toMatch(/the limit is 2 runs$/);
  });

  it('expands exactly the limit', () => {
    // A limit of 3 000 stands in for MAX_RUNS (refused one above, in the test before): the same
    // code path, a thirtieth of the work.
    const runs = expandGrid(withSweep('  seed: { linspace: [0, 29, 30] }\n  train.learning_rate: { logspace: [0.001, 1, 100] }\n'), { maxRuns: 3000 });
    expect(runs).toHaveLength(3000);
    expect(runs[2999].params).toEqual([['seed', 29], ['train.learning_rate', 1]]);
    expect(new Set(runs.map((run) => run.hash)).size).toBe(3000);
  });
});

describe('run hashes', () => {
  const hashOf = (source: string): string => expandGrid(load(source))[0].hash;

  it('are stable: the same content gives the same hash, whatever the key order or the defaults written', () => {
    const reordered = MINIMAL.replace('train:\n  epochs: 10\n  learning_rate: 0.5', 'train:\n  learning_rate: 0.5\n  epochs: 10');
    const explicit = `${MINIMAL.replace('  - { linear: 2 }', '  - { init: xavier, linear: 2 }')}  batch_size: full\nseed: 0\ndivergence: { max_cost: 1.0e6 }\n`;
    expect(hashOf(MINIMAL)).toBe(hashOf(MINIMAL));
    expect(hashOf(reordered)).toBe(hashOf(MINIMAL));
    expect(hashOf(explicit)).toBe(hashOf(MINIMAL));
  });

  it('do not depend on the name or the description', () => {
    const renamed = `${MINIMAL.replace('name: tiny', 'name: other')}description: anything\n`;
    expect(hashOf(renamed)).toBe(hashOf(MINIMAL));
  });

  it('change with any setting and with the engine version', () => {
    const base = hashOf(MINIMAL);
    expect(hashOf(MINIMAL.replace('learning_rate: 0.5', 'learning_rate: 0.6'))).not.toBe(base);
    expect(hashOf(`${MINIMAL}seed: 1\n`)).not.toBe(base);
    expect(hashOf(MINIMAL.replace('builtin: xor', 'builtin: and'))).not.toBe(base);
    expect(expandGrid(load(MINIMAL), { engineVersion: `${ENGINE_VERSION}-next` })[0].hash).not.toBe(base);
    expect(expandGrid(load(MINIMAL), { engineVersion: ENGINE_VERSION })[0].hash).toBe(base);
  });

  it('equal for the same resolved run, swept or written', () => {
    const swept = expandGrid(load(`${MINIMAL}sweep:\n  train.learning_rate: [0.5, 2]\n`));
    expect(swept[0].hash).toBe(hashOf(MINIMAL));
    expect(swept[1].hash).toBe(hashOf(MINIMAL.replace('learning_rate: 0.5', 'learning_rate: 2')));
  });
});
