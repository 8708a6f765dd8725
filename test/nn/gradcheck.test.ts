// Backpropagation against numerical derivatives: every activation with every loss it can be used
// with, on small random networks with two hidden layers.
import { describe, expect, it } from 'vitest';
import type { ActivationName, LayerSpec, LossName, TrainSpec } from '../../src/experiment/types.js';
import { activationNames } from '../../src/nn/activations.js';
import { gradientCheck } from '../../src/nn/gradcheck.js';
import { lossNames } from '../../src/nn/losses.js';
import { fromRows, type Matrix } from '../../src/nn/matrix.js';
import { ActivationNode } from '../../src/nn/layers.js';
import { buildNetwork } from '../../src/nn/network.js';
import { RandomState } from '../../src/nn/rng.js';

const KINKED: ActivationName[] = ['relu', 'leaky_relu'];
/** Inputs of relu / leaky_relu must stay this far from 0 so the probes never cross the kink. */
const KINK_MARGIN = 0.05;

/** Two random features; 0/1 targets, or three one-hot classes for cross_entropy. */
function randomData(seed: number, m: number, loss: LossName = 'squared_error'): { x: Matrix; y: Matrix } {
  const rs = new RandomState(seed);
  const x = [0, 1].map(() => Array.from({ length: m }, () => rs.randn()));
  const y =
    loss === 'cross_entropy'
      ? [0, 1, 2].map((c) => Array.from({ length: m }, (_, i) => (i % 3 === c ? 1 : 0)))
      : [Array.from({ length: m }, (_, i) => i % 2)];
  return { x: fromRows(x), y: fromRows(y) };
}

function modelFor(hidden: ActivationName, loss: LossName): LayerSpec[] {
  const body: LayerSpec[] = [{ linear: 4, init: 'he' }, hidden, { linear: 3, init: 'he' }, hidden];
  if (loss === 'cross_entropy') return [...body, { linear: 3, init: 'xavier' }, 'softmax'];
  return [...body, { linear: 1, init: 'xavier' }, loss === 'squared_error' ? hidden : 'sigmoid'];
}

/** Smallest |input| over every kinked activation node (Infinity when there is none). */
function closestToKink(spec: TrainSpec, x: Matrix): number {
  const net = buildNetwork(spec, x.rows);
  const ws = net.workspace(x.cols, x);
  net.forward(ws);
  let closest = Infinity;
  net.nodes.forEach((node, i) => {
    if (node instanceof ActivationNode && KINKED.includes(node.activation.name)) {
      for (const z of ws.values[i].data) closest = Math.min(closest, Math.abs(z));
    }
  });
  return closest;
}

function spec(model: LayerSpec[], loss: LossName, seed: number): TrainSpec {
  return {
    seed,
    model,
    loss,
    train: { epochs: 1, learning_rate: 1, batch_size: 'full', record_every: 1 },
    divergence: { max_cost: 1e6 },
  };
}

describe('gradient check', () => {
  const data = randomData(123, 6);

  for (const loss of lossNames) {
    const lossData = randomData(123, 6, loss);
    for (const hidden of activationNames) {
      it(`${hidden} hidden layers, ${loss}`, () => {
        // Three networks per combination, taking the first seeds whose kinks are out of reach.
        let checked = 0;
        for (let seed = 1; checked < 3; seed++) {
          expect(seed).toBeLessThan(200);
          const s = spec(modelFor(hidden, loss), loss, seed);
          if (closestToKink(s, lossData.x) < KINK_MARGIN) continue;
          const result = gradientCheck(s, lossData);
          expect(result.layers.map((l) => l.modelIndex)).toEqual([0, 2, 4]);
          expect(result.maxRelativeError, `seed ${seed}`).toBeLessThan(1e-6);
          for (const layer of result.layers) {
            expect(layer.weights.maxAbsoluteError).toBeLessThan(1e-9);
            expect(layer.bias.maxAbsoluteError).toBeLessThan(1e-9);
          }
          checked++;
        }
      });
    }
  }

  it('also holds away from the initial weights (explicit, larger values)', () => {
    const model: LayerSpec[] = [
      { linear: 2, init: 'zeros', weights: [[1.3, -0.7], [-2.1, 0.4]], bias: [[0.2], [-0.5]] },
      'tanh',
      { linear: 1, init: 'zeros', weights: [[2.5, -1.5]], bias: [[0.3]] },
      'sigmoid',
    ];
    for (const loss of lossNames.filter((name) => name !== 'cross_entropy')) {
      expect(gradientCheck(spec(model, loss, 0), data).maxRelativeError).toBeLessThan(1e-6);
    }
    const classes: LayerSpec[] = [
      model[0],
      'tanh',
      { linear: 3, init: 'zeros', weights: [[2.5, -1.5], [-3, 0.5], [1, 2]], bias: [[0.3], [-1], [0.5]] },
      'softmax',
    ];
    expect(gradientCheck(spec(classes, 'cross_entropy', 0), randomData(123, 6, 'cross_entropy')).maxRelativeError).toBeLessThan(1e-6);
  });

  it("includes the penalties' gradients on the weights (weight decay, l1), and says what it checked", () => {
    const model = modelFor('tanh', 'bce');
    const penalised = { ...spec(model, 'bce', 3), train: { epochs: 1, learning_rate: 1, batch_size: 'full' as const, record_every: 1, weight_decay: 0.3, l1: 0.05 } };
    // The objective includes (λ/2)ΣW² + λ1Σ|W|: leaving their gradients out would fail by far.
    const result = gradientCheck(penalised, data);
    expect(result.maxRelativeError).toBeLessThan(1e-6);
    expect(result.pieces).toEqual(['loss bce fused with the final sigmoid', 'weight decay 0.3 (gradient λ·W)', 'l1 0.05 (gradient λ1·sign(W))']);
    const plain = gradientCheck(spec(model, 'bce', 3), data);
    expect(plain.pieces).toEqual(['loss bce fused with the final sigmoid']);
    // adamw shrinks W directly: its decay is no gradient and is left out, l1 stays in.
    const adamw = gradientCheck({ ...penalised, train: { ...penalised.train, optimizer: 'adamw' } }, data);
    expect(adamw.maxRelativeError).toBeLessThan(1e-6);
    expect(adamw.pieces).toEqual([
      'loss bce fused with the final sigmoid',
      'l1 0.05 (gradient λ1·sign(W))',
      'adamw decay not checked: it shrinks W directly, it is no gradient',
    ]);
    const softmax = gradientCheck(spec(modelFor('tanh', 'cross_entropy'), 'cross_entropy', 3), randomData(123, 6, 'cross_entropy'));
    expect(softmax.pieces).toEqual(['loss cross_entropy fused with the final softmax']);
  });

  it('reports each Linear layer by its position in the model, and the settings used', () => {
    const result = gradientCheck(spec(modelFor('tanh', 'bce'), 'bce', 5), data, { epsilon: 1e-4, floor: 1e-5 });
    expect(result.epsilon).toBe(1e-4);
    expect(result.floor).toBe(1e-5);
    expect(result.layers).toHaveLength(3);
    expect(result.maxRelativeError).toBe(
      Math.max(...result.layers.flatMap((l) => [l.weights.maxRelativeError, l.bias.maxRelativeError])),
    );
    expect(() => gradientCheck(spec(modelFor('tanh', 'bce'), 'bce', 5), data, { epsilon: 0 })).toThrow(RangeError);
  });
});
