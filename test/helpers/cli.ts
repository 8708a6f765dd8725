// Runs the built CLI (dist/, built by `npm test`'s pretest step) the way a user does.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/src/cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[], options: { cwd: string; env?: Record<string, string> }): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    // The CLI treats npm's INIT_CWD as the user's folder; a test run under `npm test` must not pass its own on.
    env: { ...process.env, CI: '', INIT_CWD: undefined, npm_package_json: undefined, npm_lifecycle_event: undefined, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolvePromise) =>
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

export function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return startCli(args, options).done;
}

/** A fresh temporary folder holding a copy of experiments/ (so relative CSV paths work). */
export function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gradgrid-test-'));
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
