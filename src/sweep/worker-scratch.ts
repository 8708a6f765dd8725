// A queue worker's scratch folder for the curves of the runs in hand, named by its process id so
// that the next worker on this machine removes what a killed one (SIGKILL, power loss) left.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processIsAlive } from '../files/processes.js';

const PREFIX = 'gradgrid-worker-';

/** Makes this process's scratch folder, after removing those of workers that no longer run. */
export async function makeWorkerScratch(parent = tmpdir()): Promise<string> {
  await removeDeadScratch(parent);
  return mkdtemp(join(parent, `${PREFIX}${process.pid}-`));
}

/** Removes the scratch folders under `parent` whose process has ended; returns their names. */
export async function removeDeadScratch(parent = tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const dead = names.filter((name) => {
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    return match !== null && Number(match[1]) !== process.pid && !processIsAlive(Number(match[1]));
  });
  await Promise.all(dead.map((name) => rm(join(parent, name), { recursive: true, force: true })));
  return dead;
}
