// One run: its record, its status, its decision boundary, and executing a RunSpec.

// (The main thread of a sweep imports the modules it needs directly: this index loads the engine.)
export { executeRun, executeRunKeepingCurve, trainSpecOf } from './execute-run.js';
export { prepareDatasetCached, runData, type DataContents } from './dataset-cache.js';
export { decisionBoundary, BOUNDARY_RESOLUTION } from './boundary.js';
export { classifyRun, CurveClassifier, type CurveFacts } from './status.js';
export {
  CURVE_FILE_SUFFIX,
  CurveFileWriter,
  curveColumnsOf,
  curveFileHeader,
  curvePoints,
  curveRowBatches,
  parseCurveRow,
  PlainCurveKeeper,
  type CurveColumns,
  type PlainCurve,
  type CurvePoint,
  type CurveRows,
} from './curve-file.js';
export {
  RUN_STATUSES,
  decodeCost,
  encodeCost,
  factsOf,
  failedRecord,
  type DecisionBoundary,
  type FinishedRun,
  type LayerParameters,
  type RunFacts,
  type RunRecord,
  type RunStatus,
} from './run-record.js';
