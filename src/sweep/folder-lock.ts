// One sweep at a time per result folder: a lock file holding the owner's pid. A lock whose
// process is gone (a crash, SIGKILL) is stale and taken over.
import { openSync, writeSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';

export class FolderLockedError extends Error {}

const LOCK_NAME = '.gradgrid.lock';

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireFolderLock(dir: string): () => void {
  const path = join(dir, LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname() }));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: { pid?: number; host?: string } = {};
      try {
        owner = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        // unreadable lock: treat as stale
      }
      const sameHost = owner.host === undefined || owner.host === hostname();
      if (owner.pid && sameHost && owner.pid !== process.pid && processIsAlive(owner.pid)) {
        throw new FolderLockedError(
          `${dir} is in use by another gradgrid sweep (pid ${owner.pid}). ` +
            'Wait for it to finish, stop it, or choose another folder with --out.',
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new FolderLockedError(`could not lock ${dir}`);
}
