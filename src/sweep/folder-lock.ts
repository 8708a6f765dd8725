// One sweep at a time per result folder: a lock file holding the owner's pid and host. A lock whose
// process is gone (a crash, SIGKILL, a zombie not yet reaped) is stale and taken over. A lock from
// another host is never taken over: on a shared file system its process cannot be seen from here.
import { openSync, writeSync, closeSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { processIsAlive } from '../files/processes.js';

export class FolderLockedError extends Error {}

const LOCK_NAME = '.gradgrid.lock';

export function acquireFolderLock(dir: string): () => void {
  const path = join(dir, LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      const content = JSON.stringify({ pid: process.pid, host: hostname() });
      writeSync(fd, content);
      closeSync(fd);
      // Release only a lock that is still ours.
      return () => {
        try {
          if (readFileSync(path, 'utf8') === content) rmSync(path, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: { pid?: number; host?: string } = {};
      let staleText = '';
      try {
        staleText = readFileSync(path, 'utf8');
        owner = JSON.parse(staleText);
      } catch {
        // unreadable lock: treat as stale
      }
      if (typeof owner.host === 'string' && owner.host !== hostname()) {
        throw new FolderLockedError(
          `${dir} is locked by a gradgrid sweep on host ${owner.host}${owner.pid ? ` (pid ${owner.pid})` : ''}. ` +
            `Wait for it to finish, or choose another folder with --out. If no sweep runs there any more, ` +
            `delete ${path} and run again.`,
        );
      }
      if (owner.pid && owner.pid !== process.pid && processIsAlive(owner.pid)) {
        throw new FolderLockedError(
          `${dir} is in use by another gradgrid sweep (pid ${owner.pid}). ` +
            'Wait for it to finish, stop it, or choose another folder with --out.',
        );
      }
      // Stale: move it aside under a name of our own, so that two sweeps finding the same stale
      // lock cannot both take it (only one rename succeeds; the other retries and sees the new lock).
      const aside = `${path}.stale-${process.pid}`;
      try {
        renameSync(path, aside);
        // If another sweep replaced the stale lock in between, we moved its fresh one: put it back.
        if (readFileSync(aside, 'utf8') !== staleText) renameSync(aside, path);
        else rmSync(aside, { force: true });
      } catch {
        // another sweep moved it first
      }
    }
  }
  throw new FolderLockedError(`could not lock ${dir}`);
}
