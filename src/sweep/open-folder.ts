// Before any run starts, the result folder must be usable: it can be created, the names the sweep
// writes are free for files, the folder is writable, and no other sweep holds it. Anything else is
// the user's to fix, reported with its reason (exit 2), never found out after the training. What an
// earlier sweep that died left half-written is cleared away here.
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { removeStaleTempFiles } from '../files/atomic.js';
import { FolderError, makeFolders, reasonOf } from '../files/directories.js';
import { acquireFolderLock, FolderLockedError } from './folder-lock.js';

export class UnusableFolderError extends Error {}

/** What a sweep writes into its folder: files, and folders. */
const OUTPUT_FILES = ['summary.csv', 'curves.csv', 'manifest.json', 'report.html'];
const OUTPUT_FOLDERS = ['runs', 'data'];

export interface OpenFolder {
  release: () => void;
  /** Temporary files a sweep that died (SIGKILL, out of memory) had left, now removed (paths). */
  removed: string[];
}

/**
 * Makes `dir` ready for a sweep and locks it; then, holding the lock, removes the temporary files
 * that dead processes left in it. A shard of a job array (`shared`) does not lock: several shards
 * write their own runs into one folder at once (dead processes' files are still this host's only).
 */
export async function openResultFolder(dir: string, { shared = false }: { shared?: boolean } = {}): Promise<OpenFolder> {
  if (dir.trim() === '') throw new UnusableFolderError('the output folder name is empty (--out)');
  for (const name of [...OUTPUT_FILES, ...OUTPUT_FOLDERS]) {
    const info = statOrNull(join(dir, name));
    const wantFolder = OUTPUT_FOLDERS.includes(name);
    if (info && info.isDirectory() !== wantFolder) {
      throw new UnusableFolderError(
        `cannot use ${dir} as the output folder: ${join(dir, name)} is a ${wantFolder ? 'file' : 'folder'}, ` +
          `and the sweep writes a ${wantFolder ? 'folder' : 'file'} of that name there`,
      );
    }
  }
  try {
    await makeFolders(join(dir, 'runs'));
  } catch (error) {
    if (error instanceof FolderError) throw new UnusableFolderError(`cannot use ${dir} as the output folder: ${error.message}`);
    throw error;
  }
  let release: () => void = () => undefined;
  try {
    if (!shared) release = acquireFolderLock(dir);
  } catch (error) {
    if (error instanceof FolderLockedError) throw error;
    throw new UnusableFolderError(`cannot write to ${dir}: ${reasonOf(error as NodeJS.ErrnoException)}`);
  }
  try {
    probeWritable(join(dir, 'runs'));
  } catch (error) {
    release();
    throw new UnusableFolderError(`cannot write to ${join(dir, 'runs')}: ${reasonOf(error as NodeJS.ErrnoException)}`);
  }
  const removed: string[] = [];
  for (const folder of [dir, ...OUTPUT_FOLDERS.map((name) => join(dir, name))]) {
    removed.push(...(await removeStaleTempFiles(folder)).map((name) => join(folder, name)));
  }
  return { release, removed };
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Creates and removes a file in `dir`: the runs are stored there as they finish. */
function probeWritable(dir: string): void {
  const probe = join(dir, `.gradgrid-probe-${process.pid}`);
  closeSync(openSync(probe, 'w'));
  rmSync(probe, { force: true });
}
