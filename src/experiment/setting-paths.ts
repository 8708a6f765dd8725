// Dotted setting paths as used by sweep keys: `train.learning_rate`, `seed`, `model.0.init`.
// A path must name a setting the schema knows (so a typo is caught, with a suggestion) and
// list indices must exist in the list being swept. A setting written as a bare name that also
// has a { name, ...settings } form (train.optimizer, train.schedule) takes the object form when a
// path reaches inside it: `optimizer: adam` swept at train.optimizer.beta1.

import { resolveRef, schemaAtPointer, type JsonSchema } from './schema.js';
import { suggest } from '../text/suggest.js';

/** Settings that describe the experiment rather than a run, and cannot be swept. */
const NOT_SWEEPABLE = new Set(['name', 'description', 'sweep', 'search']);

export interface PathError {
  message: string;
  suggestion?: string;
}

/**
 * Sets `value` at `key` inside `target` (a copy of an experiment), replacing what is there.
 * Returns a PathError when the path does not name a setting of this experiment.
 */
export function setSetting(target: Record<string, unknown>, key: string, value: unknown): PathError | null {
  const found = findSetting(target, key);
  if ('message' in found) return found;
  found.set(value);
  return null;
}

/**
 * The schema of the setting at `key` in `target` (following $ref, and the if/then/else branch its
 * current value takes), or a PathError like setSetting's when the path names no setting there.
 * Undefined schema: the path is valid but the schema says nothing more about it.
 */
export function settingSchema(target: Record<string, unknown>, key: string): { schema: SchemaAt | undefined } | PathError {
  const found = findSetting(target, key);
  if ('message' in found) return found;
  return { schema: found.schema };
}

/** A subschema and its JSON pointer. */
export interface SchemaAt {
  pointer: string;
  schema: JsonSchema;
}

interface FoundSetting {
  /** The setting's schema, when the schema describes it. */
  schema: SchemaAt | undefined;
  set(value: unknown): void;
}

/** Walks `key` through `target` and the schema together, checking every step. */
function findSetting(target: Record<string, unknown>, key: string): FoundSetting | PathError {
  const segments = key.split('.');
  if (NOT_SWEEPABLE.has(segments[0])) return { message: `${segments[0]} cannot be swept; it describes the experiment, not a setting of its runs` };

  let container: unknown = target;
  let schema: SchemaAt | undefined = { pointer: '#', schema: schemaAtPointer('#')! };
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const reached = segments.slice(0, i).join('.');
    const isLast = i === segments.length - 1;
    let next: unknown;

    if (Array.isArray(container)) {
      const index = /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : -1;
      if (index < 0 || index >= container.length) {
        const range = container.length === 0 ? 'it is empty' : `its entries are ${reached}.0 to ${reached}.${container.length - 1}`;
        return { message: `${reached} has no entry ${segment}; ${range}` };
      }
      const list = container;
      next = list[index];
      schema = schema && childSchema(schema, 'items', next);
      if (isLast) return { schema, set: (value) => (list[index] = value) };
    } else if (container !== null && typeof container === 'object') {
      const known = schema ? knownSettings(schema.schema) : [];
      if (!known.includes(segment)) {
        const near = suggest(segment, known);
        const error: PathError = {
          message: `unknown setting "${segment}"${reached === '' ? '' : ` in ${reached}`}; ${
            known.length > 0 ? `the settings there are ${known.join(', ')}` : 'it has no settings'
          }`,
        };
        if (near !== undefined) {
          error.message = `unknown setting "${segment}"${reached === '' ? '' : ` in ${reached}`}`;
          error.suggestion = `${prefix(reached)}${near}`;
        }
        return error;
      }
      const object = container as Record<string, unknown>;
      next = object[segment];
      // `optimizer: adam` swept at `train.optimizer.beta1`: the name becomes { name: adam }.
      if (!isLast && typeof next === 'string' && schema && takesNamedForm(schema, `properties/${segment}`)) {
        next = { name: next };
        object[segment] = next;
      }
      schema = schema && childSchema(schema, `properties/${segment}`, next);
      if (isLast) return { schema, set: (value) => (object[segment] = value) };
      if (next === undefined) return { message: `${prefix(reached)}${segment} is not set, so ${key} cannot be swept; set it first` };
    } else {
      return { message: `${reached} is ${JSON.stringify(container)}, which has no setting ${segment}` };
    }
    container = next;
  }
  throw new Error('unreachable: a setting path has at least one segment');
}

function prefix(reached: string): string {
  return reached === '' ? '' : `${reached}.`;
}

function knownSettings(schema: JsonSchema): string[] {
  return schema.properties !== undefined ? Object.keys(schema.properties as object) : [];
}

/** Whether the child is a name or { name, ...settings } (an if/then/else whose object form has `name`). */
function takesNamedForm(parent: { pointer: string; schema: JsonSchema }, relative: string): boolean {
  const found = schemaAtPointer(`${parent.pointer}/${relative}`);
  if (found === undefined) return false;
  const current = resolveRef(`${parent.pointer}/${relative}`, found);
  if (current.schema.if === undefined) return false;
  const objectForm = schemaAtPointer(`${current.pointer}/else`);
  const properties = objectForm?.properties as Record<string, unknown> | undefined;
  return properties !== undefined && Object.hasOwn(properties, 'name');
}

/** The schema of a child, following $ref and choosing the if/then/else branch by the value's type. */
function childSchema(parent: { pointer: string; schema: JsonSchema }, relative: string, value: unknown): { pointer: string; schema: JsonSchema } | undefined {
  const pointer = `${parent.pointer}/${relative}`;
  const found = schemaAtPointer(pointer);
  if (found === undefined) return undefined;
  let current = resolveRef(pointer, found);
  for (let hops = 0; hops < 8 && current.schema.if !== undefined; hops++) {
    const branch = typeof value === 'string' ? 'then' : 'else';
    const next = schemaAtPointer(`${current.pointer}/${branch}`);
    if (next === undefined) break;
    current = resolveRef(`${current.pointer}/${branch}`, next);
  }
  return current;
}
