import { describe, expect, it } from 'vitest';
import {
  applyFeatureCrosses,
  BUILTIN_DATASET_NAMES,
  BUILTIN_DATASETS,
  DatasetError,
  isBuiltinDatasetName,
  prepareDataset,
  testSize,
} from '../../src/data/index.js';
import { RandomState } from '../../src/nn/rng.js';
import { columnOf, rowsOf } from './rows.js';

describe('logic gates', () => {
  const truth: Record<string, number[]> = {
    and: [0, 0, 0, 1],
    or: [0, 1, 1, 1],
    xor: [0, 1, 1, 0],
    nand: [1, 1, 1, 0],
    nor: [1, 0, 0, 0],
    xnor: [1, 0, 0, 1],
  };
  for (const [gate, outputs] of Object.entries(truth)) {
    it(`${gate}: X is 2 x 4 over (0,0), (0,1), (1,0), (1,1)`, () => {
      const prepared = prepareDataset({ builtin: gate as 'and' });
      expect(rowsOf(prepared.train.x)).toEqual([[0, 0, 1, 1], [0, 1, 0, 1]]);
      expect(rowsOf(prepared.train.y)).toEqual([outputs]);
      expect(prepared.test).toBeNull();
      expect(prepared.binaryTargets).toBe(true);
      expect(prepared.featureNames).toEqual(['x1', 'x2']);
    });
  }

  it('returns fresh arrays each time (a run may not change another run’s data)', () => {
    const a = prepareDataset({ builtin: 'xor' });
    a.train.x.data[0] = 42;
    expect(prepareDataset({ builtin: 'xor' }).train.x.data[0]).toBe(0);
  });
});

describe('feature crosses', () => {
  it('appends products in order and names them', () => {
    const prepared = prepareDataset({ builtin: 'xor', feature_crosses: [[0, 1], [0, 0], [1, 0, 1]] });
    expect(prepared.inputFeatureCount).toBe(2);
    expect(prepared.featureNames).toEqual(['x1', 'x2', 'x1*x2', 'x1*x1', 'x2*x1*x2']);
    expect(rowsOf(prepared.train.x)).toEqual([
      [0, 0, 1, 1],
      [0, 1, 0, 1],
      [0, 0, 0, 1],
      [0, 0, 1, 1],
      [0, 0, 0, 1],
    ]);
  });

  it('uses feature names (iris)', () => {
    const prepared = prepareDataset({ builtin: 'iris', features: ['petal_length', 'petal_width'], feature_crosses: [[1, 0]] });
    expect(prepared.featureNames).toEqual(['petal_length', 'petal_width', 'petal_width*petal_length']);
    expect(prepared.train.x.data[2 * 150 + 0]).toBe(0.2 * 1.4);
  });

  it('maps any grid of points the same way', () => {
    const grid = { rows: 2, cols: 3, data: Float64Array.of(1, 2, 3, -1, 0.5, 4) };
    const crossed = applyFeatureCrosses(grid, [[0, 1]]);
    expect(rowsOf(crossed)).toEqual([[1, 2, 3], [-1, 0.5, 4], [-1, 1, 12]]);
    expect(rowsOf(applyFeatureCrosses(grid, []))).toEqual(rowsOf(grid));
  });

  it('rejects indices outside the features before crossing, and crosses of fewer than two', () => {
    expect(() => prepareDataset({ builtin: 'xor', feature_crosses: [[0, 2]] })).toThrow(
      /feature_crosses\[0\] refers to feature 2, but the features before crossing are numbered 0 to 1/,
    );
    expect(() => prepareDataset({ builtin: 'xor', feature_crosses: [[0, 1], [-1, 0]] })).toThrow(/feature_crosses\[1\]/);
    expect(() => prepareDataset({ builtin: 'xor', feature_crosses: [[0, 0.5]] })).toThrow(DatasetError);
    expect(() => prepareDataset({ builtin: 'xor', feature_crosses: [[1]] })).toThrow(/at least two feature indices/);
    const grid = { rows: 2, cols: 1, data: Float64Array.of(1, 2) };
    expect(() => applyFeatureCrosses(grid, [[0, 3]])).toThrow(DatasetError);
  });
});

describe('shuffle', () => {
  it('permutes columns of X and Y together with np.random.permutation(m) after seed(s)', () => {
    const plain = prepareDataset({ builtin: 'circle', samples: 30, seed: 1 });
    const shuffled = prepareDataset({ builtin: 'circle', samples: 30, seed: 1, shuffle: 7 });
    const p = new RandomState(7).permutation(30);
    p.forEach((source, j) => {
      expect(columnOf(shuffled.train.x, j)).toEqual(columnOf(plain.train.x, source));
      expect(shuffled.train.y.data[j]).toBe(plain.train.y.data[source]);
    });
  });

  it('is applied after the crosses (crossed rows travel with their example)', () => {
    const shuffled = prepareDataset({ builtin: 'and', feature_crosses: [[0, 1]], shuffle: 3 });
    const [x1, x2, x12] = rowsOf(shuffled.train.x);
    x12.forEach((v, i) => expect(v).toBe(x1[i] * x2[i]));
    x1.forEach((v, i) => expect(shuffled.train.y.data[i]).toBe(v * x2[i]));
  });

  it('rejects seeds NumPy would reject', () => {
    expect(() => prepareDataset({ builtin: 'xor', shuffle: 1.5 })).toThrow(/shuffle must be an integer/);
    expect(() => prepareDataset({ builtin: 'xor', shuffle: 2 ** 32 })).toThrow(DatasetError);
  });
});

describe('test split', () => {
  it('holds out the last round(m * f) examples', () => {
    expect(testSize(150, 0.2)).toBe(30);
    expect(testSize(200, 0.25)).toBe(50);
    expect(testSize(10, 0.25)).toBe(3); // 2.5 rounds up
    expect(testSize(7, 0.1)).toBe(1);

    const whole = prepareDataset({ builtin: 'spiral', samples: 10, shuffle: 1 });
    const split = prepareDataset({ builtin: 'spiral', samples: 10, shuffle: 1, test_fraction: 0.25 });
    expect(split.train.x.cols).toBe(7);
    expect(split.train.y.cols).toBe(7);
    expect(split.test?.x.cols).toBe(3);
    expect(split.test?.y.cols).toBe(3);
    expect(split.test?.x.rows).toBe(2);
    for (let j = 0; j < 7; j++) expect(columnOf(split.train.x, j)).toEqual(columnOf(whole.train.x, j));
    for (let j = 0; j < 3; j++) expect(columnOf(split.test!.x, j)).toEqual(columnOf(whole.train.x, 7 + j));
    expect(Array.from(split.test!.y.data)).toEqual(Array.from(whole.train.y.data.subarray(7)));
  });

  it('refuses a split that leaves either side empty', () => {
    expect(() => prepareDataset({ builtin: 'xor', test_fraction: 0.1 })).toThrow(/leaves the test set empty/);
    expect(() => prepareDataset({ builtin: 'xor', test_fraction: 0.9 })).toThrow(/leaves the training set empty/);
    expect(() => prepareDataset({ builtin: 'xor', test_fraction: 0 })).toThrow(/between 0 and 1/);
    expect(() => prepareDataset({ builtin: 'xor', test_fraction: 1 })).toThrow(/between 0 and 1/);
  });

  it('reports binary targets over train and test together', () => {
    const split = prepareDataset({ builtin: 'iris', shuffle: 48, test_fraction: 0.2 });
    expect(split.binaryTargets).toBe(false);
    expect(prepareDataset({ builtin: 'iris', positive: 'setosa', test_fraction: 0.2 }).binaryTargets).toBe(true);
  });
});

describe('registry and source selection', () => {
  it('lists every builtin once, in the documented order', () => {
    expect(BUILTIN_DATASET_NAMES).toEqual([
      'and', 'or', 'xor', 'nand', 'nor', 'xnor', 'iris', 'circle', 'spiral', 'gaussians', 'xor-quadrants',
    ]);
    for (const name of BUILTIN_DATASET_NAMES) {
      expect(isBuiltinDatasetName(name)).toBe(true);
      expect(BUILTIN_DATASETS[name].description.length).toBeGreaterThan(0);
      const prepared = prepareDataset({ builtin: name });
      expect(prepared.train.x.cols).toBe(prepared.train.y.cols);
      expect(prepared.train.x.data.every(Number.isFinite)).toBe(true);
    }
    expect(isBuiltinDatasetName('toString')).toBe(false);
  });

  it('needs exactly one of builtin and csv, and a known builtin', () => {
    expect(() => prepareDataset({})).toThrow(/needs `builtin`.*or `csv`/);
    expect(() => prepareDataset({ builtin: 'xor', csv: 'a.csv' })).toThrow(/both `builtin` and `csv`/);
    expect(() => prepareDataset({ builtin: 'spirale' as 'spiral' })).toThrow(/unknown builtin dataset "spirale" \(did you mean "spiral"\?\)/);
  });

  it('rejects settings that do not apply to the chosen builtin', () => {
    expect(() => prepareDataset({ builtin: 'xor', noise: 0.2 })).toThrow(/`noise` does not apply to the builtin dataset "xor"/);
    expect(() => prepareDataset({ builtin: 'circle', positive: 'a' })).toThrow(/accepts `samples`, `noise`, `seed`/);
    expect(() => prepareDataset({ builtin: 'iris', target: 'species' })).toThrow(/`target` does not apply/);
    expect(() => prepareDataset({ builtin: 'iris', samples: 10 })).toThrow(/`samples` does not apply/);
  });
});

describe('problems carry the setting to change and come all at once', () => {
  /** The DatasetError that preparing `spec` throws. */
  const errorOf = (spec: Parameters<typeof prepareDataset>[0]): DatasetError => {
    try {
      prepareDataset(spec);
    } catch (error) {
      expect(error).toBeInstanceOf(DatasetError);
      return error as DatasetError;
    }
    throw new Error('expected a DatasetError');
  };

  it('names each setting as a path inside the dataset spec, for the caller to locate', () => {
    expect(errorOf({ builtin: 'iris', positive: 'virginca' }).setting).toEqual(['positive']);
    expect(errorOf({ builtin: 'xor', samples: 10 }).setting).toEqual(['samples']);
    expect(errorOf({ builtin: 'xor', feature_crosses: [[0, 1], [1, 5]] }).setting).toEqual(['feature_crosses', 1, 1]);
    expect(errorOf({ builtin: 'iris', features: ['petal_width', 'petal_lenght'] }).setting).toEqual(['features', 1]);
    expect(errorOf({ builtin: 'xor', test_fraction: 0.1 }).setting).toEqual(['test_fraction']);
  });

  it('reports every problem of one dataset together, not only the first', () => {
    const error = errorOf({ builtin: 'iris', positive: 'virginca', test_fraction: 0, feature_crosses: [[0, 7]], samples: 10 });
    expect(error.problems.map((p) => p.setting)).toEqual([['samples'], ['positive'], ['test_fraction'], ['feature_crosses', 0, 1]]);
    expect(error.message.split('\n')).toHaveLength(4);
    expect(error.problems[2].problem).toBe('test_fraction must be a number between 0 and 1 (exclusive), e.g. 0.2; found 0');
  });
});
