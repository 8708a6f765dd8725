// The library API as the README shows it: train one network from TypeScript, no YAML.
import { describe, expect, it } from 'vitest';
import { expandGrid, parseExperiment, prepareDataset, train } from '../src/index.js';

const spec = {
  seed: 48,
  model: [{ linear: 3, init: 'xavier' as const }, 'sigmoid' as const, { linear: 1, init: 'xavier' as const }, 'sigmoid' as const],
  loss: 'squared_error' as const,
  train: { epochs: 5000, learning_rate: 1, batch_size: 'full' as const, record_every: 1 },
  divergence: { max_cost: 1e6 },
};

describe('library API', () => {
  it('trains the README example from raw matrices', () => {
    const x = { rows: 2, cols: 4, data: Float64Array.from([0, 0, 1, 1, 0, 1, 0, 1]) };
    const y = { rows: 1, cols: 4, data: Float64Array.from([0, 1, 1, 0]) };
    const result = train(spec, { train: { x, y } });
    expect(result.finalCost).toBeCloseTo(0.000892688, 9);
    expect(result.trainAccuracy).toBe(100);
    expect(result.costs).toHaveLength(5000);
  });

  it('gives the same numbers from a prepared builtin dataset and from a parsed experiment', () => {
    const direct = train(spec, prepareDataset({ builtin: 'xor' }));
    const loaded = parseExperiment(
      'name: lib\nseed: 48\ndataset: { builtin: xor }\nmodel: [{ linear: 3 }, sigmoid, { linear: 1 }, sigmoid]\nloss: squared_error\ntrain: { epochs: 5000, learning_rate: 1 }\n',
      'lib.yaml',
    );
    const [run] = expandGrid(loaded);
    const viaYaml = train(run.experiment, prepareDataset(run.experiment.dataset));
    expect(Array.from(viaYaml.costs)).toEqual(Array.from(direct.costs));
  });
});
