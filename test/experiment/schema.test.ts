import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { SCHEMA_PATH, experimentSchema } from '../../src/experiment/index.js';

type Schema = Record<string, unknown>;

/** Every subschema with its JSON pointer. */
function subschemas(node: unknown, pointer = '#', out: [string, Schema][] = []): [string, Schema][] {
  if (node === null || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    node.forEach((child, i) => subschemas(child, `${pointer}/${i}`, out));
    return out;
  }
  out.push([pointer, node as Schema]);
  for (const [key, child] of Object.entries(node)) {
    if (key === 'enum' || key === 'const' || key === 'default' || key === 'required') continue;
    if (key === 'properties' || key === '$defs') {
      for (const [name, sub] of Object.entries(child as Schema)) subschemas(sub, `${pointer}/${key}/${name}`, out);
    } else subschemas(child, `${pointer}/${key}`, out);
  }
  return out;
}

describe('schema/experiment.schema.json', () => {
  it('is the file the loader uses, and valid JSON Schema 2020-12', () => {
    expect(SCHEMA_PATH).toMatch(/schema[\\/]experiment\.schema\.json$/);
    expect(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'))).toEqual(experimentSchema);
    expect(experimentSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true });
    expect(ajv.validateSchema(experimentSchema), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('closes every mapping with settings (additionalProperties: false)', () => {
    const open = subschemas(experimentSchema)
      .filter(([, s]) => s.properties !== undefined)
      .filter(([, s]) => s.additionalProperties !== false)
      .map(([pointer]) => pointer);
    expect(open).toEqual([]);
  });

  it('gives every setting a title and a description for editors', () => {
    const missing: string[] = [];
    for (const [pointer, schema] of subschemas(experimentSchema)) {
      if (!/\/properties\/[^/]+$/.test(pointer) && !/^#\/\$defs\/[^/]+$/.test(pointer)) continue;
      // A bare $ref shows the title and description of what it refers to.
      const shown = typeof schema.$ref === 'string' ? (subschemas(experimentSchema).find(([p]) => p === schema.$ref)?.[1] ?? {}) : schema;
      if (typeof shown.title !== 'string' || typeof shown.description !== 'string') missing.push(pointer);
    }
    expect(missing).toEqual([]);
  });

  it('documents the logspace helper as values, not exponents', () => {
    const sweepAxis = (experimentSchema.$defs as Record<string, Schema>).sweepAxis;
    const logspace = (sweepAxis.anyOf as Schema[]).find((branch) => (branch.required as string[])?.includes('logspace'))!;
    expect(logspace.description).toMatch(/logspace: \[1\.0e-3, 1\.0e2, 11\] \} gives 0\.001, 0\.00316\.\.\., 0\.01, \.\.\., 100/);
  });
});
