// End to end against NumPy: whole experiment files, swept through the built CLI as a user runs
// them, must agree with an independent NumPy implementation (test/reference/numpy_experiments.py,
// which wrote test/fixtures/numpy/experiments/) to 1e-9 relative at every recorded epoch, with the
// same stop epoch and the same final accuracies. The files are written here, the first four as copies
// of shipped examples (frozen, so tuning an example does not invalidate the fixtures). If an
// experiment here changes, change its mirror in the Python script and run
//   python3 test/reference/numpy_experiments.py
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { ROOT, readCsv, runCli, workspace, type CliResult } from '../helpers/cli.js';

const TOLERANCE = 1e-9;
const FIXTURES = join(ROOT, 'test/fixtures/numpy/experiments');

interface Case {
  /** Names the fixtures <name>.curves.csv and <name>.summary.csv. */
  name: string;
  /** The experiment file, written as experiments/numpy-<name>.yaml into a copy of experiments/. */
  yaml: string;
}

const CASES: Case[] = [
  {
    name: 'iris-petals',
    yaml: `name: iris-petals
description: Virginica or not from petal sizes, shuffled 80/20 split (like experiments/iris-petals.yaml).
seed: 48
dataset:
  builtin: iris
  features: [petal_length, petal_width]
  positive: virginica
  shuffle: 48
  test_fraction: 0.2
model:
  - { linear: 4, init: xavier }
  - tanh
  - { linear: 1, init: xavier }
  - sigmoid
loss: bce
train:
  epochs: 3000
  learning_rate: 0.1
sweep:
  train.learning_rate: [0.01, 0.03, 0.05]
`,
  },
  {
    name: 'xor-featcross',
    yaml: `name: xor-featcross
description: One unit learns XOR once the cross x1*x2 is added (as experiments/xor-featcross.yaml).
seed: 48
dataset:
  builtin: xor
  feature_crosses: [[0, 1]]
model:
  - { linear: 1, init: xavier }
  - sigmoid
loss: bce
train:
  epochs: 5000
  learning_rate: 1
sweep:
  train.learning_rate: [0.1, 1, 5]
`,
  },
  {
    name: 'xor-depth',
    yaml: `name: xor-depth
description: One, two and three layers on XOR (as experiments/xor-depth.yaml).
seed: 48
dataset:
  builtin: xor
model:
  - { linear: 1, init: xavier }
  - sigmoid
loss: squared_error
train:
  epochs: 5000
  learning_rate: 1
sweep:
  model:
    named:
      1-layer:
        - { linear: 1, init: xavier }
        - sigmoid
      2-layer:
        - { linear: 3, init: xavier }
        - sigmoid
        - { linear: 1, init: xavier }
        - sigmoid
      3-layer:
        - { linear: 3, init: xavier }
        - sigmoid
        - { linear: 3, init: xavier }
        - sigmoid
        - { linear: 1, init: xavier }
        - sigmoid
  train.learning_rate: [0.5, 2]
`,
  },
  {
    name: 'houses-regression',
    yaml: `name: houses-regression
description: Linear regression on data/houses.csv, rates on both sides of 2/lambda_max (as experiments/houses-regression.yaml).
seed: 0
dataset:
  csv: data/houses.csv
  features: [size, age]
  target: price
model:
  - { linear: 1, init: zeros }
  - identity
loss: squared_error
train:
  epochs: 1000
  learning_rate: 0.1
sweep:
  train.learning_rate: [0.02, 0.1, 0.2, 0.21, 0.22, 0.25, 0.3]
`,
  },
  {
    name: 'houses-overflow',
    yaml: `name: houses-overflow
description: Far beyond the stability limit; one run passes max_cost, the other overflows to Infinity.
seed: 0
dataset:
  csv: data/houses.csv
  features: [size, age]
  target: price
model:
  - { linear: 1, init: he }
  - identity
loss: squared_error
train:
  epochs: 2000
  learning_rate: 1
  record_every: 10
divergence:
  max_cost: 1.0e300
sweep:
  train.learning_rate: [3, 300]
`,
  },
  {
    name: 'gate-bce-keras',
    yaml: `name: gate-bce-keras
description: Keras-style clipped cross-entropy with steps large enough to push outputs out of the band.
seed: 3
dataset:
  builtin: nand
loss: bce_keras
train:
  epochs: 600
  learning_rate: 1
sweep:
  model:
    named:
      1-layer:
        - { linear: 1 }
        - sigmoid
      2-layer:
        - { linear: 3 }
        - tanh
        - { linear: 1 }
        - sigmoid
  train.learning_rate: [3, 20]
`,
  },
  {
    name: 'gates-relu-init',
    yaml: `name: gates-relu-init
description: he and plain initialisation, relu and leaky_relu hidden units, on OR and AND.
seed: 5
dataset:
  builtin: or
model:
  - { linear: 4, init: he }
  - relu
  - { linear: 1, init: he }
  - sigmoid
loss: squared_error
train:
  epochs: 1500
  learning_rate: 2
sweep:
  dataset.builtin: [or, and]
  model.0.init: [he, plain]
  model.1: [relu, leaky_relu]
`,
  },
  {
    name: 'xor-explicit-weights',
    yaml: `name: xor-explicit-weights
description: A 2-layer XOR network started from given weights in the first layer, or only in the second.
seed: 48
dataset:
  builtin: xor
loss: squared_error
train:
  epochs: 2000
  learning_rate: 1
sweep:
  model:
    named:
      first:
        - { linear: 2, weights: [[1.5, -2.0], [-0.5, 2.5]], bias: [[0.25], [-0.75]] }
        - sigmoid
        - { linear: 1 }
        - sigmoid
      second:
        - { linear: 2, init: he }
        - sigmoid
        - { linear: 1, weights: [[3.0, -2.0]], bias: [[0.5]] }
        - sigmoid
  train.learning_rate: [1, 4]
`,
  },
  {
    name: 'iris-record-every',
    yaml: `name: iris-record-every
description: Versicolor or not from all four features; the cost recorded every 7 epochs and at the last.
seed: 11
dataset:
  builtin: iris
  positive: versicolor
  shuffle: 7
  test_fraction: 0.25
model:
  - { linear: 5 }
  - sigmoid
  - { linear: 1 }
  - sigmoid
loss: squared_error
train:
  epochs: 703
  learning_rate: 0.5
  record_every: 7
sweep:
  seed: [11, 12]
`,
  },
];

type Row = Record<string, string>;

/** Relative error of `actual` against `expected`; non-finite values must match exactly. */
function relativeError(actual: number, expected: number): number {
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return Object.is(actual, expected) ? 0 : Infinity;
  if (expected === 0) return actual === 0 ? 0 : Infinity;
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** Same value: numbers compared as numbers ("10" = "10.0"), anything else as text. */
function sameValue(actual: string | undefined, expected: string): boolean {
  if (actual === undefined) return false;
  if (expected === '' || actual === '') return actual === expected;
  const a = Number(actual);
  const e = Number(expected);
  return Number.isNaN(a) || Number.isNaN(e) ? actual === expected : a === e;
}

function describeRun(row: Row, keys: string[]): string {
  return `run ${row.run} (${keys.map((key) => `${key}=${row[key]}`).join(', ')})`;
}

const worst: Record<string, { error: number; where: string }> = {};

afterAll(() => {
  const lines = Object.entries(worst).map(([name, w]) => `  ${name}: ${w.error.toExponential(2)} at ${w.where}`);
  console.log(`worst relative error against NumPy per experiment:\n${lines.join('\n')}`);
});

let dir: string;
const results = new Map<string, CliResult>();
const fileOf = (name: string) => `experiments/numpy-${name}.yaml`;

// Every experiment swept once, a few at a time; each test below checks one of them.
beforeAll(async () => {
  dir = workspace();
  const limit = pLimit(3);
  await Promise.all(
    CASES.map(({ name, yaml }) =>
      limit(async () => {
        writeFileSync(join(dir, fileOf(name)), yaml);
        results.set(name, await runCli(['sweep', fileOf(name), '--out', `out/${name}`, '--no-report'], { cwd: dir }));
      }),
    ),
  );
});

describe('whole experiments through the CLI agree with NumPy', () => {
  it.each(CASES)('$name', ({ name }) => {
    const file = fileOf(name);
    const out = join(dir, 'out', name);
    const result = results.get(name)!;
    expect(result.code, result.stderr).toBe(0);

    const expectedSummary = readCsv(join(FIXTURES, `${name}.summary.csv`));
    const expectedCurves = readCsv(join(FIXTURES, `${name}.curves.csv`));
    const summary = readCsv(join(out, 'summary.csv'));
    const curves = readCsv(join(out, 'curves.csv'));
    const header = Object.keys(expectedCurves[0]);
    const keys = header.slice(1, header.indexOf('epoch'));
    const hasTest = header.includes('test_cost');
    const stale = `(if ${file} changed on purpose, mirror it in test/reference/numpy_experiments.py and regenerate)`;

    // The same grid: one row per run, with the same swept values, in the same order.
    expect(summary.length, `runs in summary.csv ${stale}`).toBe(expectedSummary.length);
    expect(Object.keys(curves[0] ?? {}).slice(0, header.length), 'curves.csv columns').toEqual(header);
    const problems: string[] = [];
    for (const [i, expected] of expectedSummary.entries()) {
      const actual = summary[i];
      const where = describeRun(expected, keys);
      for (const key of ['run', ...keys]) {
        if (!sameValue(actual[key], expected[key])) problems.push(`${where}: ${key} is ${actual[key]} ${stale}`);
      }
      if (actual.epochs !== expected.epochs) problems.push(`${where}: ran ${actual.epochs} epochs, NumPy ${expected.epochs}`);
      if ((actual.status === 'diverged') !== (expected.status === 'diverged')) {
        problems.push(`${where}: status ${actual.status}, NumPy ${expected.status}`);
      }
      for (const column of ['train_accuracy', 'test_accuracy']) {
        if (!sameValue(actual[column], expected[column])) {
          problems.push(`${where}: ${column} ${actual[column] || '(empty)'}, NumPy ${expected[column] || '(empty)'}`);
        }
      }
    }

    // Every recorded epoch, in order, to 1e-9 relative (the first disagreement per run is reported).
    expect(curves.length, `recorded epochs in curves.csv ${stale}`).toBe(expectedCurves.length);
    const reported = new Set<string>();
    let largest = { error: 0, where: 'every epoch exact' };
    for (const [k, expected] of expectedCurves.entries()) {
      const actual = curves[k];
      const where = `${describeRun(expected, keys)} epoch ${expected.epoch}`;
      if (actual.run !== expected.run || actual.epoch !== expected.epoch) {
        problems.push(`row ${k + 2}: run ${actual.run} epoch ${actual.epoch}, NumPy run ${expected.run} epoch ${expected.epoch}`);
        break;
      }
      for (const column of hasTest ? ['cost', 'test_cost'] : ['cost']) {
        const error = relativeError(Number(actual[column]), Number(expected[column]));
        if (error > largest.error) largest = { error, where: `${where} (${column})` };
        if (error > TOLERANCE && !reported.has(expected.run)) {
          reported.add(expected.run);
          problems.push(`${where}: ${column} ${actual[column]}, NumPy ${expected[column]} (relative error ${error.toExponential(2)})`);
        }
      }
    }
    worst[name] = largest;
    expect(problems).toEqual([]);
  });
});
