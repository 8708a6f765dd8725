// Content hashes of resolved runs: the same settings always give the same hash, whatever the
// key order in the file, the experiment's name or its description.
//
// The training-dynamics settings (train.optimizer, weight_decay, l1, schedule, warmup_epochs,
// shuffle, shuffle_seed) are hashed as the engine resolves them: left out or written at their
// defaults they add nothing, so every run hashed before they existed keeps its hash; an optimizer
// or a schedule is hashed with all of its settings, so `adam` and { name: adam, beta1: 0.9 } are
// the same run.

import { createHash } from 'node:crypto';
import { resolveOptimizer } from '../nn/optimizers.js';
import { resolveSchedule } from '../nn/schedules.js';

/** JSON with object keys sorted at every level; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`cannot hash ${String(value)}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/**
 * A run's identity, the one definition used everywhere (runs/, the manifest, queues, verify): hex
 * sha256 of the engine version and the resolved settings without `name` and `description`. A CSV
 * dataset is identified by its content digest in place of its path, so the same data and settings
 * give the same hash in any folder, on any machine, and an edited file gives a new one.
 */
export function runHash(
  experiment: { name?: string; description?: string; dataset?: unknown } & Record<string, unknown>,
  engineVersion: string,
  csvDigest?: string,
): string {
  const { name: _name, description: _description, ...settings } = experiment;
  if (csvDigest !== undefined) settings.dataset = { ...(experiment.dataset as object), csv: `sha256:${csvDigest}` };
  const hashed = { ...settings, train: hashedTraining(settings.train, settings.seed) };
  return createHash('sha256').update(canonicalJson({ engine: engineVersion, experiment: hashed })).digest('hex');
}

/** `train` with the dynamics' defaults left out and the optimizer and schedule resolved. */
function hashedTraining(train: unknown, seed: unknown): unknown {
  if (train === null || typeof train !== 'object' || Array.isArray(train)) return train;
  const out: Record<string, unknown> = { ...train };
  const resolved = <T>(resolve: () => T): T | undefined => {
    try {
      return resolve();
    } catch {
      return undefined; // not a valid setting: hashed as written
    }
  };
  const optimizer = resolved(() => resolveOptimizer(out.optimizer as never));
  if (optimizer !== undefined) out.optimizer = optimizer.name === 'sgd' ? undefined : optimizer;
  const schedule = resolved(() => resolveSchedule(out.schedule as never));
  if (schedule !== undefined) out.schedule = schedule.name === 'constant' ? undefined : schedule;
  for (const key of ['weight_decay', 'l1', 'warmup_epochs'] as const) if (out[key] === 0) out[key] = undefined;
  if (out.shuffle === false) out.shuffle = undefined;
  if (out.shuffle_seed === seed) out.shuffle_seed = undefined;
  return out;
}
