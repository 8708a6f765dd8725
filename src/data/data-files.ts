// The CSV files of a sweep, each read once: its bytes and their content digest. A run's identity
// holds the digest (never the path), and the workers train on exactly these bytes, so a file
// edited during a sweep cannot train data that does not match the hash.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DatasetError } from './errors.js';

export interface DataFile {
  bytes: Uint8Array;
  /** Hex sha256 of the bytes. */
  digest: string;
}

/** The dataset's content digest: hex sha256 of the file's bytes. */
export function contentDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads a CSV file, turning the usual failures into a DatasetError that names the file. */
export function readDataFile(file: string): DataFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? 'the CSV file does not exist'
      : code === 'EISDIR' ? 'the CSV path is a folder, not a file'
      : `cannot read the CSV file (${(error as Error).message})`;
    throw new DatasetError(problem, { file, setting: ['csv'] });
  }
  return { bytes, digest: contentDigest(bytes) };
}

/** Files by absolute path, each read at most once; their bytes by digest for the workers. */
export class DataFiles {
  private readonly byPath = new Map<string, DataFile>();
  private readonly contents = new Map<string, Uint8Array>();

  read(absolutePath: string): DataFile {
    let file = this.byPath.get(absolutePath);
    if (!file) {
      file = readDataFile(absolutePath);
      this.byPath.set(absolutePath, file);
      this.contents.set(file.digest, file.bytes);
    }
    return file;
  }

  /** Adds bytes known by their digest (from a result folder or a queue). */
  add(bytes: Uint8Array): string {
    const digest = contentDigest(bytes);
    this.contents.set(digest, bytes);
    return digest;
  }

  bytes(digest: string): Uint8Array | undefined {
    return this.contents.get(digest);
  }

  /** Every distinct content, by digest. */
  all(): ReadonlyMap<string, Uint8Array> {
    return this.contents;
  }
}
