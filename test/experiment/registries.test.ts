// The schema's enums and the engine's registries must name the same things: a name the schema
// accepts must be one the engine can run, and every registered piece must be reachable from YAML.
import { describe, expect, it } from 'vitest';
import { activations } from '../../src/nn/activations.js';
import { initializers } from '../../src/nn/init.js';
import { losses } from '../../src/nn/losses.js';
import { BUILTIN_DATASETS } from '../../src/data/registry.js';
import { ACTIVATION_NAMES, BUILTIN_DATASET_NAMES, INIT_NAMES, LOSS_NAMES } from '../../src/experiment/index.js';

const sorted = (names: Iterable<string>): string[] => [...names].sort();

describe('schema enums equal the registries', () => {
  it('activations', () => expect(sorted(ACTIVATION_NAMES)).toEqual(sorted(Object.keys(activations))));
  it('initialisers', () => expect(sorted(INIT_NAMES)).toEqual(sorted(Object.keys(initializers))));
  it('losses', () => expect(sorted(LOSS_NAMES)).toEqual(sorted(Object.keys(losses))));
  it('built-in datasets', () => expect(sorted(BUILTIN_DATASET_NAMES)).toEqual(sorted(Object.keys(BUILTIN_DATASETS))));
});
