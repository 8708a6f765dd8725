// Rules of `search.stability_limit` that JSON Schema cannot state: the searched key must name a
// number setting that takes every value between low and high, low must be below high, and the
// searched key cannot be swept as well (the search chooses its values).

import { describeSchema, formatNumber } from './describe.js';
import type { Problem } from './problem.js';
import type { JsonSchema } from './schema.js';
import { settingSchema } from './setting-paths.js';

const AT = ['search', 'stability_limit'];

export function stabilityLimitProblems(data: Record<string, unknown>): Problem[] {
  const search = mapping(mapping(data.search)?.stability_limit);
  if (search === undefined) return [];
  const { key, low, high } = search as { key: string; low: number; high: number };
  const problems: Problem[] = [];

  if (low >= high) {
    problems.push({
      path: [...AT, 'high'],
      at: 'value',
      anchor: [...AT, 'high'],
      message: `high (${formatNumber(high)}) must be above low (${formatNumber(low)}); the search looks for the limit between them`,
      expected: `a number > ${formatNumber(low)}`,
      found: formatNumber(high),
    });
  }

  const sweep = mapping(data.sweep) ?? {};
  if (Object.hasOwn(sweep, key)) {
    problems.push({
      path: ['sweep', key],
      at: 'key',
      anchor: ['sweep', key],
      message: `${key} is the searched setting (search.stability_limit.key), so it cannot be swept as well: the search chooses its values`,
    });
  }

  problems.push(...keyProblems(data, key, low, high));
  return problems;
}

/** The key must name a number setting whose range holds low and high. */
function keyProblems(data: Record<string, unknown>, key: string, low: number, high: number): Problem[] {
  const { search: _search, sweep: _sweep, ...settings } = data;
  const found = settingSchema(structuredClone(settings), key);
  const keyAt = [...AT, 'key'];
  if ('message' in found) {
    const problem: Problem = { path: keyAt, at: 'value', anchor: keyAt, message: found.message };
    if (found.suggestion !== undefined) problem.suggestion = found.suggestion;
    return [problem];
  }
  const schema = found.schema?.schema;
  if (schema?.type !== 'number') {
    const what = found.schema === undefined ? 'a setting without a known type' : `${describeSchema(found.schema.pointer, found.schema.schema)}`;
    return [
      {
        path: keyAt,
        at: 'value',
        anchor: keyAt,
        message: `${key} takes ${what}; the search tries values spread on a log scale between low and high, so it needs a setting that takes positive numbers, such as train.learning_rate`,
        expected: 'a number setting that takes positive values',
        found: key,
      },
    ];
  }
  const problems: Problem[] = [];
  for (const [end, value] of [['low', low], ['high', high]] as const) {
    if (inRange(schema, value)) continue;
    const expected = describeSchema(found.schema!.pointer, schema);
    problems.push({
      path: [...AT, end],
      at: 'value',
      anchor: [...AT, end],
      message: `${key} takes ${expected}, so the search cannot try ${formatNumber(value)}`,
      expected,
      found: formatNumber(value),
    });
  }
  return problems;
}

function inRange(schema: JsonSchema, value: number): boolean {
  if (typeof schema.minimum === 'number' && value < schema.minimum) return false;
  if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) return false;
  if (typeof schema.maximum === 'number' && value > schema.maximum) return false;
  if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) return false;
  return true;
}

function mapping(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
