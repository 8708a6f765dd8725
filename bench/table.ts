// The printed report: a table of the trainings beside the peers, the CLI measurements, the
// targets, and a note for everything that could not be measured.

import { NOT_SELECTED, type Outcome } from './outcome.js';
import { PEER_NAMES } from './peers.js';
import type { BenchResults } from './results.js';
import { speedRatio } from './targets.js';

/** Three significant digits, without exponent notation for the sizes seen here. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** Left-aligned columns padded to their widest cell. */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c])).join('   ').trimEnd()).join('\n');
}

function trainingRow(
  label: string,
  own: Outcome<{ value: number }>,
  peerValue: (name: (typeof PEER_NAMES)[number]) => number | null,
): string[] {
  const cells = [label, own.ok ? formatNumber(own.value) : 'n/a'];
  for (const name of PEER_NAMES) {
    const value = peerValue(name);
    if (value === null) cells.push('n/a');
    else if (!own.ok) cells.push(formatNumber(value));
    else cells.push(`${formatNumber(value)} (${formatNumber(speedRatio(own.value, value))}x)`);
  }
  return cells;
}

function seconds(ms: number): string {
  return `${formatNumber(ms / 1000)} s`;
}

export function renderReport(r: BenchResults): string {
  const { machine: mc, tiny, medium, sweepScaling: sweep, endToEnd: e2e, memory: mem, peers } = r;
  const lines: string[] = [];
  lines.push(`gradgrid benchmark: ${mc.cpuName ?? mc.cpu}, ${mc.cores} cores, Node ${mc.node}, ${mc.date} (load ${mc.loadAverage1m.toFixed(2)})`);
  lines.push('');
  lines.push('one thread; in brackets: how many times faster gradgrid is than the peer');
  lines.push(
    formatColumns([
      ['training', 'gradgrid', ...PEER_NAMES],
      trainingRow(
        'tiny XOR 2-3-1, µs/epoch',
        tiny.ok ? { ok: true, value: tiny.usPerEpoch } : tiny,
        (n) => (peers[n].ok ? peers[n].tinyUsPerEpoch : null),
      ),
      trainingRow(
        'medium spiral 2-64-64-1, ms/epoch',
        medium.ok ? { ok: true, value: medium.msPerEpoch } : medium,
        (n) => (peers[n].ok ? peers[n].mediumMsPerEpoch : null),
      ),
    ]),
  );
  for (const [name, sbs] of [['tiny against brain.js', r.tinySideBySide], ['medium against NumPy', r.mediumSideBySide]] as const) {
    if (!sbs?.ok) continue;
    lines.push(
      `${name} side by side: ${formatNumber(sbs.ratio)}x (median of ${sbs.rounds.length} alternating rounds; ` +
        `gradgrid ${formatNumber(sbs.gradgrid)} ${sbs.unit}/epoch, ${sbs.peer} ${formatNumber(sbs.peerTime)}; ratio per round: ${sbs.rounds.map((round) => formatNumber(round.ratio)).join(' ')})`,
    );
  }
  if (r.sharpness.ok) {
    const sh = r.sharpness;
    lines.push(
      `medium with sharpness every ${sh.every} epochs: ${seconds(sh.withMs)} against ${seconds(sh.withoutMs)} without ` +
        `(${formatNumber(sh.ratio)}x; ${sh.epochs} epochs, median of ${sh.repeats}; Lanczos steps per computation: ${sh.lanczosSteps.join(' ')})`,
    );
  }
  if (r.optimizers.ok) {
    const o = r.optimizers;
    const each = Object.entries(o.msPerEpoch).map(([name, ms]) => `${name} ${formatNumber(ms)}`).join(', ');
    lines.push(`medium per optimizer, ms/epoch: ${each} (slowest ${o.worst}: ${formatNumber(o.worstRatio)}x sgd; median of ${o.repeats})`);
  }
  lines.push('');
  const cli: string[][] = [['command line', 'measured']];
  cli.push([
    'sweep scaling',
    sweep.ok
      ? `${sweep.runs} runs x ${sweep.epochs} epochs: 1 worker ${seconds(sweep.oneWorkerMs)}, 2 workers ${seconds(sweep.twoWorkersMs)}, speed-up ${formatNumber(sweep.speedup)}x`
      : 'n/a',
  ]);
  if (sweep.ok) {
    cli.push([
      '',
      `the same at 1 epoch per run (start-up, workers, files): 1 worker ${seconds(sweep.fixedOneWorkerMs)}, 2 workers ` +
        `${seconds(sweep.fixedTwoWorkersMs)}; the rest scales ${formatNumber(sweep.trainingSpeedup)}x`,
    ]);
  }
  cli.push([
    'end to end',
    e2e.ok
      ? `npm run sweep -- ${e2e.experiment}: ${seconds(e2e.npmMs)} (node alone ${seconds(e2e.nodeMs)}); ` +
        ('ms' in e2e.numpy
          ? `the NumPy script ${seconds(e2e.numpy.ms)}: ${formatNumber(e2e.ratioToNumpy!)}x its time (median of the rounds' ratios: ${e2e.ratioPerRound.map(formatNumber).join(' ')})`
          : `the NumPy script: ${e2e.numpy.note}`)
      : 'n/a',
  ]);
  if (e2e.ok) {
    const b = e2e.breakdown;
    cli.push([
      '',
      `where it goes: Node starts ${seconds(b.nodeStartMs)}, gradgrid --version ${seconds(b.versionMs)}, validate ` +
        `${seconds(b.validateMs)}, the sweep without report ${seconds(b.noReportMs)}, with it ${seconds(e2e.nodeMs)}, through npm ${seconds(e2e.npmMs)}`,
    ]);
  }
  cli.push([
    'peak memory',
    mem.ok
      ? `${mem.runs} XOR runs x ${mem.epochs} epochs, every epoch recorded: ${formatNumber(mem.peakRssMB)} MB RSS ` +
        `(${mem.method}), ${seconds(mem.wallMs)}` +
        (mem.curvesCsvMB === null ? '' : `, curves.csv ${formatNumber(mem.curvesCsvMB)} MB`)
      : 'n/a',
  ]);
  if (mem.ok) {
    const nr = mem.noReport;
    cli.push([
      '',
      'peakRssMB' in nr
        ? `the same with --no-report: ${formatNumber(nr.peakRssMB)} MB RSS, ${seconds(nr.wallMs)}`
        : `the same with --no-report: ${nr.note}`,
    ]);
  }
  for (const [label, report] of [['report', r.report], ['report, large', r.reportLarge]] as const) {
    if (report === undefined) continue; // results.json from before the large report existed
    cli.push([
      label,
      report.ok
        ? `${report.runs} XOR runs x ${report.epochs} epochs, every epoch recorded: report.html ${formatNumber(report.reportMB)} MB ` +
          `(sweep with report ${seconds(report.sweepWallMs)})`
        : 'n/a',
    ]);
    if (report.ok) {
      const open = report.open;
      cli.push([
        '',
        'medianMs' in open
          ? `opened in headless Chromium ${open.chromium} (${open.charts} charts): median ${seconds(open.medianMs)} of ` +
            `${open.repeatsMs.length} loads, first load ${seconds(open.firstLoadMs)}`
          : `opening: ${open.note}`,
      ]);
    }
  }
  const queue = r.queue;
  if (queue !== undefined) {
    // undefined: results.json from before the queue line existed
    cli.push([
      'queue',
      queue.ok
        ? `${queue.runs} XOR runs x ${queue.epochs} epochs, ${queue.workers} threads: local ${seconds(queue.localMs)}, ` +
          `through Redis ${queue.redisVersion} ${seconds(queue.queueMs)}: ${formatNumber(queue.jobsPerSecond)} jobs/s, ` +
          `${formatNumber(queue.overheadMsPerRun)} ms per run over the local pool`
        : 'n/a',
    ]);
    if (queue.ok) {
      cli.push([
        '',
        `Redis memory: ${formatNumber(queue.bytesPerQueuedRun / 1000)} kB per queued run, ${formatNumber(queue.bytesPerFinishedRun / 1000)} kB per finished run ` +
          `until it expires (of which the result ${formatNumber(queue.bytesPerResult / 1000)} kB)`,
      ]);
      if (queue.cpuMsPerRun) {
        const { local: l, queue: q } = queue.cpuMsPerRun;
        cli.push(['', `CPU per run, all processes: local ${formatNumber(l)} ms, queue ${formatNumber(q)} ms (sweep + worker + Redis): +${formatNumber(q - l)} ms`]);
      }
    }
  }
  lines.push(formatColumns(cli));
  lines.push('');
  lines.push('targets');
  for (const t of r.targets) {
    const verdict = t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'FAIL';
    lines.push(`  ${verdict}  ${t.goal.padEnd(42)} ${t.measured ?? 'not measured'}`);
  }
  const notes = notesOf(r);
  if (notes.length > 0) {
    lines.push('');
    lines.push('notes');
    for (const note of notes) lines.push(`  - ${note}`);
  }
  return lines.join('\n');
}

function notesOf(r: BenchResults): string[] {
  const notes: string[] = [];
  const add = (label: string, o: Outcome<object>) => {
    if (!o.ok && o.note !== NOT_SELECTED) notes.push(`${label}: ${o.note}`);
  };
  add('tiny', r.tiny);
  add('medium', r.medium);
  if (r.tinySideBySide) add('tiny against brain.js', r.tinySideBySide);
  if (r.mediumSideBySide) add('medium against NumPy', r.mediumSideBySide);
  add('sharpness', r.sharpness);
  add('optimizers', r.optimizers);
  add('sweep scaling', r.sweepScaling);
  add('end to end', r.endToEnd);
  add('memory', r.memory);
  add('report', r.report);
  if (r.reportLarge) add('report, large', r.reportLarge);
  if (r.queue) add('queue', r.queue);
  for (const name of PEER_NAMES) add(`peer ${name}`, r.peers[name]);
  const numpy = r.peers.numpy;
  if (numpy.ok) {
    const blas = numpy.details.blas as { name?: string; version?: string; kernel?: string } | undefined;
    const unset = Object.entries((numpy.details.unsetForThisPeer ?? {}) as Record<string, string | null>)
      .filter(([, value]) => value !== null)
      .map(([name, value]) => `${name}=${value}`);
    const blasText = blas ? [blas.name, blas.version, blas.kernel && `kernel ${blas.kernel}`].filter(Boolean).join(' ') : 'unknown';
    notes.push(
      `numpy ${numpy.version}, one thread, BLAS ${blasText}` + (unset.length > 0 ? ` (removed for it: ${unset.join(', ')})` : ''),
    );
  }
  return notes;
}
