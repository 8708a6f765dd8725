// Property-based tests: whatever a file holds, loading it (and expanding its grid) either works
// or throws ExperimentError whose issues all point somewhere real - never another exception.
// The seed is fixed so CI is repeatable; FUZZ_SEED=<n> explores other inputs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { ExperimentError, expandGrid, parseExperiment } from '../../src/experiment/index.js';
import { DESIGN_EXAMPLE, FILE, pathsOf } from './helpers.js';

const SEED = Number(process.env.FUZZ_SEED ?? 48);
const RUNS = 400; // per property; five properties

/** Loads and expands; returns how it ended, or throws on anything that is not an ExperimentError. */
function loadOrExplain(source: string | Uint8Array): 'loaded' | 'rejected' {
  try {
    const loaded = parseExperiment(source, FILE);
    expandGrid(loaded, { maxRuns: 500 });
    return 'loaded';
  } catch (error) {
    if (!(error instanceof ExperimentError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    // One expect for all the issues (thousands of inputs each give several): the ones not located.
    const unlocated = error.issues.filter(
      (issue) =>
        !(
          issue.file === FILE &&
          Number.isInteger(issue.line) &&
          issue.line >= 1 &&
          Number.isInteger(issue.column) &&
          issue.column >= 1 &&
          typeof issue.message === 'string' &&
          issue.message.trim().length > 0 &&
          typeof issue.path === 'string'
        ),
    );
    expect(unlocated).toEqual([]);
    return 'rejected';
  }
}

const VALID = parseExperiment(DESIGN_EXAMPLE, FILE).experiment;

type Mutation =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'rename'; at: number; to: string }
  | { kind: 'sweep'; key: string; axis: unknown };

const nastyValue = fc.oneof(
  fc.constantFrom(-5, 0, -1, 1e400, -1e400, Number.NaN, 0.5, 2 ** 53, 4096, 4097, 1e12, 1e13, '', 'sigmod', 'full', 'xavir', null, true, [], {}, [[]], [[1, 2]]),
  fc.integer({ min: -1e6, max: 1e7 }),
  fc.double(),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('sigmoid', 'tanh', 'relu', 'leaky_relu', 'identity', 'he', 'zeros', 'bce', 'bce_keras', 'xor', 'iris'),
  fc.array(fc.oneof(fc.integer(), fc.constantFrom('sigmoid', { linear: 3 }, { linear: 0 })), { maxLength: 5 }),
  fc.record({ linear: fc.integer({ min: -2, max: 5000 }), init: fc.constantFrom('he', 'xavier', 'bad') }, { requiredKeys: [] }),
);

const sweepKey = fc.oneof(
  fc.constantFrom('train.learning_rate', 'seed', 'model.0.init', 'model.1', 'model.7.init', 'dataset.shuffle', 'train.learning_rte', 'loss', 'name', 'model', 'train.epochs', 'divergence.max_cost', 'model.0.weights'),
  fc.string({ maxLength: 20 }),
);
const sweepAxis = fc.oneof(
  fc.array(nastyValue, { maxLength: 6 }),
  fc.record({ logspace: fc.array(fc.oneof(fc.double(), fc.integer({ min: -3, max: 40 })), { maxLength: 4 }) }),
  fc.record({ linspace: fc.array(fc.oneof(fc.double(), fc.integer({ min: -3, max: 40 })), { maxLength: 4 }) }),
  fc.record({ named: fc.dictionary(fc.string({ maxLength: 8 }), nastyValue, { maxKeys: 3 }) }),
  nastyValue,
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: nastyValue }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), to: fc.oneof(fc.string({ maxLength: 15 }), fc.constantFrom('learning_rte', 'epoch', '__proto__', 'lossx', 'sweep')) }),
  fc.record({ kind: fc.constant('sweep' as const), key: sweepKey, axis: sweepAxis }),
);

function applyMutations(mutations: Mutation[]): unknown {
  let doc: unknown = structuredClone(VALID);
  for (const m of mutations) {
    if (m.kind === 'sweep') {
      const root = doc as Record<string, unknown>;
      if (root === null || typeof root !== 'object' || Array.isArray(root)) continue;
      const sweep = (root.sweep !== null && typeof root.sweep === 'object' && !Array.isArray(root.sweep) ? root.sweep : (root.sweep = {})) as Record<string, unknown>;
      sweep[m.key] = m.axis;
      continue;
    }
    const paths = pathsOf(doc);
    const path = paths[m.at % paths.length];
    if (path.length === 0) {
      if (m.kind === 'set') doc = m.value;
      continue;
    }
    const parent = path.slice(0, -1).reduce((node: any, key) => node[key], doc) as any;
    const last = path[path.length - 1];
    if (m.kind === 'set') parent[last] = m.value;
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (!Array.isArray(parent)) {
      const value = parent[last];
      delete parent[last];
      Object.defineProperty(parent, m.to, { value, enumerable: true, configurable: true, writable: true });
    }
  }
  return doc;
}

describe('fuzz: loading never throws anything but located ExperimentErrors', () => {
  it('mutated valid experiments (wrong types, bad ranges, .nan, .inf, deletions, renames, sweeps)', () => {
    const outcomes = { loaded: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        const source = stringify(applyMutations(mutations));
        outcomes[loadOrExplain(source)] += 1;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Both outcomes must be exercised, or the generator is not testing what it claims.
    expect(outcomes.loaded).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });

  it('the targeted mutations the brief names are rejected with a location', () => {
    const cases: [string, (doc: any) => void][] = [
      ['negative epochs', (d) => (d.train.epochs = -5)],
      ['zero learning rate', (d) => (d.train.learning_rate = 0)],
      ['negative learning rate', (d) => (d.train.learning_rate = -0.1)],
      ['.nan learning rate', (d) => (d.train.learning_rate = Number.NaN)],
      ['.inf epochs', (d) => (d.train.epochs = Infinity)],
      ['enormous layer', (d) => (d.model[0].linear = 1e9)],
      ['empty model', (d) => (d.model = [])],
      ['missing loss', (d) => delete d.loss],
      ['model as a string', (d) => (d.model = 'sigmoid')],
      ['train as a list', (d) => (d.train = [1, 2])],
    ];
    for (const [label, mutate] of cases) {
      const doc = structuredClone(VALID) as any;
      mutate(doc);
      expect(loadOrExplain(stringify(doc)), label).toBe('rejected');
    }
  });

  it('random YAML-ish text', () => {
    const alphabet = [...'abcdelmnrsx_019.-:,[]{}#&*!|>\'"? \n\n  \t%@`~\\', 'name', 'model', 'train', 'sweep', 'loss', ': ', '- ', '.nan', '.inf', '<<'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 120 }), (parts) => {
        loadOrExplain(parts.join(''));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('random structured documents', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 5 }), fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }))), (value) => {
        loadOrExplain(stringify(value));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('byte-level damage to a valid file (including invalid UTF-8)', () => {
    const original = new TextEncoder().encode(DESIGN_EXAMPLE);
    const edit = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), kind: fc.constantFrom('replace', 'insert', 'delete') });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        const bytes = [...original];
        for (const e of edits) {
          const at = e.at % (bytes.length + 1);
          if (e.kind === 'insert') bytes.splice(at, 0, e.byte);
          else if (e.kind === 'replace' && at < bytes.length) bytes[at] = e.byte;
          else if (at < bytes.length) bytes.splice(at, 1);
        }
        loadOrExplain(new Uint8Array(bytes));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
