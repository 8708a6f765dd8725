// A queue worker's scratch folder: what a killed worker left is removed by the next one on the
// machine; a running worker's folder is kept.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkerScratch } from '../../src/sweep/worker-scratch.js';
import { tempFolder } from '../helpers/temp-folders.js';

describe('queue worker scratch folders', () => {
  it("remove a dead worker's folder, keep a running one's and anything else", async () => {
    const parent = tempFolder();
    const dead = 2 ** 22 + 4321; // above Linux's largest pid
    const names = [`gradgrid-worker-${dead}-abc`, `gradgrid-worker-${process.ppid}-def`, 'gradgrid-worker-notapid', 'other'];
    for (const name of names) {
      mkdirSync(join(parent, name));
      writeFileSync(join(parent, name, 'run.curve.csv'), 'epoch,cost\n');
    }
    const mine = await makeWorkerScratch(parent);
    expect(mine.startsWith(join(parent, `gradgrid-worker-${process.pid}-`))).toBe(true);
    expect(existsSync(join(parent, names[0]))).toBe(false);
    expect(readdirSync(parent).sort()).toEqual([...names.slice(1), mine.slice(parent.length + 1)].sort());
  });
});
