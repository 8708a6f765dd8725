// The data layer reports dataset problems with a setting path inside the dataset spec (it knows
// nothing of experiment files); here they become located problems of the experiment. Problems the
// data layer can find without reading data are checked when the file is loaded, beside the
// schema's, so a user sees every mistake of the file at once.

import { datasetSettingProblems, formatProblem, type DatasetProblem, type DatasetSpec } from '../data/index.js';
import type { Problem } from './problem.js';
import type { PathSegment } from './yaml-source.js';

/** A dataset problem as a problem of the experiment, at its setting when written, else at the source. */
export function datasetProblem(problem: DatasetProblem, dataset: unknown): Problem {
  const setting = [...(problem.setting ?? [])];
  const path: PathSegment[] = ['dataset', ...setting];
  const anchor = isWritten(dataset, setting) ? path : ['dataset', ...sourceSetting(dataset)];
  return { path, at: 'value', anchor, message: formatProblem(problem), scope: [['dataset']] };
}

/** The setting that names where the data comes from (`csv` or `builtin`), where data problems point when their own setting is not written. */
export function sourceSetting(dataset: unknown): PathSegment[] {
  if (dataset !== null && typeof dataset === 'object' && Object.hasOwn(dataset, 'csv')) return ['csv'];
  if (dataset !== null && typeof dataset === 'object' && Object.hasOwn(dataset, 'builtin')) return ['builtin'];
  return [];
}

/**
 * The dataset settings' problems that need no data, for the file as written. Settings the schema
 * refused are left out (they are reported already and may have any type); a swept dataset setting
 * leaves the check to each run of the grid.
 */
export function writtenDatasetProblems(data: Record<string, unknown>, schemaProblems: readonly Problem[]): Problem[] {
  const dataset = data.dataset;
  if (dataset === null || typeof dataset !== 'object' || Array.isArray(dataset)) return [];
  const sweep = data.sweep;
  if (sweep !== null && typeof sweep === 'object' && Object.keys(sweep).some((key) => key === 'dataset' || key.startsWith('dataset.'))) {
    return [];
  }
  const refused = (key: string) => schemaProblems.some((p) => p.path[0] === 'dataset' && (p.path.length === 1 || p.path[1] === key));
  const accepted = Object.fromEntries(Object.entries(dataset).filter(([key]) => !refused(key))) as DatasetSpec;
  // Without exactly one source the schema has said all there is to say.
  if ((accepted.builtin === undefined) === (accepted.csv === undefined)) return [];
  return datasetSettingProblems(accepted).map((problem) => datasetProblem(problem, dataset));
}

function isWritten(value: unknown, path: readonly PathSegment[]): boolean {
  let node = value;
  for (const segment of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return false;
    node = (node as Record<string, unknown>)[segment];
  }
  return node !== undefined;
}
