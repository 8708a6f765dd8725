// The blog's two reference runs, every epoch, against curves computed with NumPy.
import { describe, expect, it } from 'vitest';
import type { TrainSpec } from '../../src/experiment/types.js';
import { fromRows } from '../../src/nn/matrix.js';
import { train } from '../../src/nn/train.js';
import { readCurve, worstRelative } from './helpers.js';

const inputs = fromRows([
  [0, 0, 1, 1],
  [0, 1, 0, 1],
]);

function spec(model: TrainSpec['model'], seed = 48): TrainSpec {
  return {
    seed,
    model,
    loss: 'squared_error',
    train: { epochs: 5000, learning_rate: 1, batch_size: 'full', record_every: 1 },
    divergence: { max_cost: 1e6 },
  };
}

describe('golden curves from the blog', () => {
  it('2-layer XOR, xavier, lr 1, seed 48: every epoch within 1e-9', () => {
    const golden = readCurve('xor-2layer-xavier-lr1-seed48.csv');
    const result = train(
      spec([{ linear: 3, init: 'xavier' }, 'sigmoid', { linear: 1, init: 'xavier' }, 'sigmoid']),
      { train: { x: inputs, y: fromRows([[0, 1, 1, 0]]) } },
    );
    expect(result.status).toBe('finished');
    expect(result.epochsRun).toBe(5000);
    expect(Array.from(result.recordedEpochs)).toEqual(golden.epoch);
    expect(worstRelative(result.costs, golden.cost).worst).toBeLessThan(1e-9);
    // The division form of xavier reproduces the start of the curve bit for bit.
    expect(Array.from(result.costs.subarray(0, 16))).toEqual(golden.cost.slice(0, 16));
    // The values the blog prints for epochs 4600 and 4900.
    expect(result.costs[4600]).toBeCloseTo(0.001018305488651183, 15);
    expect(result.costs[4900]).toBeCloseTo(0.0009210166430616655, 15);
    expect(result.trainAccuracy).toBe(100);
    expect(result.testCosts).toBeNull();
    expect(result.testAccuracy).toBeNull();
  });

  it('OR gate from W = [0.1, 0.6], b = 0, lr 1: every epoch within 1e-9', () => {
    const golden = readCurve('or-1layer-w0.1-0.6-lr1.csv');
    const result = train(spec([{ linear: 1, init: 'xavier', weights: [[0.1, 0.6]], bias: [[0]] }, 'sigmoid']), {
      train: { x: inputs, y: fromRows([[0, 1, 1, 1]]) },
    });
    expect(Array.from(result.recordedEpochs)).toEqual(golden.epoch);
    expect(worstRelative(result.costs, golden.cost).worst).toBeLessThan(1e-9);
    expect(result.costs[0]).toBeCloseTo(0.0889, 4);
    expect(result.costs[1]).toBeCloseTo(0.084, 4);
    expect(result.trainAccuracy).toBe(100);
  });
});
