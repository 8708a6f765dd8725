// Where things are, from the compiled bench (dist/bench/*.js) or the sources (bench/*.ts) alike.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file that holds package.json. */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const CLI_PATH = resolve(REPO_ROOT, 'dist/cli/cli.js');
export const PEERS_DIR = resolve(REPO_ROOT, 'bench/peers');
export const RESULTS_PATH = resolve(REPO_ROOT, 'bench/results.json');
