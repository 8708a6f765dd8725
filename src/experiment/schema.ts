// The experiment JSON Schema (schema/experiment.schema.json) is the single source of the file
// format: this module reads it, validates data with its validator (compiled ahead of time by
// scripts/schema-validator.mjs into schema-validator.generated.ts: no schema compiler runs at
// start-up), and exposes the names it enumerates.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validate } from './schema-validator.generated.js';

export type JsonSchema = { [keyword: string]: unknown };

/** One complaint of the validator (ajv's error object, with the failing data and schema). */
export interface SchemaError {
  keyword: string;
  /** JSON pointer of the failing value in the data. */
  instancePath: string;
  /** Path of the failing keyword from the root of the schema, through the inlined references. */
  schemaPath: string;
  params: Record<string, unknown>;
  /** Set on errors about a key that failed `propertyNames`. */
  propertyName?: string;
  message?: string;
  /** The failing keyword's value, the schema holding it, and the data. */
  schema?: unknown;
  parentSchema?: JsonSchema;
  data?: unknown;
}

/** Found beside the sources (src/experiment) and beside the builds (dist/src/experiment, the bundle in dist/cli). */
function schemaFileUrl(): URL {
  const candidates = [
    new URL('../../schema/experiment.schema.json', import.meta.url),
    new URL('../../../schema/experiment.schema.json', import.meta.url),
  ];
  const found = candidates.find((url) => existsSync(fileURLToPath(url)));
  if (found === undefined) throw new Error('schema/experiment.schema.json is missing from the gradgrid installation');
  return found;
}

export const SCHEMA_PATH: string = fileURLToPath(schemaFileUrl());
export const experimentSchema: JsonSchema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));

const validator = validate as unknown as ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/** Validates `data` in place (defaults are filled in) and returns the validator's raw errors. */
export function validateAgainstSchema(data: unknown): SchemaError[] {
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

/**
 * The JSON pointer of the schema that a schema path leads to, following every $ref on the way:
 * `#/properties/dataset/properties/noise/type` is `#/$defs/dataset/properties/noise/type`. A path
 * goes into a reference's target unless the next step is a keyword written beside the $ref itself.
 * The validator's error paths run through the references as if they were inlined (they were, see
 * scripts/schema-validator.mjs); this names the place in the schema file where the keyword is.
 */
export function canonicalPointer(path: string): string {
  const parts = path.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
  let pointer = '#';
  let node: unknown = experimentSchema;
  for (const raw of parts) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    // Into the target of a $ref, as often as it takes (a reference to a reference).
    for (let hops = 0; hops < 16 && isSchemaObject(node) && typeof node.$ref === 'string' && !Object.hasOwn(node, part); hops++) {
      pointer = node.$ref;
      node = schemaAtPointer(pointer);
    }
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return `${pointer}/${escapePointer(part)}`;
    pointer = `${pointer}/${escapePointer(part)}`;
    node = (node as Record<string, unknown>)[part];
  }
  return pointer;
}

function isSchemaObject(node: unknown): node is JsonSchema {
  return node !== null && typeof node === 'object' && !Array.isArray(node);
}

function escapePointer(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Subschemas by pointer: the schema never changes, and a grid asks for the same few per run. */
const schemaByPointer = new Map<string, JsonSchema | undefined>();

/** The subschema at a JSON pointer such as `#/$defs/train/properties/epochs`. */
export function schemaAtPointer(pointer: string): JsonSchema | undefined {
  if (schemaByPointer.has(pointer)) return schemaByPointer.get(pointer);
  const schema = walkPointer(pointer);
  schemaByPointer.set(pointer, schema);
  return schema;
}

function walkPointer(pointer: string): JsonSchema | undefined {
  const parts = pointer.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
  let node: unknown = experimentSchema;
  for (const raw of parts) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node !== null && typeof node === 'object' ? (node as JsonSchema) : undefined;
}

/** Follows a local `$ref`, returning the pointer and the schema it names. */
export function resolveRef(pointer: string, schema: JsonSchema): { pointer: string; schema: JsonSchema } {
  let current = { pointer, schema };
  for (let hops = 0; hops < 16 && typeof current.schema.$ref === 'string'; hops++) {
    const target = schemaAtPointer(current.schema.$ref);
    if (target === undefined) break;
    current = { pointer: current.schema.$ref, schema: target };
  }
  return current;
}

function enumAt(pointer: string): readonly string[] {
  const values = schemaAtPointer(pointer)?.enum;
  if (!Array.isArray(values)) throw new Error(`the experiment schema has no enum at ${pointer}`);
  return values as string[];
}

/** The names the file format accepts; the registries in src/nn and src/data must match these (a test checks). */
export const ACTIVATION_NAMES = enumAt('#/$defs/layer/then');
export const INIT_NAMES = enumAt('#/$defs/layer/else/properties/init');
export const LOSS_NAMES = enumAt('#/properties/loss');
export const BUILTIN_DATASET_NAMES = enumAt('#/$defs/dataset/properties/builtin');
export const OPTIMIZER_NAMES = enumAt('#/$defs/optimizer/then');
export const SCHEDULE_NAMES = enumAt('#/$defs/schedule/then');
