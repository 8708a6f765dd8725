// Every output file appears whole or not at all: write to a temporary sibling, then rename.
import { createWriteStream, type WriteStream } from 'node:fs';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { processIsAlive } from './processes.js';

let counter = 0;
/**
 * A temporary sibling of `path`: <path>.tmp-<pid>-<host>-<thread>-<n>. The process id and a tag of
 * the host let a later sweep tell a dead process's leftovers (removeStaleTempFiles) from a live
 * one's files, and keep shards on several machines writing into one shared folder apart.
 */
const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
export const tempPathFor = (path: string) => `${path}.tmp-${process.pid}-${HOST_TAG}-${threadId}-${++counter}`;

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** A text stream to a temporary file that becomes `path` only on commit(). */
export class AtomicTextStream {
  private readonly temp: string;
  private readonly stream: WriteStream;
  /** An open or write failure (a full disk, no permission), raised at the next write or commit. */
  private failure: Error | null = null;

  constructor(private readonly path: string) {
    this.temp = tempPathFor(path);
    this.stream = createWriteStream(this.temp, { encoding: 'utf8' });
    this.stream.on('error', (error) => (this.failure ??= error));
  }

  /** Writes a chunk, waiting for the stream to drain when its buffer is full. */
  async write(chunk: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(chunk)) await this.drained();
    if (this.failure) throw this.failure;
  }

  /**
   * Resolves at 'drain', or at 'close' or 'error' (a failed stream never drains). Whichever comes
   * first removes all three listeners: a long file waits here thousands of times.
   */
  private drained(): Promise<void> {
    const stream = this.stream;
    return new Promise((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
      stream.on('error', done);
    });
  }

  async commit(): Promise<void> {
    await this.close();
    if (this.failure) throw this.failure;
    await rename(this.temp, this.path);
  }

  async abort(): Promise<void> {
    await this.close().catch(() => undefined);
    await rm(this.temp, { force: true });
  }

  private async close(): Promise<void> {
    if (this.stream.closed) return;
    const closed = once(this.stream, 'close').catch(() => undefined);
    this.stream.end();
    await closed;
  }
}

const TEMP_NAME = /\.tmp-(\d+)-([0-9a-f]{8})-/;

/**
 * Removes the temporary files in `dir` that a process no longer running left behind (a crash, a
 * SIGKILL, out of memory) on this host; files of live processes, and of other hosts, stay.
 * Returns the names removed.
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const owner = TEMP_NAME.exec(name);
    if (!owner || owner[2] !== HOST_TAG) continue;
    const pid = Number(owner[1]);
    if (pid !== process.pid && processIsAlive(pid)) continue;
    await rm(join(dir, name), { force: true, recursive: true });
    removed.push(name);
  }
  return removed;
}
