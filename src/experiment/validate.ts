// One validation pass over experiment data: the JSON Schema (which also fills in defaults), then
// the cross-setting rules. Used for the file as written and again for every resolved run.

import { problemsFromSchemaErrors } from './schema-problems.js';
import type { Problem } from './problem.js';
import { validateAgainstSchema } from './schema.js';
import { semanticProblems } from './semantics.js';

/** Validates `data` in place: the schema's defaults are filled into it. */
export function experimentProblems(data: unknown): Problem[] {
  const problems = problemsFromSchemaErrors(validateAgainstSchema(data));
  if (problems.some((p) => !p.missing) || data === null || typeof data !== 'object' || Array.isArray(data)) return problems;
  return [...problems, ...semanticProblems(data as Record<string, unknown>)];
}
