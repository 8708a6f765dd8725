// Class targets for a model with one output per class (softmax + cross_entropy): every example's
// label becomes a one-hot column of Y (k x m), in a fixed class order that the manifest records.
//   - iris: setosa, versicolor, virginica (the order of the data);
//   - CSV labels and the 0/1 labels of the other builtins: sorted, numbers numerically first
//     (labels that read as the same number, "1" and "1.0", are one class), then text by code points.

import { DatasetError } from './errors.js';
import { readNumber } from './numbers.js';
import type { LabelledData, Matrix } from './types.js';

/** Class labels in their class order, and each example's class index. */
export interface ClassLabels {
  names: string[];
  index: Int32Array;
}

/** Orders the distinct labels of `labels` (one per example) and maps every example to its class. */
export function classesOfLabels(labels: readonly string[]): ClassLabels {
  const numeric = new Map<number, string>(); // value -> first spelling seen
  const text = new Set<string>();
  for (const label of labels) {
    const reading = readNumber(label);
    if (reading.ok) {
      if (!numeric.has(reading.value)) numeric.set(reading.value, label);
    } else {
      text.add(label);
    }
  }
  const numbers = [...numeric.keys()].sort((a, b) => a - b);
  const names = [...numbers.map((value) => numeric.get(value)!), ...[...text].sort(compareCodePoints)];
  const byValue = new Map(numbers.map((value, k) => [value, k]));
  const byText = new Map([...text].sort(compareCodePoints).map((label, k) => [label, numbers.length + k]));
  const index = Int32Array.from(labels, (label) => {
    const reading = readNumber(label);
    return reading.ok ? byValue.get(reading.value)! : byText.get(label)!;
  });
  return { names, index };
}

/** Strings by Unicode code point (as Python sorts them), not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Y (k x m): column i is 1 in row index[i] and 0 elsewhere. */
export function oneHot(index: Int32Array, k: number): Matrix {
  const m = index.length;
  const data = new Float64Array(k * m);
  for (let i = 0; i < m; i++) data[index[i] * m + i] = 1;
  return { rows: k, cols: m, data };
}

/**
 * The data with one-hot class targets. Sources that name their classes (iris, CSV labels) bring
 * them in `classNames` with Y holding class indices; numeric 0/1 labels are classes by value.
 */
export function withClassTargets(data: LabelledData): LabelledData & { classNames: string[] } {
  if (data.y.rows !== 1) throw new DatasetError(`class targets need one label per example, found ${data.y.rows} target rows`);
  const { names, index } =
    data.classNames !== undefined
      ? { names: [...data.classNames], index: Int32Array.from(data.y.data) }
      : classesOfLabels(Array.from(data.y.data, (value) => String(value)));
  return { ...data, y: oneHot(index, names.length), classNames: names };
}
