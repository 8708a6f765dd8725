// The trained network's output over a grid of the two raw input features: the shaded map
// behind the data points in the report (like the blog's figures and TensorFlow Playground).
// A network with one output per class (softmax) gives each cell its predicted class (the largest
// output, the first of equals) and that output, the network's confidence.
import { applyFeatureCrosses, type DatasetSpec, type PreparedData } from '../data/index.js';
import { buildNetwork, type LayerSpec, type Network, type TrainSpec } from '../nn/index.js';
import type { DecisionBoundary, LayerParameters } from './run-record.js';

export const BOUNDARY_RESOLUTION = 48;
const MARGIN = 0.15;

function rangeOf(values: Float64Array, from: number, count: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < from + count; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  const pad = (hi - lo || 1) * MARGIN;
  return [lo - pad, hi + pad];
}

export function decisionBoundary(
  spec: TrainSpec,
  parameters: LayerParameters[],
  data: PreparedData,
  dataset: DatasetSpec,
): DecisionBoundary {
  const { x } = data.train;
  const m = x.cols;
  const [xMin, xMax] = rangeOf(x.data, 0, m);
  const [yMin, yMax] = rangeOf(x.data, m, m);
  const n = BOUNDARY_RESOLUTION;
  const grid = { rows: 2, cols: n * n, data: new Float64Array(2 * n * n) };
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const k = row * n + col;
      grid.data[k] = xMin + ((xMax - xMin) * (col + 0.5)) / n;
      grid.data[n * n + k] = yMin + ((yMax - yMin) * (row + 0.5)) / n;
    }
  }
  const inputs = dataset.feature_crosses?.length ? applyFeatureCrosses(grid, dataset.feature_crosses) : grid;
  const output = predictorFor(spec, parameters, inputs.rows).predict(inputs);
  const cells = n * n;
  const k = output.length / cells;
  if (k === 1) return { xMin, xMax, yMin, yMax, resolution: n, values: Array.from(output) };
  const values = new Array<number>(cells);
  const classes = new Array<number>(cells);
  for (let i = 0; i < cells; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (output[c * cells + i] > output[best * cells + i]) best = c;
    classes[i] = best;
    values[i] = output[best * cells + i];
  }
  return { xMin, xMax, yMin, yMax, resolution: n, values, classes };
}

/**
 * Networks kept for drawing maps, one per shape (its layers, the loss, the inputs), the oldest let
 * go past a few: building a network for each map, with its WebAssembly memory, took a worker longer
 * than computing the map. A kept network takes the run's trained parameters; its outputs are the
 * same numbers as a new one's.
 */
const predictors = new Map<string, Network>();
const KEPT_PREDICTORS = 4;

function predictorFor(spec: TrainSpec, parameters: LayerParameters[], nFeatures: number): Network {
  const key = JSON.stringify([spec.loss, nFeatures, spec.model.map((layer) => (typeof layer === 'string' ? layer : layer.linear))]);
  const kept = predictors.get(key);
  if (kept) {
    kept.setParameters(parameters);
    return kept;
  }
  // Built from the trained parameters: explicit weights replace the drawn ones.
  let linearIndex = 0;
  const model: LayerSpec[] = spec.model.map((layer) => (typeof layer === 'string' ? layer : { ...layer, ...parameters[linearIndex++] }));
  const network = buildNetwork({ ...spec, model }, nFeatures);
  if (predictors.size >= KEPT_PREDICTORS) predictors.delete(predictors.keys().next().value as string);
  predictors.set(key, network);
  return network;
}
