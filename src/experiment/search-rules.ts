// Rules for sweep axes and the search that JSON Schema cannot state: a distribution can only be
// drawn from in a random search, its range must not be reversed, and a random search needs axes.

import { DISTRIBUTIONS, distributionOf } from './sweep-axes.js';
import type { Problem } from './problem.js';

const EXAMPLE_SEARCH = 'search: { random: { samples: 20, seed: 0 } }';

export function searchProblems(data: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const sweep = isMapping(data.sweep) ? data.sweep : {};
  const search = isMapping(data.search) ? data.search : undefined;
  const random = search !== undefined && isMapping(search.random);

  for (const [key, axis] of Object.entries(sweep)) {
    const distribution = distributionOf(axis);
    if (distribution === null) continue;
    const at = ['sweep', key, distribution.name];
    if (!random) {
      problems.push({
        path: ['sweep', key],
        at: 'value',
        anchor: ['sweep', key],
        message: `{ ${distribution.name}: [...] } is a distribution, drawn from only in a random search; add ${EXAMPLE_SEARCH}, or list the values to try`,
        expected: `a list of values, logspace, linspace or named (distributions — ${DISTRIBUTIONS.join(', ')} — need a random search)`,
      });
    }
    if (distribution.low > distribution.high) {
      problems.push({
        path: at,
        at: 'value',
        anchor: at,
        message: `low (${distribution.low}) is above high (${distribution.high}); write [low, high]`,
        expected: '[low, high] with low <= high',
        found: `[${distribution.low}, ${distribution.high}]`,
      });
    }
  }
  if (random && Object.keys(sweep).length === 0) {
    problems.push({
      path: ['search', 'random'],
      at: 'key',
      anchor: ['search', 'random'],
      message: 'a random search draws its samples from the sweep axes; add a sweep, e.g. sweep: { train.learning_rate: { loguniform: [0.001, 10] } }',
      expected: 'a sweep with at least one axis',
    });
  }
  return problems;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
