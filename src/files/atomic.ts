// Every output file appears whole or not at all: write to a temporary sibling, then rename.
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';

let counter = 0;
// Unique across machines too: shards of a job array may write into one folder on a shared filesystem.
const instance = randomBytes(4).toString('hex');
const tempPathFor = (path: string) => `${path}.tmp-${process.pid}-${instance}-${++counter}`;

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

  /** Resolves at 'drain' (or 'close', after an error), leaving no listener behind: a long stream waits thousands of times. */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
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
