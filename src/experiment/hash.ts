// Content hashes of resolved runs: the same settings always give the same hash, whatever the
// key order in the file, the experiment's name or its description.

import { createHash } from 'node:crypto';

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
  return createHash('sha256').update(canonicalJson({ engine: engineVersion, experiment: settings })).digest('hex');
}
