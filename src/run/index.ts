// One run: its record, its status, its decision boundary, and executing a RunSpec.

export { executeRun, runData, trainSpecOf, type DataContents } from './execute-run.js';
export { prepareDatasetCached } from './dataset-cache.js';
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
  type CurveColumns,
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
