// Reading a text file of any size a piece at a time, as whole lines: memory stays at one read
// buffer however long the file is.
import { createReadStream } from 'node:fs';

/** Bytes read at a time. */
const READ_SIZE = 1 << 16;

/**
 * The lines of `path` (without their '\n'), a batch per read: every line of a batch is complete.
 * A last line without '\n' comes too; an empty file gives nothing.
 */
export async function* lineBatches(path: string): AsyncGenerator<string[]> {
  let carry = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: READ_SIZE })) {
    const text = carry + (chunk as string);
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      carry = text;
      continue;
    }
    carry = text.slice(end + 1);
    yield text.slice(0, end).split('\n');
  }
  if (carry !== '') yield [carry];
}

/** Items out of batches one at a time, for walking two files side by side. */
export class Cursor<T> {
  private batch: T[] = [];
  private at = 0;

  constructor(private readonly batches: AsyncGenerator<T[]>) {}

  /** The next item, or undefined at the end. */
  async next(): Promise<T | undefined> {
    while (this.at >= this.batch.length) {
      const step = await this.batches.next();
      if (step.done) return undefined;
      this.batch = step.value;
      this.at = 0;
    }
    return this.batch[this.at++];
  }

  /** Stops reading early (closes the file). */
  async close(): Promise<void> {
    await this.batches.return(undefined);
  }
}
