// The experiment JSON Schema (schema/experiment.schema.json) is the single source of the file
// format: this module loads it once, compiles it with ajv, and exposes the names it enumerates.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

export type JsonSchema = { [keyword: string]: unknown };

/** Found beside the sources (src/experiment) and beside the build (dist/src/experiment). */
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

const ajv = new Ajv2020({
  allErrors: true, // report every problem of a file at once
  useDefaults: true, // the schema's `default`s fill what the file leaves out
  verbose: true, // errors carry the offending data and their schema, for clear messages
  strict: true,
  strictRequired: false, // allows the idiom oneOf: [{ required: [builtin] }, { required: [csv] }]
  allowUnionTypes: true,
});
const compiled: ValidateFunction = ajv.compile(experimentSchema);

/** Validates `data` in place (defaults are filled in) and returns ajv's raw errors. */
export function validateAgainstSchema(data: unknown): ErrorObject[] {
  return compiled(data) ? [] : [...(compiled.errors ?? [])];
}

/** JSON pointer of every subschema object, so ajv's `parentSchema` can be named whatever ajv inlined. */
const pointerBySchema = new Map<object, string>();
(function indexSchema(node: unknown, pointer: string): void {
  if (node === null || typeof node !== 'object') return;
  if (!Array.isArray(node)) pointerBySchema.set(node, pointer);
  for (const [key, child] of Object.entries(node)) {
    indexSchema(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  }
})(experimentSchema, '#');

/** The JSON pointer of a subschema object of the experiment schema (as ajv hands it back). */
export function pointerOfSchema(schema: unknown): string | undefined {
  return schema !== null && typeof schema === 'object' ? pointerBySchema.get(schema) : undefined;
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
