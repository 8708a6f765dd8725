// Turns ajv's raw errors into one clear problem per mistake. ajv reports every branch of a
// union that failed ("must be string", "must be object", "must match a schema in anyOf", ...);
// a person wants to hear only about the form they evidently meant, decided from the value's type.

import { describeSchemaAt, formatValue } from './describe.js';
import { mismatch, pointerToPath, type Problem } from './problem.js';
import { canonicalPointer, resolveRef, schemaAtPointer, type JsonSchema, type SchemaError } from './schema.js';

type ErrorObject = SchemaError;
/** The JSON pointer (in schema/experiment.schema.json) of the schema that holds an error's keyword. */
export type OwnerOf = (error: SchemaError) => string;
import { suggest } from '../text/suggest.js';

/**
 * One problem per mistake from the validator's errors. `owner` places an error's keyword in the
 * schema; by default from its schema path (see canonicalPointer).
 */
export function problemsFromSchemaErrors(errors: readonly ErrorObject[], ownerOf: OwnerOf = ownerBySchemaPath): Problem[] {
  // `if` only says "must match then/else"; the branch's own errors say why.
  let pending = errors.filter((e) => e.keyword !== 'if');
  const problems: Problem[] = [];

  const removed = new Set<ErrorObject>();
  const unions = pending
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => a.instancePath.length - b.instancePath.length || a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (removed.has(union)) continue;
    removed.add(union);
    const branchesAt = `${ownerOf(union)}/${union.keyword}/`;
    const inside = pending.filter(
      (e) => !removed.has(e) && ownerOf(e).startsWith(branchesAt) && isWithin(e.instancePath, union.instancePath),
    );
    const decision = decideUnion(union, inside, ownerOf);
    for (const e of inside) if (!decision.keep.has(e)) removed.add(e);
    problems.push(...decision.problems);
  }
  pending = pending.filter((e) => !removed.has(e));

  const valueErrors = new Map<string, ErrorObject[]>();
  for (const error of pending) {
    if (error.propertyName !== undefined) continue; // reported by its propertyNames error
    switch (error.keyword) {
      case 'additionalProperties':
        problems.push(unknownSetting(error));
        break;
      case 'required':
        problems.push(missingSetting(error, ownerOf));
        break;
      case 'propertyNames':
        problems.push(badPropertyName(error, ownerOf));
        break;
      default: {
        const list = valueErrors.get(error.instancePath) ?? [];
        list.push(error);
        valueErrors.set(error.instancePath, list);
      }
    }
  }
  for (const list of valueErrors.values()) problems.push(badValue(pickMostTelling(list), ownerOf));
  return problems;
}

function isWithin(instancePath: string, parent: string): boolean {
  return instancePath === parent || instancePath.startsWith(`${parent}/`);
}

function parentPointer(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

/** The schema holding an error's keyword: the parent of the keyword's place in the schema file. */
function ownerBySchemaPath(error: ErrorObject): string {
  return parentPointer(canonicalPointer(error.schemaPath));
}

function decideUnion(union: ErrorObject, inside: ErrorObject[], ownerOf: OwnerOf): { keep: Set<ErrorObject>; problems: Problem[] } {
  const path = pointerToPath(union.instancePath);
  const branches = (Array.isArray(union.schema) ? union.schema : []) as JsonSchema[];
  const data = union.data;

  // `oneOf: [{ required: [builtin] }, { required: [csv] }]`: exactly one of these keys.
  const requiredOnly = branches.every((b) => Object.keys(b).length === 1 && Array.isArray(b.required));
  if (requiredOnly && branches.length > 0) {
    const keys = branches.flatMap((b) => b.required as string[]);
    const present = isPlainObject(data) ? keys.filter((k) => Object.hasOwn(data, k)) : [];
    const expected = `exactly one of ${keys.join(' or ')}`;
    const message =
      present.length === 0 ? `set ${expected}` : `${present.join(' and ')} are ${present.length === 2 ? 'both' : 'all'} set; set ${expected}`;
    return { keep: new Set(), problems: [{ path, at: 'key', anchor: path, message, expected }] };
  }

  const owner = ownerOf(union);
  const branchAt = (i: number): string => `${owner}/${union.keyword}/${i}`;
  const matching = branches.map((b, i) => ({ b, i })).filter(({ b, i }) => shapeMatches(branchAt(i), b, data));
  if (matching.length === 1) {
    const chosen = branchAt(matching[0].i);
    return { keep: new Set(inside.filter((e) => ownerOf(e) === chosen || ownerOf(e).startsWith(`${chosen}/`))), problems: [] };
  }

  // A mapping that fits no form: most likely a misspelt key ({ logspce: [...] }).
  if (matching.length === 0 && isPlainObject(data)) {
    const known = branches.flatMap((b, i) => {
      const s = resolveRef(branchAt(i), b).schema;
      return s.type === 'object' && s.properties !== undefined ? Object.keys(s.properties as object) : [];
    });
    const unknown = Object.keys(data).filter((k) => !known.includes(k));
    if (known.length > 0 && unknown.length > 0) {
      return {
        keep: new Set(),
        problems: unknown.map((key) => {
          const problem: Problem = { path: [...path, key], at: 'key', anchor: [...path, key], message: 'unknown setting' };
          const suggestion = suggest(key, known);
          if (suggestion !== undefined) problem.suggestion = suggestion;
          else problem.message = `unknown setting; expected one of ${known.join(', ')}`;
          return problem;
        }),
      };
    }
  }
  return { keep: new Set(), problems: [mismatch(path, describeSchemaAt(owner), formatValue(data))] };
}

/** Whether `data` has the type (and, for mappings, the distinguishing keys) of a union branch. */
function shapeMatches(pointer: string, branch: JsonSchema, data: unknown): boolean {
  const s = resolveRef(pointer, branch).schema;
  const type = jsonType(data);
  const sameType = (t: unknown): boolean => t === type || (t === 'integer' && type === 'number') || (t === 'number' && type === 'integer');
  if (s.type !== undefined && !(Array.isArray(s.type) ? s.type.some(sameType) : sameType(s.type))) return false;
  if (s.const !== undefined && !sameType(jsonType(s.const))) return false;
  if (Array.isArray(s.enum) && !s.enum.some((v) => sameType(jsonType(v)))) return false;
  if (Array.isArray(s.required) && !(isPlainObject(data) && (s.required as string[]).every((k) => Object.hasOwn(data, k)))) return false;
  return true;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unknownSetting(error: ErrorObject): Problem {
  const key = String((error.params as { additionalProperty?: unknown }).additionalProperty);
  const path = [...pointerToPath(error.instancePath), key];
  const parent = error.parentSchema as JsonSchema | undefined;
  const known = parent?.properties !== undefined ? Object.keys(parent.properties as object) : [];
  const problem: Problem = { path, at: 'key', anchor: path, message: 'unknown setting' };
  const suggestion = suggest(key, known);
  if (suggestion !== undefined) problem.suggestion = suggestion;
  else if (known.length > 0) problem.message = `unknown setting; the settings here are ${known.join(', ')}`;
  return problem;
}

function missingSetting(error: ErrorObject, ownerOf: OwnerOf): Problem {
  const key = String((error.params as { missingProperty?: unknown }).missingProperty);
  const container = pointerToPath(error.instancePath);
  const expected = describeSchemaAt(`${ownerOf(error)}/properties/${key}`);
  return { path: [...container, key], at: 'key', anchor: container, message: `required setting is missing; expected ${expected}`, expected, missing: true };
}

function badPropertyName(error: ErrorObject, ownerOf: OwnerOf): Problem {
  const name = String((error.params as { propertyName?: unknown }).propertyName);
  const path = [...pointerToPath(error.instancePath), name];
  const namesAt = `${ownerOf(error)}/propertyNames`;
  // A key rule with its own description (e.g. "not a plain whole number") explains itself best.
  const rule = schemaAtPointer(namesAt);
  const expected = rule?.not !== undefined && typeof rule.description === 'string' ? rule.description : describeSchemaAt(namesAt);
  const problem: Problem = { path, at: 'key', anchor: path, message: `invalid key; expected ${expected}`, expected, found: JSON.stringify(name) };
  // Sweep keys are lowercase setting paths; `Train.Learning_Rate` most likely means the lowercase one.
  const pattern = schemaAtPointer(namesAt)?.pattern;
  if (typeof pattern === 'string' && name !== name.toLowerCase() && new RegExp(pattern, 'u').test(name.toLowerCase())) {
    problem.suggestion = name.toLowerCase();
  }
  return problem;
}

/** Of several complaints about one value, the one that tells the most: its type first. */
function pickMostTelling(errors: ErrorObject[]): ErrorObject {
  const rank = (e: ErrorObject): number => (e.keyword === 'type' ? 0 : e.keyword === 'enum' || e.keyword === 'const' ? 1 : 2);
  return [...errors].sort((a, b) => rank(a) - rank(b))[0];
}

function badValue(error: ErrorObject, ownerOf: OwnerOf): Problem {
  const path = pointerToPath(error.instancePath);
  let owner = ownerOf(error);
  // A wrong type inside if/then/else: the value fits neither form, so name both.
  if (error.keyword === 'type' && /\/(then|else)$/.test(owner)) owner = parentPointer(owner);
  const data = error.data;
  const expected = describeSchemaAt(owner);

  switch (error.keyword) {
    case 'enum':
    case 'const': {
      const allowed = error.keyword === 'enum' ? (error.schema as unknown[]) : [error.schema];
      const names = allowed.filter((v): v is string => typeof v === 'string');
      const suggestion = typeof data === 'string' ? suggest(data, names) : undefined;
      return mismatch(path, expected, formatValue(data), suggestion);
    }
    case 'uniqueItems': {
      const { j } = error.params as { i: number; j: number };
      return mismatch(path, expected, `${formatValue((data as unknown[])[j])} more than once`);
    }
    case 'minProperties':
    case 'maxProperties': {
      const limit = (error.params as { limit: number }).limit;
      const count = isPlainObject(data) ? Object.keys(data).length : 0;
      const wanted = error.keyword === 'minProperties' ? `at least ${limit}` : `at most ${limit}`;
      return mismatch(path, `${wanted} ${limit === 1 ? 'entry' : 'entries'}`, count === 0 ? 'an empty mapping' : `${count} entries`);
    }
    default:
      return mismatch(path, expected, formatValue(data));
  }
}
