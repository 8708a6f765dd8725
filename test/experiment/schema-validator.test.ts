// The schema validator compiled ahead of time (scripts/schema-validator.mjs; vitest's global setup
// writes it from the schema as it is): the problems it leads to are exactly those of the schema
// compiled by ajv at run time with the errors placed by their schema objects, the way gradgrid
// placed them before: the same located messages, for files as written and with --set overrides,
// and the same defaults filled in.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { canonicalPointer, experimentSchema, type SchemaError, validateAgainstSchema } from '../../src/experiment/schema.js';
import { problemsFromSchemaErrors } from '../../src/experiment/schema-problems.js';
import { ajvOptions } from '../../src/experiment/schema-validator.generated.js';
import { locate } from '../../src/experiment/load.js';
import { applyOverrides, parseOverrides } from '../../src/experiment/overrides.js';
import { ExperimentError } from '../../src/experiment/errors.js';
import { parseYamlSource } from '../../src/experiment/yaml-source.js';
import { DESIGN_EXAMPLE, pathsOf } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Reference {
  validate: (data: unknown) => ErrorObject[];
  ownerOf: (error: SchemaError) => string;
}

let reference: Reference | undefined;

/** The schema compiled at run time, as before, and its errors placed by their schema objects (compiled once: it is slow). */
function runtimeReference(): Reference {
  reference ??= compileReference();
  return reference;
}

function compileReference(): Reference {
  const schema = structuredClone(experimentSchema);
  const compiled = new Ajv2020(ajvOptions).compile(schema);
  const pointerBySchema = new Map<object, string>();
  (function index(node: unknown, pointer: string): void {
    if (node === null || typeof node !== 'object') return;
    if (!Array.isArray(node)) pointerBySchema.set(node, pointer);
    for (const [key, child] of Object.entries(node)) index(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  })(schema, '#');
  return {
    validate: (data) => (compiled(data) ? [] : [...(compiled.errors ?? [])]),
    ownerOf: (error) =>
      pointerBySchema.get(error.parentSchema as object) ?? error.schemaPath.slice(0, error.schemaPath.lastIndexOf('/')),
  };
}

/** The experiment files of the repository and the format's example, as text and as data. */
const SOURCES: string[] = [
  DESIGN_EXAMPLE,
  ...readdirSync(`${ROOT}experiments`)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => readFileSync(`${ROOT}experiments/${name}`, 'utf8')),
];
const VALID: unknown[] = SOURCES.map((source) => parse(source));
/** The same files read as the loader reads them, with their locators (parsed once; each check works on copies of the data). */
const PARSED = SOURCES.map((source) => parseYamlSource(source, 'file.yaml'));

const anyValue = fc.oneof(
  fc.constantFrom(-1, 0, 0.5, 1, 3, 1e400, Number.NaN, '', 'sigmod', 'full', 'xavier', 'xor', 'bce', null, true, [], {}, [[1, 2]]),
  fc.integer({ min: -10, max: 10_000 }),
  fc.string({ maxLength: 8 }),
  fc.array(fc.oneof(fc.integer({ min: -2, max: 9 }), fc.constantFrom('sigmoid', 'relu', { linear: 2 }, { linear: -1 }, { logspace: [1] })), {
    maxLength: 4,
  }),
  fc.dictionary(fc.constantFrom('linear', 'init', 'builtin', 'csv', 'logspace', 'named', 'max_cost', 'epoch', 'weights'), fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant([1, 2, 3])), {
    maxKeys: 3,
  }),
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: anyValue }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), to: fc.constantFrom('learning_rte', 'epoch', 'lossx', 'sweep', 'Train.Learning_Rate', '7', 'model.0.init') }),
);

/** `--set key=value` texts: settings of every part of the format, with good and bad YAML values. */
const override = fc
  .tuple(
    fc.constantFrom(
      'train.epochs', 'train.learning_rate', 'train.batch_size', 'train.optimizer', 'train.optimizer.beta', 'train.schedule',
      'train.schedule.every', 'train.lerning_rate', 'model.0', 'model.0.linear', 'model.0.init', 'model.1', 'model.2.weights',
      'dataset', 'dataset.builtin', 'dataset.csv', 'dataset.noise', 'loss', 'seed', 'name', 'divergence.max_cost',
      'track.sharpness.every', 'sweep.train.learning_rate', 'sweep.seed', 'sweep.model.0.init', 'search.random.samples',
      'search.stability_limit', 'search', 'sweep',
    ),
    fc.constantFrom(
      '200', '0', '-1', '0.5', '1e400', 'full', 'sigmod', 'sigmoid', 'xavier', 'adam', '{ name: momentum, beta: 0.95 }',
      '{ name: step, every: 0 }', '[0.1, 1]', '[]', '{ logspace: [1.0e-3, 1.0e2, 11] }', '{ int_uniform: [1, 5] }', 'null', '{}',
      '{ linear: 3 }', '{ builtin: or, csv: a.csv }', '[[1, 2]]', 'Xor', '{ key: train.learning_rate, low: 0.1, high: 10 }', "'3'", '[a',
    ),
  )
  .map(([key, value]) => `${key}=${value}`);

type Mutation = { kind: 'set' | 'delete' | 'rename'; at: number; value?: unknown; to?: string };

function mutate(base: unknown, mutations: Mutation[]): unknown {
  const doc = structuredClone(base) as Record<string, unknown>;
  for (const m of mutations) {
    const paths = pathsOf(doc).filter((p) => p.length > 0);
    if (paths.length === 0) break;
    const path = paths[m.at % paths.length];
    let parent: Record<string | number, unknown> = doc;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    if (m.kind === 'set') parent[last] = structuredClone(m.value);
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (!Array.isArray(parent)) {
      parent[m.to!] = parent[last];
      delete parent[last];
    }
  }
  return doc;
}

describe('the schema validator compiled ahead of time', () => {
  it('fills in the same defaults in the experiment files, with the same complaints if any', () => {
    // (A file may leave out a setting its sweep or search sets: the schema alone complains, and the
    // loader excuses it. The two validators must agree on that too.)
    const reference = runtimeReference();
    for (const doc of VALID) {
      const expected = structuredClone(doc);
      const actual = structuredClone(doc);
      const expectedProblems = problemsFromSchemaErrors(reference.validate(expected), reference.ownerOf);
      expect(problemsFromSchemaErrors(validateAgainstSchema(actual))).toEqual(expectedProblems);
      expect(actual).toEqual(expected);
    }
  });

  it('leads to the same problems as the schema compiled at run time, for broken files', () => {
    const reference = runtimeReference();
    let rejected = 0;
    fc.assert(
      fc.property(fc.nat(VALID.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, mutations) => {
        const doc = mutate(VALID[which], mutations);
        const expectedData = structuredClone(doc);
        const actualData = structuredClone(doc);
        const expected = problemsFromSchemaErrors(reference.validate(expectedData), reference.ownerOf);
        const actual = problemsFromSchemaErrors(validateAgainstSchema(actualData));
        if (expected.length > 0) rejected++;
        expect(actual).toEqual(expected);
        expect(actualData).toEqual(expectedData);
      }),
      { numRuns: 600, seed: 48 },
    );
    // The mutations must mostly break the files, or the comparison proves little.
    expect(rejected).toBeGreaterThan(300);
  });

  it('places the problems of --set overrides as the schema compiled at run time does', () => {
    // The overrides are applied to the file's data before validation (src/experiment/load.ts); a
    // problem in what an override set is reported at the override, the others at the file's lines.
    const reference = runtimeReference();
    let rejected = 0;
    fc.assert(
      fc.property(fc.nat(SOURCES.length - 1), fc.array(override, { minLength: 1, maxLength: 3 }), (which, texts) => {
        let overrides;
        try {
          overrides = parseOverrides(texts);
        } catch (error) {
          if (error instanceof ExperimentError) return; // not key=value YAML: never validated
          throw error;
        }
        const { value, locator } = PARSED[which];
        const expectedData = { value: structuredClone(value), locator };
        const actualData = { value: structuredClone(value), locator };
        if (applyOverrides(expectedData.value as Record<string, unknown>, overrides).length > 0) return;
        applyOverrides(actualData.value as Record<string, unknown>, overrides);
        const expected = problemsFromSchemaErrors(reference.validate(expectedData.value), reference.ownerOf).map((problem) =>
          locate(problem, expectedData.locator, 'file.yaml', overrides),
        );
        const actual = problemsFromSchemaErrors(validateAgainstSchema(actualData.value)).map((problem) =>
          locate(problem, actualData.locator, 'file.yaml', overrides),
        );
        if (expected.length > 0) rejected++;
        expect(actual).toEqual(expected);
        expect(actualData.value).toEqual(expectedData.value);
      }),
      { numRuns: 400, seed: 15 },
    );
    expect(rejected).toBeGreaterThan(150);
  });

  it('names the place in the schema file of a path through references', () => {
    expect(canonicalPointer('#/properties/dataset/properties/noise/type')).toBe('#/$defs/dataset/properties/noise/type');
    expect(canonicalPointer('#/properties/model/items/then/enum')).toBe('#/$defs/layer/then/enum');
    expect(canonicalPointer('#/properties/model/items/else/properties/weights/items/type')).toBe('#/$defs/matrix/items/type');
    // A keyword written beside a $ref stays where it is written.
    expect(canonicalPointer('#/properties/divergence/default')).toBe('#/properties/divergence/default');
    expect(canonicalPointer('#/properties/loss/enum')).toBe('#/properties/loss/enum');
  });
});
