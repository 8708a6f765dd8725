// 5. memory: peak resident set size of a 1 000-run XOR sweep that records every epoch, measured
// from outside the CLI: GNU time's "Maximum resident set size" when /usr/bin/time is there,
// otherwise the kernel's high-water mark (VmHWM in /proc/<pid>/status) sampled until exit.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cliMissing, describeFailure, runChild, writeExperiment } from './child.js';
import { xorSeedSweepYaml } from './experiment-files.js';
import type { Outcome } from './outcome.js';
import { CLI_PATH } from './paths.js';

export const MEMORY_RUNS = 1000;
export const MEMORY_EPOCHS = 2000;
const GNU_TIME = '/usr/bin/time';

export interface MemoryResult {
  runs: number;
  epochs: number;
  /** Workers the CLI chose by default (it is given no --workers). */
  cores: number;
  method: 'gnu-time' | 'proc-vmhwm-sampled';
  /** The sweep as a user runs it, report.html included: the number the target is about. */
  peakRssMB: number;
  wallMs: number;
  curvesCsvMB: number | null;
  /** The same sweep with --no-report, to tell the report's share apart. */
  noReport: { peakRssMB: number; wallMs: number } | { note: string };
}

function gnuTimeWorks(): boolean {
  if (!existsSync(GNU_TIME)) return false;
  const probe = runChild(GNU_TIME, ['-v', process.execPath, '-e', '0'], { timeoutMs: 10_000 });
  return probe.code === 0 && /Maximum resident set size/.test(probe.stderr);
}

/** Peak RSS in kB of a child, via GNU time. */
function peakViaGnuTime(args: string[]): { kB: number; wallMs: number } | string {
  const run = runChild(GNU_TIME, ['-v', process.execPath, ...args]);
  if (run.code !== 0) return describeFailure(run);
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
  return match ? { kB: Number(match[1]), wallMs: run.wallMs } : 'GNU time printed no maximum resident set size';
}

/** Peak RSS in kB of a child, from /proc/<pid>/status sampled every 10 ms (Linux only). */
function peakViaProc(args: string[]): Promise<{ kB: number; wallMs: number } | string> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peak = 0;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const sample = () => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peak = Math.max(peak, Number(match[1]));
      } catch {
        // the process has just exited
      }
    };
    const timer = setInterval(sample, 10);
    child.on('error', (error) => {
      clearInterval(timer);
      resolve(error.message);
    });
    child.on('exit', (code) => {
      clearInterval(timer);
      const wallMs = performance.now() - start;
      if (code !== 0) resolve(`exit ${code}: ${stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
      else resolve(peak > 0 ? { kB: peak, wallMs } : 'no /proc/<pid>/status to sample');
    });
  });
}

export async function measureMemory(tmp: string): Promise<Outcome<MemoryResult>> {
  const missing = cliMissing();
  if (missing) return { ok: false, note: missing };
  const seeds = Array.from({ length: MEMORY_RUNS }, (_, i) => i + 1);
  const file = writeExperiment(tmp, 'bench-memory', xorSeedSweepYaml(MEMORY_EPOCHS, seeds));
  const method = gnuTimeWorks() ? 'gnu-time' : 'proc-vmhwm-sampled';
  const measure = (out: string, extra: string[]) => {
    const args = [CLI_PATH, 'sweep', file, '--out', out, '--quiet', ...extra];
    return method === 'gnu-time' ? peakViaGnuTime(args) : peakViaProc(args);
  };

  const out = join(tmp, 'memory');
  const peak = await measure(out, []);
  if (typeof peak === 'string') return { ok: false, note: `memory sweep: ${peak}` };
  const noReport = await measure(join(tmp, 'memory-no-report'), ['--no-report']);

  const curves = join(out, 'curves.csv');
  return {
    ok: true,
    runs: MEMORY_RUNS,
    epochs: MEMORY_EPOCHS,
    cores: os.availableParallelism(),
    method,
    peakRssMB: toMB(peak.kB),
    wallMs: peak.wallMs,
    curvesCsvMB: existsSync(curves) ? statSync(curves).size / 1e6 : null,
    noReport:
      typeof noReport === 'string'
        ? { note: noReport }
        : { peakRssMB: toMB(noReport.kB), wallMs: noReport.wallMs },
  };
}

function toMB(kB: number): number {
  return (kB * 1024) / 1e6;
}
