// One error type for every dataset problem, carrying where it happened so that callers (the CLI,
// the run record) can show or sort it without parsing the message. The data layer knows nothing
// of experiment files: `setting` names the offending setting inside the dataset spec (e.g.
// ['positive'] or ['feature_crosses', 0, 1]) and the caller finds where that is written.
// Several problems found in one pass travel together in `problems`, so all are reported at once.

export interface DatasetErrorLocation {
  /** The data file, when the problem is in a file. */
  file?: string;
  /** 1-based line of the file (the header is row 1). */
  row?: number;
  /** Column name (CSV) or feature name. */
  column?: string;
  /** The dataset setting to change, as a path inside the DatasetSpec, e.g. ['target']. */
  setting?: readonly (string | number)[];
}

/** One problem: its plain description and where it is. */
export interface DatasetProblem extends DatasetErrorLocation {
  problem: string;
}

export class DatasetError extends Error {
  readonly file?: string;
  readonly row?: number;
  readonly column?: string;
  readonly setting?: readonly (string | number)[];
  /** The plain description of the first problem, without its location. */
  readonly problem: string;
  /** Every problem found, the first one being the one described by the fields above. */
  readonly problems: readonly DatasetProblem[];

  /** `problem` is the plain description; the message prefixes it with the location. */
  constructor(problem: string, location?: DatasetErrorLocation);
  /** Several problems at once (at least one); the message lists each on its own line. */
  constructor(problems: readonly DatasetProblem[]);
  constructor(problem: string | readonly DatasetProblem[], location: DatasetErrorLocation = {}) {
    const problems = typeof problem === 'string' ? [{ ...location, problem }] : uniqueProblems(problem);
    if (problems.length === 0) throw new RangeError('a DatasetError needs at least one problem');
    super(problems.map(formatProblem).join('\n'));
    this.name = 'DatasetError';
    const first = problems[0];
    this.problem = first.problem;
    if (first.file !== undefined) this.file = first.file;
    if (first.row !== undefined) this.row = first.row;
    if (first.column !== undefined) this.column = first.column;
    if (first.setting !== undefined) this.setting = first.setting;
    this.problems = problems;
  }
}

/** Runs `step`, adding the problems of a DatasetError it throws to `into`; other errors pass. */
export function collectProblems<T>(into: DatasetProblem[], step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    into.push(...error.problems);
    return undefined;
  }
}

/** Throws every problem collected so far, if any. */
export function throwProblems(problems: readonly DatasetProblem[]): void {
  if (problems.length > 0) throw new DatasetError(problems);
}

/** `file, row 3, column "b": problem` — the problem with its place in the data file. */
export function formatProblem(problem: DatasetProblem): string {
  const parts: string[] = [];
  if (problem.file !== undefined) parts.push(problem.file);
  if (problem.row !== undefined) parts.push(`row ${problem.row}`);
  if (problem.column !== undefined) parts.push(`column "${problem.column}"`);
  return parts.length > 0 ? `${parts.join(', ')}: ${problem.problem}` : problem.problem;
}

function uniqueProblems(problems: readonly DatasetProblem[]): DatasetProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${formatProblem(p)}\n${(p.setting ?? []).join('.')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
