// Runs the built CLI (dist/, built by `npm test`'s pretest step) the way a user does.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { tempFolder } from './temp-folders.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/cli/cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** What the CLI has printed so far. */
  output(): { stdout: string; stderr: string };
}

/** CLI processes not yet known to have ended, in the order they started. */
const running: { child: ChildProcess; done: Promise<CliResult> }[] = [];

/** `options.node`: another Node binary to run the CLI with (this test's by default). */
export function startCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; node?: string }): RunningCli {
  const child = spawn(options.node ?? process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    // The CLI treats npm's INIT_CWD as the user's folder; a test run under `npm test` must not pass its own on.
    env: {
      ...process.env,
      CI: '',
      INIT_CWD: undefined,
      npm_package_json: undefined,
      npm_lifecycle_event: undefined,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolvePromise) =>
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr })),
  );
  running.push({ child, done });
  return { child, done, output: () => ({ stdout, stderr }) };
}

export function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; node?: string }): Promise<CliResult> {
  return startCli(args, options).done;
}

/** How many CLI processes were started so far (see stopProcesses). */
export function processMark(): number {
  return running.length;
}

/** Kills the CLI processes started since `mark` that are still running, and waits until they are gone. */
export async function stopProcesses(mark = 0): Promise<void> {
  const stopping = running.splice(mark);
  for (const { child } of stopping) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(stopping.map(({ done }) => done));
}

/**
 * Resolves once `condition` holds, checking every 20 ms; fails at once if the CLI ends first.
 * No time limit of its own: the test's timeout bounds the wait.
 */
export async function waitUntil(cli: RunningCli, what: string, condition: () => boolean): Promise<void> {
  let ended = false;
  void cli.done.then(() => (ended = true));
  while (!condition()) {
    if (ended) throw new Error(`the CLI ended before ${what}:\n${cli.output().stderr}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 20));
  }
}

/** A fresh temporary folder holding a copy of experiments/ (so relative CSV paths work). */
export function workspace(): string {
  const dir = tempFolder();
  cpSync(join(ROOT, 'experiments'), join(dir, 'experiments'), { recursive: true });
  return dir;
}

export function readCsv(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];
}

/** Golden curve: epoch -> cost. */
export function readGolden(name: string): number[] {
  const rows = readCsv(join(ROOT, 'test/fixtures', name));
  return rows.map((row) => Number(row.cost));
}

export function expectClose(actual: number[], expected: number[], relative = 1e-9): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  for (let k = 0; k < expected.length; k++) {
    const scale = Math.max(Math.abs(expected[k]), Number.MIN_VALUE);
    if (!(Math.abs(actual[k] - expected[k]) <= relative * scale)) {
      throw new Error(`epoch ${k}: ${actual[k]} vs golden ${expected[k]} (relative error ${Math.abs(actual[k] - expected[k]) / scale})`);
    }
  }
}
