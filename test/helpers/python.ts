// python3 with NumPy, when this machine has it: the tests that read exported files back in NumPy
// run only then, and say so when they are skipped.
import { spawnSync } from 'node:child_process';

const PYTHON = process.env.PYTHON ?? 'python3';

function probe(): boolean {
  const result = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
  return result.status === 0;
}

export const haveNumpy = probe();

export function skipNotice(what: string): void {
  if (!haveNumpy) console.warn(`${what} skipped: ${PYTHON} with numpy is not available (pip install numpy, or set PYTHON)`);
}

/** Runs python with `args`; throws with its stderr when it fails. */
export function python(args: string[], options: { cwd?: string; input?: string } = {}): string {
  const result = spawnSync(PYTHON, args, { encoding: 'utf8', cwd: options.cwd, input: options.input });
  if (result.status !== 0) throw new Error(`${PYTHON} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}
