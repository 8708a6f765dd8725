// The number of workers a sweep uses: --workers when given, else the cores, except for a sweep too
// small to gain from more than one.
import { describe, expect, it } from 'vitest';
import { expandGrid, parseExperiment } from '../../src/experiment/index.js';
import type { RunSpec } from '../../src/experiment/types.js';
import { ONE_WORKER_BELOW, trainingWork, workerCount } from '../../src/sweep/worker-count.js';

function runsOf(yaml: string): RunSpec[] {
  return expandGrid(parseExperiment(yaml, 'e.yaml'));
}

const xorLr = runsOf(`name: xor-lr
dataset: { builtin: xor }
model: [{ linear: 3 }, sigmoid, { linear: 1 }, sigmoid]
loss: squared_error
train: { epochs: 5000, learning_rate: 1 }
sweep:
  train.learning_rate: [0.01, 0.1, 0.5, 1, 5, 50, 500, 5000]
`);
const xorData = () => ({ examples: 4, features: 2 });

const spiral = runsOf(`name: spiral
dataset: { builtin: spiral, samples: 1000 }
model: [{ linear: 64 }, sigmoid, { linear: 64 }, sigmoid, { linear: 1 }, sigmoid]
loss: bce
train: { epochs: 200, learning_rate: 0.1 }
sweep:
  train.learning_rate: [0.02, 0.04, 0.06, 0.08]
`);
const spiralData = () => ({ examples: 1000, features: 2 });

describe('workers of a sweep', () => {
  it('counts three products per Linear node, epoch and example', () => {
    // 2 -> 3 -> 1: 6 + 3 weights; 5000 epochs of 4 examples.
    expect(trainingWork(xorLr[0], 4, 2)).toBe(5000 * 4 * 9 * 3);
  });

  it('uses one worker for the eight XOR runs unless --workers asks for more', () => {
    expect(workerCount(xorLr, { requested: 8, explicit: false }, xorData)).toBe(1);
    expect(workerCount(xorLr, { requested: 2, explicit: true }, xorData)).toBe(2);
    expect(workerCount(xorLr, { requested: 20, explicit: true }, xorData)).toBe(8);
  });

  it('uses every core for a sweep with real work, never more workers than runs', () => {
    expect(spiral.reduce((sum, spec) => sum + trainingWork(spec, 1000, 2), 0)).toBeGreaterThan(ONE_WORKER_BELOW);
    expect(workerCount(spiral, { requested: 2, explicit: false }, spiralData)).toBe(2);
    expect(workerCount(spiral, { requested: 16, explicit: false }, spiralData)).toBe(4);
  });

  it('counts many small runs as work too (each has its own costs besides training)', () => {
    const many = Array.from({ length: 40 }, () => xorLr).flat();
    expect(workerCount(many, { requested: 2, explicit: false }, xorData)).toBe(2);
  });
});
