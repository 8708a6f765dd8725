// One run from start to finish, on whatever thread calls it: prepare the data, train (writing the
// curve to its file as it goes), classify, and map the decision boundary for 2-D inputs. Used by
// the workers and by `gradgrid verify`. Its memory does not depend on the epochs.
import type { RunSpec } from '../experiment/types.js';
import { train, ENGINE_VERSION, recordedPointCount, type RecordedPoints, type TrainResult, type TrainSpec } from '../nn/index.js';
import { decisionBoundary } from './boundary.js';
import { CurveFileWriter, PlainCurveKeeper, type PlainCurve } from './curve-file.js';
import { encodeCost, type RunRecord } from './run-record.js';
import { CurveClassifier } from './status.js';
import { runData, type DataContents } from './dataset-cache.js';

export function trainSpecOf(experiment: RunSpec['experiment']): TrainSpec {
  const { seed, model, loss, train: settings, divergence, track } = experiment;
  return { seed, model, loss, train: settings, divergence, ...(track === undefined ? {} : { track }) };
}

/**
 * Trains `spec` and returns its record; the curve goes to `curveFile` as it is recorded (the caller
 * removes that file when this throws).
 */
export function executeRun(spec: RunSpec, contents: DataContents, curveFile: string): RunRecord {
  return executeRunKeepingCurve(spec, contents, curveFile, 0).record;
}

/** executeRun, also returning the curve as numbers when it is plain and has at most `keepPoints` points (PlainCurveKeeper). */
export function executeRunKeepingCurve(
  spec: RunSpec,
  contents: DataContents,
  curveFile: string,
  keepPoints: number,
): { record: RunRecord; curve: PlainCurve | null } {
  const data = runData(spec, contents);
  const trainSpec = trainSpecOf(spec.experiment);
  const { epochs, record_every: recordEvery } = trainSpec.train;
  const tracksSharpness = trainSpec.track?.sharpness !== undefined;
  const writer = new CurveFileWriter(curveFile);
  const expectedPoints = recordedPointCount(epochs, recordEvery);
  const keeper = keepPoints > 0 ? new PlainCurveKeeper(expectedPoints, keepPoints) : null;
  const classifier = new CurveClassifier(expectedPoints);
  const sharpness = new SharpnessFacts();
  let initialCost = NaN;
  let written: { points: number; bytes: number };
  let result: TrainResult;
  let wallMs: number;
  try {
    // The time spent writing the curve is not training time: wallMs leaves it out.
    let writingMs = 0;
    const onRecorded = (points: RecordedPoints) => {
      const start = performance.now();
      writer.append(points);
      keeper?.add(points);
      if (classifier.count === 0) initialCost = points.costs[0];
      for (let i = 0; i < points.count; i++) classifier.push(points.costs[i]);
      if (points.sharpness) sharpness.add(points.sharpness.values, points.sharpness.count);
      writingMs += performance.now() - start;
    };
    const started = performance.now();
    result = train(trainSpec, { train: data.train, test: data.test }, { onRecorded });
    wallMs = performance.now() - started - writingMs;
  } finally {
    written = writer.close();
  }
  const status = classifier.status({ diverged: result.status === 'diverged', failed: false });
  const record: RunRecord = {
    hash: spec.hash,
    engineVersion: ENGINE_VERSION,
    status,
    epochs: result.epochsRun,
    finalCost: encodeCost(result.finalCost),
    minCost: encodeCost(result.minCost),
    trainAccuracy: result.trainAccuracy,
    testAccuracy: result.testAccuracy,
    error: null,
    initialCost: encodeCost(initialCost),
    points: written.points,
    curveBytes: written.bytes,
    parameters: result.parameters,
    boundary: data.inputFeatureCount === 2 ? decisionBoundary(trainSpec, result.parameters, data, spec.experiment.dataset) : null,
    wallMs,
    ...(tracksSharpness ? sharpness.fields() : {}),
  };
  return { record, curve: keeper?.curve() ?? null };
}

/** The record's sharpness facts, gathered from the pieces of a run that tracked it. */
class SharpnessFacts {
  private count = 0;
  private last = NaN;
  private max = NaN;

  add(values: Float64Array, count: number): void {
    for (let i = 0; i < count; i++) {
      const v = values[i];
      if (!Number.isNaN(v) && !(v <= this.max)) this.max = v;
      this.last = v;
    }
    this.count += count;
  }

  /** The last sharpness computed and the largest (NaN only when every one was NaN); null when none was. */
  fields(): Pick<RunRecord, 'finalSharpness' | 'maxSharpness'> {
    return {
      finalSharpness: this.count ? encodeCost(this.last) : null,
      maxSharpness: this.count ? encodeCost(this.max) : null,
    };
  }
}
