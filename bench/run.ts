// `npm run bench`: measures gradgrid and its peers, prints a table, writes bench/results.json.
// Arguments select measurements (tiny tiny-vs-brainjs medium medium-vs-numpy sharpness optimizers sweep-scaling end-to-end memory report report-large queue numpy tfjs brain.js);
// a selective run prints only and leaves results.json alone.

import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { measureEndToEnd } from './end-to-end.js';
import { describeMachine } from './machine.js';
import { measureMedium } from './medium.js';
import { measureMediumSideBySide } from './medium-side-by-side.js';
import { measureTinySideBySide } from './tiny-side-by-side.js';
import { measureMemory } from './memory.js';
import { attempt, NOT_SELECTED, type Outcome } from './outcome.js';
import { RESULTS_PATH } from './paths.js';
import { measureQueue } from './queue.js';
import { LARGE_REPORT_SEEDS, measureReportOpen } from './report-open.js';
import { measurePeers, PEER_NAMES } from './peers.js';
import { measureOptimizers } from './optimizers.js';
import { measureSharpness } from './sharpness.js';
import type { BenchResults } from './results.js';
import { measureSweepScaling } from './sweep-scaling.js';
import { renderReport } from './table.js';
import { checkTargets } from './targets.js';
import { measureTiny } from './tiny.js';

const selected = process.argv.slice(2);
const known = ['tiny', 'tiny-vs-brainjs', 'medium', 'medium-vs-numpy', 'sharpness', 'optimizers', 'sweep-scaling', 'end-to-end', 'memory', 'report', 'report-large', 'queue', ...PEER_NAMES];
const unknown = selected.filter((name) => !known.includes(name));
if (unknown.length > 0) {
  console.error(`bench: unknown measurement ${unknown.join(', ')}; known: ${known.join(', ')}`);
  process.exit(2);
}
const wants = (name: string) => selected.length === 0 || selected.includes(name);
const skipped = { ok: false, note: NOT_SELECTED } as const;

async function step<T>(name: string, measure: () => Promise<Outcome<T>> | Outcome<T>): Promise<Outcome<T>> {
  if (!wants(name)) return skipped;
  process.stderr.write(`bench: ${name}...\n`);
  return attempt(name, measure);
}

const machine = describeMachine();
const tmp = mkdtempSync(join(os.tmpdir(), 'gradgrid-bench-'));
try {
  const tiny = await step('tiny', measureTiny);
  const tinySideBySide = await step('tiny-vs-brainjs', () => measureTinySideBySide(tmp));
  const medium = await step('medium', measureMedium);
  const mediumSideBySide = await step('medium-vs-numpy', () => measureMediumSideBySide(tmp));
  const sharpness = await step('sharpness', measureSharpness);
  const optimizers = await step('optimizers', measureOptimizers);
  const sweepScaling = await step('sweep-scaling', () => measureSweepScaling(tmp, medium.ok ? medium.msPerEpoch : null));
  const endToEnd = await step('end-to-end', () => measureEndToEnd(tmp));
  const memory = await step('memory', () => measureMemory(tmp));
  const report = await step('report', () => measureReportOpen(tmp));
  const reportLarge = await step('report-large', () => measureReportOpen(tmp, LARGE_REPORT_SEEDS));
  const queue = await step('queue', () => measureQueue(tmp));
  process.stderr.write('bench: peers...\n');
  const peers = measurePeers(tmp, (name) => wants(name));

  const measurements = { tiny, tinySideBySide, medium, mediumSideBySide, sharpness, optimizers, sweepScaling, endToEnd, memory, report, reportLarge, queue, peers };
  const results: BenchResults = { machine, ...measurements, targets: checkTargets(measurements, machine) };
  console.log(renderReport(results));

  if (selected.length === 0) {
    // Written whole, then renamed, so a crash never leaves half a results file.
    const partial = `${RESULTS_PATH}.tmp${process.pid}`;
    writeFileSync(partial, `${JSON.stringify(results, null, 2)}\n`);
    renameSync(partial, RESULTS_PATH);
    console.log(`\nwritten: ${RESULTS_PATH}`);
  } else {
    console.log(`\nselective run (${selected.join(' ')}): results.json not written`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
