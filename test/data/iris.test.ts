import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IRIS_CLASSES, IRIS_FEATURES, irisData, prepareDataset, DatasetError } from '../../src/data/index.js';
import { columnOf, rowsOf } from './rows.js';

const reference = JSON.parse(readFileSync(new URL('../fixtures/numpy/iris-shuffle48.json', import.meta.url), 'utf8'));
const goldenRng = JSON.parse(readFileSync(new URL('../fixtures/numpy-legacy-rng.json', import.meta.url), 'utf8'));

describe('iris table', () => {
  const { x, y, featureNames } = irisData();

  it('has 150 flowers with four features in cm', () => {
    expect(x.rows).toBe(4);
    expect(x.cols).toBe(150);
    expect(y.rows).toBe(1);
    expect(y.cols).toBe(150);
    expect(featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
  });

  it('lists 50 setosa, then 50 versicolor, then 50 virginica (class index 0/1/2)', () => {
    const labels = Array.from(y.data);
    expect(labels.slice(0, 50).every((v) => v === 0)).toBe(true);
    expect(labels.slice(50, 100).every((v) => v === 1)).toBe(true);
    expect(labels.slice(100).every((v) => v === 2)).toBe(true);
  });

  it('carries the R / scikit-learn corrections of rows 35 and 38 (1-based)', () => {
    expect(columnOf(x, 34)).toEqual([4.9, 3.1, 1.5, 0.2]);
    expect(columnOf(x, 37)).toEqual([4.9, 3.6, 1.4, 0.1]);
  });

  it('matches well-known rows', () => {
    expect(columnOf(x, 0)).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(columnOf(x, 49)).toEqual([5.0, 3.3, 1.4, 0.2]);
    expect(columnOf(x, 50)).toEqual([7.0, 3.2, 4.7, 1.4]);
    expect(columnOf(x, 99)).toEqual([5.7, 2.8, 4.1, 1.3]);
    expect(columnOf(x, 100)).toEqual([6.3, 3.3, 6.0, 2.5]);
    expect(columnOf(x, 131)).toEqual([7.9, 3.8, 6.4, 2.0]);
    expect(columnOf(x, 149)).toEqual([5.9, 3.0, 5.1, 1.8]);
  });

  it('has the classic column sums (means 5.843, 3.057, 3.758, 1.199)', () => {
    const sums = rowsOf(x).map((row) => row.reduce((a, b) => a + b, 0));
    expect(sums[0]).toBeCloseTo(876.5, 9);
    expect(sums[1]).toBeCloseTo(458.6, 9);
    expect(sums[2]).toBeCloseTo(563.7, 9);
    expect(sums[3]).toBeCloseTo(179.9, 9);
  });

  it('selects features by name in the order given', () => {
    const picked = irisData(['petal_width', 'sepal_length']);
    expect(picked.featureNames).toEqual(['petal_width', 'sepal_length']);
    expect(rowsOf(picked.x)).toEqual([rowsOf(x)[3], rowsOf(x)[0]]);
  });

  it('maps the `positive` class to 1 and the others to 0', () => {
    for (const [c, name] of IRIS_CLASSES.entries()) {
      const labels = Array.from(irisData(undefined, name).y.data);
      expect(labels.filter((v) => v === 1)).toHaveLength(50);
      expect(labels.filter((v) => v === 0)).toHaveLength(100);
      expect(labels.slice(c * 50, c * 50 + 50).every((v) => v === 1)).toBe(true);
    }
  });

  it('rejects unknown features and classes with a suggestion', () => {
    expect(() => irisData(['petal_lenght'])).toThrow(/no feature "petal_lenght" \(did you mean "petal_length"\?\)/);
    expect(() => irisData(['petal_lenght'])).toThrow(DatasetError);
    expect(() => irisData(['sepal_width', 'sepal_width'])).toThrow(/listed twice/);
    expect(() => irisData([])).toThrow(/at least one feature/);
    expect(() => irisData(undefined, 'virginca')).toThrow(/no class "virginca" \(did you mean "virginica"\?\)/);
    expect(IRIS_FEATURES).toHaveLength(4);
  });
});

describe('iris through prepareDataset', () => {
  it('is not binary without `positive`, binary with it', () => {
    expect(prepareDataset({ builtin: 'iris' }).binaryTargets).toBe(false);
    expect(prepareDataset({ builtin: 'iris', positive: 'virginica' }).binaryTargets).toBe(true);
  });

  it('shuffle 48 uses the permutation NumPy draws for seed 48, n 150', () => {
    expect(reference.permutation).toEqual(goldenRng.permutation.values);
    const { x } = irisData();
    const shuffled = prepareDataset({ builtin: 'iris', shuffle: 48 }).train.x;
    const perm: number[] = goldenRng.permutation.values;
    perm.forEach((source, j) => expect(columnOf(shuffled, j)).toEqual(columnOf(x, source)));
  });

  it('shuffle 48 gives exactly the X and Y that NumPy gives (independent iris copy)', () => {
    const prepared = prepareDataset({ builtin: 'iris', shuffle: 48 });
    expect(rowsOf(prepared.train.x)).toEqual(reference.x);
    expect(rowsOf(prepared.train.y)).toEqual(reference.y);
  });

  it('test_fraction 0.2 after shuffle 48 holds out the last 30 examples, as X[:, 120:] in NumPy', () => {
    const prepared = prepareDataset({ builtin: 'iris', shuffle: 48, test_fraction: reference.test_fraction });
    expect(prepared.train.x.cols).toBe(120);
    expect(prepared.test?.x.cols).toBe(30);
    expect(prepared.test?.y.cols).toBe(30);
    expect(columnOf(prepared.train.x, 119)).toEqual(reference.x_train_last_column);
    const firstTest = rowsOf(prepared.test!.x).map((row) => row.slice(0, 4));
    expect(firstTest).toEqual(reference.x_test_first_columns);
  });
});
