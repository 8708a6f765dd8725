// The result folder lock: dead and zombie owners are stale, live ones and other hosts are refused.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { processIsAlive, processState } from '../../src/files/processes.js';
import { acquireFolderLock, FolderLockedError } from '../../src/sweep/folder-lock.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gradgrid-lock-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const writeLock = (dir: string, owner: object) => writeFileSync(join(dir, '.gradgrid.lock'), JSON.stringify(owner));

/** A zombie: `sh` starts a short `sleep` in the background, then becomes a long `sleep`, which never collects it. */
async function zombie(): Promise<number> {
  const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  cleanups.push(() => parent.kill('SIGKILL'));
  const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim()))));
  for (let i = 0; i < 500 && processState(pid) !== 'Z'; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return pid;
}

describe('acquireFolderLock', () => {
  it('takes over the lock of a zombie (a killed sweep its parent has not reaped yet)', async () => {
    const pid = await zombie();
    expect(processState(pid)).toBe('Z');
    expect(processIsAlive(pid)).toBe(false);
    const dir = folder();
    writeLock(dir, { pid, host: hostname() });
    const release = acquireFolderLock(dir);
    expect(JSON.parse(readFileSync(join(dir, '.gradgrid.lock'), 'utf8')).pid).toBe(process.pid);
    release();
    expect(existsSync(join(dir, '.gradgrid.lock'))).toBe(false);
  });

  it('refuses the lock of a live process on this host', () => {
    const dir = folder();
    writeLock(dir, { pid: process.ppid, host: hostname() });
    expect(() => acquireFolderLock(dir)).toThrow(new RegExp(`in use by another gradgrid sweep \\(pid ${process.ppid}\\)`));
  });

  it('refuses a lock held on another host, naming the host and how to clear it, and leaves it in place', () => {
    const dir = folder();
    const lock = { pid: 4242, host: 'build-node-7' };
    writeLock(dir, lock);
    let error: unknown;
    try {
      acquireFolderLock(dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FolderLockedError);
    expect((error as Error).message).toMatch(/locked by a gradgrid sweep on host build-node-7 \(pid 4242\)/);
    expect((error as Error).message).toContain(`delete ${join(dir, '.gradgrid.lock')}`);
    expect(JSON.parse(readFileSync(join(dir, '.gradgrid.lock'), 'utf8'))).toEqual(lock);
  });

  it('takes over the lock of a process that is gone', () => {
    const dir = folder();
    writeLock(dir, { pid: 2 ** 22 + 12345, host: hostname() });
    acquireFolderLock(dir)();
  });
});
