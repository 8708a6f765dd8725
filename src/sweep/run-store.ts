// Finished runs, keyed by the content hash of the resolved run (which includes the engine
// version): runs/<hash>.json (the record) and runs/<hash>.curve.csv (its curve). The curve file is
// put in place first, so a record on disk always has its curve. A sweep that finds a run here does
// not train it again.
import { readdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic.js';
// Not the run layer's index: that loads the engine, which the sweep's main thread never trains with.
import { CURVE_FILE_SUFFIX } from '../run/curve-file.js';
import type { RunRecord } from '../run/run-record.js';

export class RunStore {
  constructor(readonly dir: string) {}

  pathOf(hash: string): string {
    return join(this.dir, `${hash}.json`);
  }

  curvePathOf(hash: string): string {
    return join(this.dir, `${hash}${CURVE_FILE_SUFFIX}`);
  }

  /**
   * The stored record for `hash`, or null when absent, unreadable, from another engine, or when its
   * curve file is missing or not the size the record says (a damaged run is trained again).
   */
  async read(hash: string, engineVersion: string): Promise<RunRecord | null> {
    let text: string;
    try {
      text = await readFile(this.pathOf(hash), 'utf8');
    } catch {
      return null;
    }
    let record: RunRecord;
    try {
      record = JSON.parse(text) as RunRecord;
    } catch {
      return null; // a damaged file is recomputed, never trusted
    }
    if (record.hash !== hash || record.engineVersion !== engineVersion || record.status === 'failed') return null;
    if (!Number.isSafeInteger(record.points) || !Number.isSafeInteger(record.curveBytes)) return null;
    const curveSize = await stat(this.curvePathOf(hash)).then((info) => info.size, () => -1);
    return curveSize === record.curveBytes ? record : null;
  }

  /**
   * The hashes with a record file here now, from one listing of the folder (none when there is no
   * folder): a run not among them need not be looked for, and a fresh folder's first run starts at
   * once instead of after a file read per run. Synchronous: one call per sweep, before any run.
   */
  storedHashes(): Set<string> {
    try {
      return new Set(readdirSync(this.dir).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length)));
    } catch {
      return new Set();
    }
  }

  /** Stores a record whose curve file is in place already. */
  async write(record: RunRecord): Promise<void> {
    await writeFileAtomic(this.pathOf(record.hash), JSON.stringify(record));
  }

  /**
   * Stores a run that arrived as text (from the queue: the record's JSON and the curve file's
   * text), without encoding either again: the curve file first, then the record, each atomically.
   */
  async writeText(hash: string, recordJson: string, curve: string): Promise<void> {
    await writeFileAtomic(this.curvePathOf(hash), curve);
    await writeFileAtomic(this.pathOf(hash), recordJson);
  }
}
