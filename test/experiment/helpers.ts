import { expect } from 'vitest';
import { ExperimentError, parseExperiment, type ValidationIssue } from '../../src/experiment/index.js';

/** The example experiment of the format's specification, verbatim. */
export const DESIGN_EXAMPLE = `# yaml-language-server: $schema=../schema/experiment.schema.json
name: xor-lr                     # [a-z0-9._-]+; names the output folder
description: Learning-rate sweep of the blog's 2-layer XOR network
seed: 48                         # seeds weight initialisation (NumPy legacy generator)
dataset:
  builtin: xor                   # and | or | xor | nand | nor | xnor | iris | circle | spiral | gaussians | xor-quadrants
  # csv: data/points.csv         # instead of builtin; path relative to this YAML file
model:                           # the computational graph, node by node, as in the blog
  - { linear: 3, init: xavier }  # init: plain (randn*0.01) | xavier (randn/sqrt(n_in)) | he (randn*sqrt(2/n_in)) | zeros
  - sigmoid                      # sigmoid | tanh | relu | leaky_relu | identity
  - { linear: 1, init: xavier }  # optional explicit start: weights: [[-10, 60]], bias: [[0]]
  - sigmoid
loss: squared_error              # squared_error = (1/2m) sum (y - yhat)^2, the blog's cost
train:
  epochs: 5000
  learning_rate: 1
  batch_size: full               # full | integer (minibatches)
  record_every: 1                # record the cost every k epochs (and always the last epoch)
divergence:
  max_cost: 1.0e6                # a cost above this, or NaN/Infinity, marks the run diverged and stops it
sweep:                           # grid: Cartesian product, in the order written
  train.learning_rate: [0.01, 0.1, 0.5, 1, 2, 5, 10, 50]
  # seed: [1, 2, 3]
  # model.0.init: [plain, xavier, he]
  # train.learning_rate: { logspace: [1.0e-3, 1.0e2, 11] }
`;

/** A small valid experiment without a sweep; tests append or replace lines. */
export const MINIMAL = `name: tiny
dataset:
  builtin: xor
model:
  - { linear: 2 }
  - sigmoid
  - { linear: 1 }
  - sigmoid
loss: squared_error
train:
  epochs: 10
  learning_rate: 0.5
`;

export const FILE = 'experiments/test.yaml';

/** The issues of a source that must fail to load. */
export function issuesOf(source: string | Uint8Array, file = FILE): ValidationIssue[] {
  try {
    parseExperiment(source, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentError);
    return (error as ExperimentError).issues;
  }
  throw new Error('expected the experiment to be rejected');
}

/** The single issue of a source with exactly one mistake. */
export function onlyIssue(source: string | Uint8Array): ValidationIssue {
  const issues = issuesOf(source);
  expect(issues, JSON.stringify(issues, null, 2)).toHaveLength(1);
  return issues[0];
}

/** Every path to a value inside `value` (mapping keys and list indices), the empty path first. */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  }
  return out;
}
