// Every problem with an experiment file becomes a ValidationIssue that points at the file, line
// and column of the offending text; ExperimentError carries them all at once, so a user fixes the
// whole file in one go instead of one error per run of the tool.

export interface ValidationIssue {
  /** The experiment file as the user named it, or the command-line override (`--set #2`). */
  file: string;
  /** 1-based line of the offending text; 0 for an override, which has no lines. */
  line: number;
  /** 1-based column (UTF-16 code units, as editors count); 0 for an override. */
  column: number;
  /** Dotted path of the setting, e.g. `train.learning_rate` or `model.1`; '' for the file as a whole. */
  path: string;
  /** What is wrong, without the path and the suggestion, e.g. `expected an integer >= 1, found -5`. */
  message: string;
  /** What the setting accepts, e.g. `an integer >= 1`. */
  expected?: string;
  /** The offending value as shown to the user, e.g. `-5` or `"sigmod"`. */
  found?: string;
  /** A near valid name, e.g. `learning_rate` for `learning_rte`. */
  suggestion?: string;
  /** Other places in the same file the message refers to, each shown on a line of its own below it. */
  related?: RelatedPlace[];
}

export interface RelatedPlace {
  /** Where it is when not in the issue's own file: a command-line override (`--set #2`, line 0). */
  file?: string;
  line: number;
  column: number;
  path: string;
  /** What this place has to do with the issue, e.g. `the targets come from here`. */
  note: string;
}

export class ExperimentError extends Error {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[]) {
    const sorted = sortIssues(issues);
    super(formatIssues(sorted));
    this.name = 'ExperimentError';
    this.issues = sorted;
  }
}

/** `file:line:column ` in a file, `--set #2:` for an override. */
function placeText(file: string, line: number, column: number): string {
  return line === 0 ? `${file}:` : `${file}:${line}:${column} `;
}

/**
 * `file:line:column  path: message; did you mean "x"?`, one issue per line; related places follow
 * on indented lines of their own, `  file:line:column  path: note`. An override's issue reads
 * `--set #2: path: message; did you mean "x"?`.
 */
export function formatIssue(issue: ValidationIssue): string {
  const where = placeText(issue.file, issue.line, issue.column);
  const what = issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
  const hint = issue.suggestion === undefined ? '' : `; did you mean "${issue.suggestion}"?`;
  const related = (issue.related ?? []).map(
    (place) => `\n  ${placeText(place.file ?? issue.file, place.line, place.column)} ${place.path === '' ? place.note : `${place.path}: ${place.note}`}`,
  );
  return `${where} ${what}${hint}${related.join('')}`;
}

export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map(formatIssue).join('\n');
}

/** In reading order, without exact repeats (a swept value can fail the same way in many runs). */
export function sortIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  const unique: ValidationIssue[] = [];
  for (const issue of issues) {
    const key = formatIssue(issue);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(issue);
  }
  // Overrides (line 0) first, in the order typed; then the file in reading order.
  return unique.sort((a, b) => a.line - b.line || a.column - b.column || a.file.localeCompare(b.file, 'en', { numeric: true }) || a.path.localeCompare(b.path));
}
