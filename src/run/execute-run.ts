// One run from start to finish, on whatever thread calls it: prepare the data, train, classify,
// and map the decision boundary for 2-D inputs. Used by the workers and by `gradgrid verify`.
import type { RunSpec } from '../experiment/types.js';
import { train, ENGINE_VERSION, type TrainSpec } from '../nn/index.js';
import { lossNeedsClassTargets } from '../nn/losses.js';
import { decisionBoundary } from './boundary.js';
import { encodeCost, type RunRecord } from './run-record.js';
import { classifyRun } from './status.js';
import { prepareDatasetCached } from './dataset-cache.js';

export function trainSpecOf(experiment: RunSpec['experiment']): TrainSpec {
  const { seed, model, loss, train: settings, divergence } = experiment;
  return { seed, model, loss, train: settings, divergence };
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
      ...(result.learningRates ? { learningRate: Array.from(result.learningRates, encodeCost) } : {}),
    },
    parameters: result.parameters,
    boundary: data.inputFeatureCount === 2 ? decisionBoundary(trainSpec, result.parameters, data, spec.experiment.dataset) : null,
    wallMs,
  };
}
