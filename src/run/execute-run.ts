// One run from start to finish, on whatever thread calls it: prepare the data, train, classify,
// and map the decision boundary for 2-D inputs. Used by the workers and by `gradgrid verify`.
import type { RunSpec } from '../experiment/types.js';
import { train, ENGINE_VERSION, type TrainResult, type TrainSpec } from '../nn/index.js';
import { lossNeedsClassTargets } from '../nn/losses.js';
import { decisionBoundary } from './boundary.js';
import { encodeCost, type RunRecord } from './run-record.js';
import { classifyRun } from './status.js';
import { prepareDatasetCached } from './dataset-cache.js';

export function trainSpecOf(experiment: RunSpec['experiment']): TrainSpec {
  const { seed, model, loss, train: settings, divergence, track } = experiment;
  return { seed, model, loss, train: settings, divergence, ...(track === undefined ? {} : { track }) };
}

/** The CSV bytes a run trains on, by content digest (a run names its data by digest, never by path). */
export type DataContents = ReadonlyMap<string, Uint8Array>;

/** The prepared data of a run: its CSV from `contents` by digest, or its builtin dataset. */
export function runData(spec: RunSpec, contents: DataContents) {
  // A loss over one output per class (cross_entropy) trains on one-hot class targets.
  const classes = lossNeedsClassTargets(spec.experiment.loss);
  if (spec.csvDigest === undefined) return prepareDatasetCached(spec.experiment.dataset, undefined, classes);
  const bytes = contents.get(spec.csvDigest);
  if (!bytes) throw new Error(`the data of run ${spec.index} (sha256 ${spec.csvDigest}) was not handed to this thread`);
  return prepareDatasetCached(spec.experiment.dataset, { digest: spec.csvDigest, bytes }, classes);
}

export function executeRun(spec: RunSpec, contents: DataContents = new Map()): RunRecord {
  const data = runData(spec, contents);
  const trainSpec = trainSpecOf(spec.experiment);
  const started = performance.now();
  const result = train(trainSpec, { train: data.train, test: data.test });
  const wallMs = performance.now() - started;
  const costs = result.costs;
  const status = classifyRun({ costs, diverged: result.status === 'diverged', failed: false });
  return {
    hash: spec.hash,
    engineVersion: ENGINE_VERSION,
    status,
    epochs: result.epochsRun,
    finalCost: encodeCost(result.finalCost),
    minCost: encodeCost(result.minCost),
    trainAccuracy: result.trainAccuracy,
    testAccuracy: result.testAccuracy,
    error: null,
    curve: {
      epoch: Array.from(result.recordedEpochs),
      cost: Array.from(costs, encodeCost),
      testCost: result.testCosts ? Array.from(result.testCosts, encodeCost) : null,
      ...(result.sharpness === null ? {} : { sharpness: sharpnessColumn(result) }),
      ...(result.learningRates ? { learningRate: Array.from(result.learningRates, encodeCost) } : {}),
    },
    parameters: result.parameters,
    boundary: data.inputFeatureCount === 2 ? decisionBoundary(trainSpec, result.parameters, data, spec.experiment.dataset) : null,
    wallMs,
    ...sharpnessFields(result),
  };
}

/** The record's sharpness column and facts, only for a run that tracked it. */
function sharpnessFields(result: TrainResult): Pick<RunRecord, 'finalSharpness' | 'maxSharpness'> {
  if (result.sharpness === null) return {};
  const { values } = result.sharpness;
  let max = NaN;
  for (const v of values) if (!Number.isNaN(v) && !(v <= max)) max = v;
  return {
    finalSharpness: values.length ? encodeCost(values[values.length - 1]) : null,
    maxSharpness: values.length ? encodeCost(max) : null,
  };
}

/** The sharpness beside each recorded epoch (null where it was not computed). */
function sharpnessColumn(result: TrainResult): (number | string | null)[] {
  const column: (number | string | null)[] = new Array(result.recordedEpochs.length).fill(null);
  const { epochs, values } = result.sharpness!;
  // Both lists are in epoch order and the sharpness epochs are recorded epochs: one merge.
  let k = 0;
  for (let i = 0; i < column.length && k < epochs.length; i++) {
    if (result.recordedEpochs[i] === epochs[k]) column[i] = encodeCost(values[k++]);
  }
  return column;
}
