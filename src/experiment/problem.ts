// A problem found in the data of an experiment, before it is given a place in the file: the
// loader locates problems in the YAML it parsed, the grid locates them in the sweep values.

import type { ValidationIssue } from './errors.js';
import type { PathSegment, Position } from './yaml-source.js';

export interface Problem {
  /** The setting the user should look at, e.g. ['train', 'learning_rate']. */
  path: PathSegment[];
  /** Point at the key of `anchor` (unknown or missing settings) or at its value (bad values). */
  at: 'key' | 'value';
  anchor: PathSegment[];
  message: string;
  expected?: string;
  found?: string;
  suggestion?: string;
  /** A required setting is absent (which a sweep over that setting may excuse). */
  missing?: true;
  /** Other places the message refers to, e.g. where the targets a loss refuses come from. */
  related?: RelatedProblem[];
  /**
   * The settings the problem depends on (path prefixes). In a sweep, only the axes within them are
   * named in "(when ...)", so a dataset problem is reported once, not once per learning rate.
   * Default: every setting.
   */
  scope?: PathSegment[][];
}

export interface RelatedProblem {
  path: PathSegment[];
  at: 'key' | 'value';
  anchor: PathSegment[];
  /** What this place has to do with the problem. */
  note: string;
}

export function formatPath(path: readonly PathSegment[]): string {
  return path.map(String).join('.');
}

/** Parses a JSON pointer (`/model/0/init`) into path segments, list indices as numbers. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : part));
}

/** `placeOf` finds the related places (the problem's own position is given). */
export function toIssue(
  problem: Problem,
  file: string,
  position: Position,
  placeOf?: (at: 'key' | 'value', anchor: PathSegment[]) => Position,
): ValidationIssue {
  const issue: ValidationIssue = { file, line: position.line, column: position.column, path: formatPath(problem.path), message: problem.message };
  if (problem.expected !== undefined) issue.expected = problem.expected;
  if (problem.found !== undefined) issue.found = problem.found;
  if (problem.suggestion !== undefined) issue.suggestion = problem.suggestion;
  if (problem.related !== undefined && placeOf !== undefined) {
    issue.related = problem.related.map((related) => ({ ...placeOf(related.at, related.anchor), path: formatPath(related.path), note: related.note }));
  }
  return issue;
}

/** `expected X, found Y` with both parts kept for programmatic use. */
export function mismatch(path: PathSegment[], expected: string, found: string, suggestion?: string): Problem {
  const problem: Problem = { path, at: 'value', anchor: path, message: `expected ${expected}, found ${found}`, expected, found };
  if (suggestion !== undefined) problem.suggestion = suggestion;
  return problem;
}
