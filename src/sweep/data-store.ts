// A result folder keeps a copy of every CSV file its runs trained on, as data/<digest>.csv, so the
// folder is whole by itself: `gradgrid verify` re-trains from these bytes on any machine, and a
// resumed sweep needs nothing but the folder and the experiment.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { contentDigest } from '../data/index.js';
import { writeFileAtomic } from '../files/atomic.js';
import { makeFolders } from '../files/directories.js';

export class DataStore {
  constructor(readonly dir: string) {}

  pathOf(digest: string): string {
    return join(this.dir, `${digest}.csv`);
  }

  /** Stores each content not stored yet. */
  async writeAll(contents: ReadonlyMap<string, Uint8Array>): Promise<void> {
    if (contents.size === 0) return;
    await makeFolders(this.dir);
    for (const [digest, bytes] of contents) {
      const exists = await stat(this.pathOf(digest)).then(() => true, () => false);
      if (!exists) await writeFileAtomic(this.pathOf(digest), bytes);
    }
  }

  /** The stored bytes of `digest`, or null when absent or no longer matching their digest. */
  async read(digest: string): Promise<Uint8Array | null> {
    const bytes = await readFile(this.pathOf(digest)).catch(() => null);
    return bytes && contentDigest(bytes) === digest ? bytes : null;
  }
}
