// The schema's enums and the engine's registries must name the same things: a name the schema
// accepts must be one the engine can run, and every registered piece must be reachable from YAML.
import { describe, expect, it } from 'vitest';
import { activations } from '../../src/nn/activations.js';
import { initializers } from '../../src/nn/init.js';
import { losses } from '../../src/nn/losses.js';
import { OPTIMIZER_FIELD_RANGES, optimizerFields, optimizers } from '../../src/nn/optimizers.js';
import { SCHEDULE_FIELD_RANGES, scheduleFields, schedules } from '../../src/nn/schedules.js';
import { SOFTMAX } from '../../src/nn/softmax.js';
import { BUILTIN_DATASETS } from '../../src/data/registry.js';
import {
  ACTIVATION_NAMES,
  BUILTIN_DATASET_NAMES,
  experimentSchema,
  INIT_NAMES,
  LOSS_NAMES,
  OPTIMIZER_NAMES,
  SCHEDULE_NAMES,
} from '../../src/experiment/index.js';

const sorted = (names: Iterable<string>): string[] => [...names].sort();

type Node = { properties: Record<string, { type?: string; minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number }> };
const defs = (experimentSchema as { $defs: Record<string, { else: Node }> }).$defs;

/** Whether `value` lies in the range the schema states for a property. */
function schemaAccepts(property: Node['properties'][string], value: number): boolean {
  const { minimum = -Infinity, maximum = Infinity, exclusiveMinimum = -Infinity, exclusiveMaximum = Infinity } = property;
  if (property.type === 'integer' && !Number.isInteger(value)) return false;
  return value >= minimum && value <= maximum && value > exclusiveMinimum && value < exclusiveMaximum;
}

describe('schema enums equal the registries', () => {
  it('graph nodes: the activations and softmax', () => expect(sorted(ACTIVATION_NAMES)).toEqual(sorted([...Object.keys(activations), SOFTMAX])));
  it('initialisers', () => expect(sorted(INIT_NAMES)).toEqual(sorted(Object.keys(initializers))));
  it('losses', () => expect(sorted(LOSS_NAMES)).toEqual(sorted(Object.keys(losses))));
  it('built-in datasets', () => expect(sorted(BUILTIN_DATASET_NAMES)).toEqual(sorted(Object.keys(BUILTIN_DATASETS))));
  it('optimizers', () => expect(sorted(OPTIMIZER_NAMES)).toEqual(sorted(Object.keys(optimizers))));
  it('schedules', () => expect(sorted(SCHEDULE_NAMES)).toEqual(sorted(Object.keys(schedules))));

  it('the settings of optimizers and schedules, with the same ranges', () => {
    const cases = [
      { node: defs.optimizer.else, fields: optimizerFields, ranges: OPTIMIZER_FIELD_RANGES as Record<string, { ok: (v: number) => boolean }> },
      { node: defs.schedule.else, fields: scheduleFields, ranges: SCHEDULE_FIELD_RANGES as Record<string, { ok: (v: number) => boolean }> },
    ];
    const probes = [-1, -1e-12, 0, 1e-12, 0.5, 0.999, 1, 1.5, 2, 1e6, 1e7, 2e12];
    for (const { node, fields, ranges } of cases) {
      expect(sorted(Object.keys(node.properties))).toEqual(sorted(['name', ...fields]));
      for (const field of fields) {
        for (const value of probes) {
          // The schema may cap what the engine accepts; never the other way round.
          if (schemaAccepts(node.properties[field], value)) expect(ranges[field].ok(value), `${field} = ${value}`).toBe(true);
        }
      }
    }
  });
});
