// Temporary folders for tests. Every folder made here is removed again by the hooks in
// test/helpers/cleanup.ts (a vitest setup file): folders made during a test when that test ends,
// folders made in beforeAll when the file ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A fresh empty folder under the system's temporary folder, removed after the test (or file). */
export function tempFolder(prefix = 'gradgrid-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** How many folders exist so far: a test's own folders are the ones made after this mark. */
export function folderMark(): number {
  return made.length;
}

/** Removes the folders made since `mark` (all of them by default). */
export function removeFolders(mark = 0): void {
  for (const dir of made.splice(mark)) rmSync(dir, { recursive: true, force: true });
}
