// Opening a result folder: a whole sweep locks it; a shard of a job array shares it with the other
// shards (no lock), and still clears what dead processes of this host left half-written.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempPathFor } from '../../src/files/atomic.js';
import { FolderLockedError } from '../../src/sweep/folder-lock.js';
import { openResultFolder } from '../../src/sweep/open-folder.js';
import { tempFolder } from '../helpers/temp-folders.js';

const LOCK = '.gradgrid.lock';

describe('openResultFolder', () => {
  it('a sweep is refused a folder another live sweep holds; shards open it side by side and leave the lock alone', async () => {
    const dir = tempFolder();
    const owner = JSON.stringify({ pid: process.ppid, host: hostname() });
    writeFileSync(join(dir, LOCK), owner);
    await expect(openResultFolder(dir)).rejects.toBeInstanceOf(FolderLockedError);
    const [a, b] = await Promise.all([openResultFolder(dir, { shared: true }), openResultFolder(dir, { shared: true })]);
    a.release();
    b.release();
    expect(readFileSync(join(dir, LOCK), 'utf8')).toBe(owner);
    expect(existsSync(join(dir, 'runs'))).toBe(true);
  });

  it('a shard removes the temporary files a dead process of this host left in runs/, and keeps a live one\'s', async () => {
    const dir = tempFolder();
    const runs = join(dir, 'runs');
    mkdirSync(runs);
    // Names as this host's processes make them: one of a live process (this one's parent), one of a dead one.
    const mine = tempPathFor(join(runs, 'a.json'));
    const live = mine.replace(`.tmp-${process.pid}-`, `.tmp-${process.ppid}-`);
    const dead = mine.replace(`.tmp-${process.pid}-`, `.tmp-${2 ** 22 + 12345}-`);
    writeFileSync(live, '');
    writeFileSync(dead, '');
    const folder = await openResultFolder(dir, { shared: true });
    folder.release();
    expect(folder.removed).toEqual([dead]);
    expect(readdirSync(runs)).toEqual([live.slice(runs.length + 1)]);
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });
});
