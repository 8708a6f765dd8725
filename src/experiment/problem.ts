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

export function toIssue(problem: Problem, file: string, position: Position): ValidationIssue {
  const issue: ValidationIssue = { file, line: position.line, column: position.column, path: formatPath(problem.path), message: problem.message };
  if (problem.expected !== undefined) issue.expected = problem.expected;
  if (problem.found !== undefined) issue.found = problem.found;
  if (problem.suggestion !== undefined) issue.suggestion = problem.suggestion;
  return issue;
}

/** `expected X, found Y` with both parts kept for programmatic use. */
export function mismatch(path: PathSegment[], expected: string, found: string, suggestion?: string): Problem {
  const problem: Problem = { path, at: 'value', anchor: path, message: `expected ${expected}, found ${found}`, expected, found };
  if (suggestion !== undefined) problem.suggestion = suggestion;
  return problem;
}
