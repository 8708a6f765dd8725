// Class targets for a model with one output per class: the class order, one-hot columns, and how
// each source (iris, CSV labels, the 0/1 builtins) becomes k classes.
import { describe, expect, it } from 'vitest';
import { classesOfLabels, compareCodePoints, oneHot } from '../../src/data/classes.js';
import { DatasetError, prepareDataset } from '../../src/data/index.js';

const csv = (text: string) => ({ csvBytes: new TextEncoder().encode(text), classes: true });

describe('class order', () => {
  it('numbers numerically (first spelling kept, equal numbers one class), then text by code point', () => {
    const { names, index } = classesOfLabels(['10', 'b', '2', 'B', '1.0', 'é', '1', '😀', 'ﬀ', '-3']);
    expect(names).toEqual(['-3', '1.0', '2', '10', 'B', 'b', 'é', 'ﬀ', '😀']);
    expect(Array.from(index)).toEqual([3, 5, 2, 4, 1, 6, 1, 8, 7, 0]);
  });

  it('compares strings by code point, as Python sorts them, not by UTF-16 unit', () => {
    // U+FB00 is one UTF-16 unit above the surrogates that encode U+1F600.
    expect(['😀', 'ﬀ'].sort()).toEqual(['😀', 'ﬀ']);
    expect(['😀', 'ﬀ'].sort(compareCodePoints)).toEqual(['ﬀ', '😀']);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
  });

  it('one-hot: column i has its 1 in the row of its class', () => {
    expect(Array.from(oneHot(Int32Array.of(2, 0, 1, 0), 3).data)).toEqual([0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0]);
  });
});

describe('datasets with class targets', () => {
  it('iris: setosa, versicolor, virginica in the order of the outputs', () => {
    const data = prepareDataset({ builtin: 'iris' }, { classes: true });
    expect(data.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(data.train.y.rows).toBe(3);
    const y = data.train.y.data;
    expect([y[0], y[150], y[300]]).toEqual([1, 0, 0]);
    expect([y[50], y[200], y[350]]).toEqual([0, 1, 0]);
    expect([y[149], y[299], y[449]]).toEqual([0, 0, 1]);
    // Without class targets iris keeps its one row of class indices.
    const plain = prepareDataset({ builtin: 'iris' });
    expect(plain.classes).toBeNull();
    expect(plain.train.y.rows).toBe(1);
    expect([plain.train.y.data[0], plain.train.y.data[149]]).toEqual([0, 2]);
  });

  it('CSV labels, text or numbers, shuffled and split with their one-hot columns', () => {
    const text = 'x,colour\n1,blue\n2,Green\n3,été\n4,blue\n';
    const data = prepareDataset({ csv: '/data/c.csv' }, csv(text));
    expect(data.classes).toEqual(['Green', 'blue', 'été']);
    expect(Array.from(data.train.y.data)).toEqual([0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0]);
    const numbers = prepareDataset({ csv: '/data/n.csv' }, csv('x,y\n1,10\n2,2\n3,2.0\n4,-1\n'));
    expect(numbers.classes).toEqual(['-1', '2', '10']);
    const split = prepareDataset({ csv: '/data/c.csv', shuffle: 3, test_fraction: 0.5 }, csv(text));
    expect(split.train.y.rows).toBe(3);
    expect(split.test!.y.rows).toBe(3);
    for (const part of [split.train, split.test!]) {
      for (let i = 0; i < part.y.cols; i++) expect(part.y.data[i] + part.y.data[part.y.cols + i] + part.y.data[2 * part.y.cols + i]).toBe(1);
    }
    expect(() => prepareDataset({ csv: '/data/e.csv' }, csv('x,y\n1,a\n2, \n'))).toThrow(/target cell is empty/);
  });

  it('the 0/1 labels of the other builtins become two classes', () => {
    const xor = prepareDataset({ builtin: 'xor' }, { classes: true });
    expect(xor.classes).toEqual(['0', '1']);
    expect(Array.from(xor.train.y.data)).toEqual([1, 0, 0, 1, 0, 1, 1, 0]);
  });

  it('refuses `positive`, which makes one-vs-rest targets', () => {
    expect(() => prepareDataset({ builtin: 'iris', positive: 'setosa' }, { classes: true })).toThrow(DatasetError);
  });
});
