// The built CLI's validate, verify, export and worker commands (dist/src/commands/*.js, the code
// `gradgrid <command>` runs after parsing its arguments), and its sweep command by way of
// in-process.ts, inside the test process, for tests whose subject is what a command computes,
// writes or says rather than the command line: no Node start-up and no module loading per call.
// What the command prints is captured and returned with its exit code. Paths are made absolute
// here: a worker thread (vitest's) cannot change folder, so messages name the absolute path where
// the CLI would name the path as typed.
import { resolve } from 'node:path';
import { distModule, sweepInProcess, type InProcessSweep } from './in-process.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}


/** One capture at a time: two commands awaited together would otherwise print into each other's output. */
let queue: Promise<unknown> = Promise.resolve();

/** Runs `command` (a command function returning its exit code) with process.stdout and process.stderr written into strings. */
export function captured(command: () => number | Promise<number>): Promise<CommandResult> {
  const next = queue.then(async () => {
    const output = { stdout: '', stderr: '' };
    const originals = { stdout: process.stdout.write, stderr: process.stderr.write };
    const into = (stream: 'stdout' | 'stderr') =>
      ((chunk: string | Uint8Array) => {
        output[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        return true;
      }) as typeof process.stdout.write;
    process.stdout.write = into('stdout');
    process.stderr.write = into('stderr');
    try {
      const code = await command();
      return { code, ...output };
    } finally {
      process.stdout.write = originals.stdout;
      process.stderr.write = originals.stderr;
    }
  });
  queue = next.catch(() => undefined);
  return next;
}

/** `gradgrid validate <file> [--set ...]` run in `dir`. */
export async function validateInProcess(dir: string, file: string, set: string[] = []): Promise<CommandResult> {
  const { validateCommand } = await distModule('commands/validate.js');
  return captured(() => validateCommand(resolve(dir, file), set));
}

/** `gradgrid verify <folder> --workers <workers>` run in `dir` (default one worker: vitest's workers share the cores). */
export async function verifyInProcess(dir: string, folder: string, workers = 1): Promise<CommandResult> {
  const { verifyCommand } = await distModule('commands/verify.js');
  return captured(() => verifyCommand(resolve(dir, folder), { workers }));
}

/** `gradgrid worker --queue <url> --concurrency 1`, for the cases where it returns at once (a bad or unreachable queue). */
export async function workerInProcess(url: string): Promise<CommandResult> {
  const { workerCommand } = await distModule('commands/worker.js');
  return captured(() => workerCommand({ queue: url, concurrency: 1 }));
}

export interface ExportArguments {
  run?: number[];
  format?: 'npz' | 'json';
  /** Relative to `dir`. */
  out?: string;
  data?: boolean;
}

/** `gradgrid export <folder> [--run N ...] [--format F] [--out FILE] [--data]` run in `dir`. */
export async function exportInProcess(dir: string, folder: string, options: ExportArguments = {}): Promise<CommandResult> {
  const { exportCommand } = await distModule('commands/export.js');
  const out = options.out === undefined ? undefined : resolve(dir, options.out);
  return captured(() => exportCommand(resolve(dir, folder), { ...options, out }));
}

/** sweepInProcess (see in-process.ts) with what the sweep command prints captured: its refusals, say. */
export function sweepCaptured(dir: string, file: string, options: InProcessSweep): Promise<CommandResult> {
  return captured(() => sweepInProcess(dir, file, options));
}
