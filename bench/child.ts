// Running the real command line (and the peers) as child processes, timed from the outside.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CLI_PATH, REPO_ROOT } from './paths.js';
import { firstLine } from './outcome.js';

export interface ChildRun {
  /** Exit code, or null when the process could not start or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, process start included. */
  wallMs: number;
  /** Why it did not start or did not finish (ENOENT, timeout...), if so. */
  error: string | null;
}

export function runChild(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): ChildRun {
  const start = performance.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 10 * 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return {
    code: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    wallMs: performance.now() - start,
    error: result.error ? result.error.message : null,
  };
}

/** One line saying why a child run did not succeed. */
export function describeFailure(run: ChildRun): string {
  if (run.error) return run.error;
  const lastErr = run.stderr.trim().split('\n').slice(-1)[0] ?? '';
  return `exit ${run.code}${lastErr ? `: ${firstLine(lastErr)}` : ''}`;
}

/** A note when the CLI has not been built, else null. */
export function cliMissing(): string | null {
  return existsSync(CLI_PATH) ? null : `the CLI is not built (${CLI_PATH} missing); run npm run build`;
}

/** Runs `gradgrid sweep <file> --out <out> [extra...]` through node, timed. */
export function runSweep(file: string, out: string, extra: readonly string[] = []): ChildRun {
  return runChild(process.execPath, [CLI_PATH, 'sweep', file, '--out', out, ...extra]);
}

/** Writes an experiment file into dir and returns its path. */
export function writeExperiment(dir: string, name: string, yamlText: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yamlText);
  return file;
}
