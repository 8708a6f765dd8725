// Plain-words renderings for error messages: what a schema accepts ("an integer >= 1") and
// what the file holds ("-5", "\"sigmod\"", ".nan", "a list").

import { TEST_FRACTION_RANGE } from '../data/index.js';
import { resolveRef, schemaAtPointer, type JsonSchema } from './schema.js';

/** Wordings for schemas whose shape alone would read poorly, keyed by JSON pointer. */
const EXPECTED_BY_POINTER: Record<string, string> = {
  '#/$defs/layer':
    'an activation name (sigmoid, tanh, relu, leaky_relu, identity, softmax) or a linear layer such as { linear: 3, init: xavier }',
  '#/$defs/layer/else': 'a linear layer such as { linear: 3, init: xavier }',
  '#/$defs/matrix': 'a list of rows of numbers, e.g. [[0.5, -1]]',
  // The same words as the data layer's own check, so the two can never disagree.
  '#/$defs/dataset/properties/test_fraction': TEST_FRACTION_RANGE,
  '#/$defs/sweepAxis':
    'a list of values, { logspace: [from, to, n] }, { linspace: [from, to, n] }, { named: { label: value, ... } }, or in a random search { loguniform: [low, high] }, { uniform: [low, high] } or { int_uniform: [low, high] }',
  '#/$defs/sweepAxis/anyOf/0': 'a non-empty list of values (strings, numbers or true/false)',
  '#/$defs/sweepAxis/anyOf/0/items': 'a string, a finite number, true or false (use { named: ... } for lists and mappings)',
  '#/$defs/sweepAxis/anyOf/3/properties/named': 'a mapping of labels to values, e.g. { small: [...], large: [...] }',
};

/** Wordings for string patterns, keyed by the pattern itself. */
const EXPECTED_BY_PATTERN: Record<string, string> = {
  '^(?!.*\\.\\.)[a-z0-9][a-z0-9._-]*$':
    "a name of lowercase letters, digits, '.', '_' and '-' that starts with a letter or digit and has no '..'",
  '^[a-z_][a-z0-9_]*(\\.([a-z_][a-z0-9_]*|0|[1-9][0-9]{0,3}))*$':
    'a dotted setting path such as train.learning_rate or model.0.init',
};

/** What the schema at `pointer` accepts, as a phrase that follows "expected". */
export function describeSchemaAt(pointer: string): string {
  const schema = schemaAtPointer(pointer);
  return schema === undefined ? 'a valid value' : describeSchema(pointer, schema);
}

export function describeSchema(pointer: string, schema: JsonSchema): string {
  const resolved = resolveRef(pointer, schema);
  const override = EXPECTED_BY_POINTER[resolved.pointer] ?? EXPECTED_BY_POINTER[pointer];
  if (override !== undefined) return override;
  const s = resolved.schema;
  const at = resolved.pointer;

  if (s.then !== undefined && s.else !== undefined) {
    return `${describeSchema(`${at}/then`, s.then as JsonSchema)} or ${describeSchema(`${at}/else`, s.else as JsonSchema)}`;
  }
  for (const union of ['anyOf', 'oneOf'] as const) {
    const branches = s[union];
    if (Array.isArray(branches)) {
      return joinAlternatives(branches.map((branch, i) => describeSchema(`${at}/${union}/${i}`, branch as JsonSchema)));
    }
  }
  if (s.const !== undefined) return formatValue(s.const);
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => (typeof v === 'string' ? v : formatValue(v))).join(', ')}`;

  // propertyNames schemas constrain strings without saying `type: string`.
  const type: unknown = s.type ?? (s.pattern !== undefined || s.minLength !== undefined ? 'string' : undefined);
  if (Array.isArray(type)) return joinAlternatives(type.map((t) => typeNoun(String(t))));
  switch (type) {
    case 'integer':
    case 'number':
      return `${typeNoun(String(type))}${rangeText(s)}`;
    case 'string':
      return describeString(s);
    case 'boolean':
      return 'true or false';
    case 'array':
      return describeArray(at, s);
    case 'object':
      return describeObject(at, s);
    default:
      return 'a valid value';
  }
}

function describeString(s: JsonSchema): string {
  if (typeof s.pattern === 'string') return EXPECTED_BY_PATTERN[s.pattern] ?? `a string matching /${s.pattern}/`;
  const nonEmpty = typeof s.minLength === 'number' && s.minLength >= 1;
  const limit = typeof s.maxLength === 'number' ? ` of at most ${s.maxLength} characters` : '';
  return `${nonEmpty ? 'a non-empty string' : 'a string'}${limit}`;
}

function describeArray(at: string, s: JsonSchema): string {
  if (Array.isArray(s.prefixItems)) {
    return `[${s.prefixItems.map((item, i) => String((item as JsonSchema).title ?? `item ${i}`)).join(', ')}]`;
  }
  const min = typeof s.minItems === 'number' ? s.minItems : 0;
  const max = typeof s.maxItems === 'number' ? s.maxItems : undefined;
  const items = s.items !== undefined && s.items !== false ? resolveRef(`${at}/items`, s.items as JsonSchema) : undefined;
  const noun = items ? pluralNoun(items.schema) : 'entries';
  let count = '';
  if (max !== undefined && min > 1) count = ` of ${min} to ${max} ${noun}`;
  else if (max !== undefined) count = ` of up to ${max} ${noun}`;
  else if (min > 1) count = ` of at least ${min} ${noun}`;
  else count = ` of ${noun}`;
  const distinct = s.uniqueItems === true ? ' (no repeats)' : '';
  return `${min === 1 ? 'a non-empty list' : 'a list'}${count}${distinct}`;
}

function describeObject(at: string, s: JsonSchema): string {
  const properties = s.properties !== undefined ? Object.keys(s.properties as object) : [];
  const required = Array.isArray(s.required) ? (s.required as string[]) : [];
  if (properties.length === 1 && required.length === 1 && required[0] === properties[0]) {
    const key = properties[0];
    const inner = (s.properties as Record<string, JsonSchema>)[key];
    return `{ ${key}: ${describeSchema(`${at}/properties/${key}`, inner)} }`;
  }
  return properties.length > 0 ? `a mapping (${properties.join(', ')})` : 'a mapping';
}

function pluralNoun(s: JsonSchema): string {
  switch (s.type) {
    case 'integer':
      return `integers${rangeText(s)}`;
    case 'number':
      return `numbers${rangeText(s)}`;
    case 'string':
      return 'names';
    case 'array':
      return 'lists';
    case 'object':
      return 'mappings';
    default:
      return 'entries';
  }
}

function typeNoun(type: string): string {
  switch (type) {
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping';
    case 'null':
      return 'an empty value';
    default:
      return `a ${type}`;
  }
}

function rangeText(s: JsonSchema): string {
  const low =
    typeof s.minimum === 'number' ? { op: '>=', v: s.minimum } : typeof s.exclusiveMinimum === 'number' ? { op: '>', v: s.exclusiveMinimum } : null;
  const high =
    typeof s.maximum === 'number' ? { op: '<=', v: s.maximum } : typeof s.exclusiveMaximum === 'number' ? { op: '<', v: s.exclusiveMaximum } : null;
  if (low && high && low.op === '>=' && high.op === '<=') return ` from ${formatNumber(low.v)} to ${formatNumber(high.v)}`;
  const parts: string[] = [];
  if (low) parts.push(`${low.op} ${formatNumber(low.v)}`);
  if (high) parts.push(`${high.op} ${formatNumber(high.v)}`);
  return parts.length === 0 ? '' : ` ${parts.join(' and ')}`;
}

function joinAlternatives(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

/** Short exponent form for round limits (1e12), plain digits otherwise. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  const plain = String(value);
  const exponent = value.toExponential().replace('e+', 'e');
  return Math.abs(value) >= 1e6 && exponent.length < plain.length ? exponent : plain;
}

/** A value from the file as the user would recognise it. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : formatNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty list';
    return value.length === 1 ? 'a list of 1 entry' : `a list of ${value.length} entries`;
  }
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  return String(value);
}
