// Finished runs, one JSON file each, keyed by the content hash of the resolved run (which
// includes the engine version). A sweep that finds a run here does not train it again.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic.js';
import type { RunRecord } from '../run/index.js';

export class RunStore {
  constructor(readonly dir: string) {}

  pathOf(hash: string): string {
    return join(this.dir, `${hash}.json`);
  }

  /** The stored record for `hash`, or null when absent, unreadable or from another engine. */
  async read(hash: string, engineVersion: string): Promise<RunRecord | null> {
    let text: string;
    try {
      text = await readFile(this.pathOf(hash), 'utf8');
    } catch {
      return null;
    }
    try {
      const record = JSON.parse(text) as RunRecord;
      if (record.hash !== hash || record.engineVersion !== engineVersion || record.status === 'failed') return null;
      return record;
    } catch {
      return null; // a damaged file is recomputed, never trusted
    }
  }

  /** The stored curve of `hash` (for curves.csv), or null. */
  async readCurve(hash: string, engineVersion: string): Promise<RunRecord['curve'] | null> {
    return (await this.read(hash, engineVersion))?.curve ?? null;
  }

  async write(record: RunRecord): Promise<void> {
    await this.writeJson(record.hash, JSON.stringify(record));
  }

  /** Stores a record that arrived as JSON text already (from the queue), without encoding it again. */
  async writeJson(hash: string, json: string): Promise<void> {
    await writeFileAtomic(this.pathOf(hash), json);
  }
}
