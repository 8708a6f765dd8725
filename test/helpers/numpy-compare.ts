// Sweeps an experiment file with the built CLI's sweep command (in this process) and compares its summary.csv and curves.csv with
// the NumPy reference's fixtures (test/reference/numpy_experiments.py wrote them into
// test/fixtures/numpy/experiments/): the same grid, the same stop epochs and accuracies, and every
// recorded epoch's cost (test cost, learning rate) within 1e-9 relative.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, readCsv, workspace } from './cli.js';
import { sweepInProcess } from './in-process.js';

export const TOLERANCE = 1e-9;
const FIXTURES = join(ROOT, 'test/fixtures/numpy/experiments');

export interface NumpyCase {
  /** Names the fixtures <name>.curves.csv and <name>.summary.csv. */
  name: string;
  /** The experiment file, written as experiments/numpy-<name>.yaml into a copy of experiments/. */
  yaml: string;
  /** Files of test/fixtures/ the experiment reads, copied into experiments/ at the same relative path. */
  data?: string[];
}

export interface Comparison {
  /** Empty when everything agrees. */
  problems: string[];
  /** The largest relative error over every compared number, and where. */
  worst: { error: number; where: string };
  /** The sweep's exit code (the comparison is skipped unless it is 0). */
  code: number | null;
  stderr: string;
}

type Row = Record<string, string>;

/** Relative error of `actual` against `expected`; non-finite values must match exactly. */
export function relativeError(actual: number, expected: number): number {
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return Object.is(actual, expected) ? 0 : Infinity;
  if (expected === 0) return actual === 0 ? 0 : Infinity;
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** Same value: numbers compared as numbers ("10" = "10.0"), anything else as text. */
function sameValue(actual: string | undefined, expected: string): boolean {
  if (actual === undefined) return false;
  if (expected === '' || actual === '') return actual === expected;
  const a = Number(actual);
  const e = Number(expected);
  return Number.isNaN(a) || Number.isNaN(e) ? actual === expected : a === e;
}

function describeRun(row: Row, keys: string[]): string {
  return `run ${row.run} (${keys.map((key) => `${key}=${row[key]}`).join(', ')})`;
}

export async function compareWithNumpy({ name, yaml, data = [] }: NumpyCase): Promise<Comparison> {
  const dir = workspace();
  try {
    const file = `experiments/numpy-${name}.yaml`;
    writeFileSync(join(dir, file), yaml);
    for (const path of data) {
      mkdirSync(dirname(join(dir, 'experiments', path)), { recursive: true });
      copyFileSync(join(ROOT, 'test/fixtures', path), join(dir, 'experiments', path));
    }
    const code = await sweepInProcess(dir, file, { out: 'out' });
    // The sweep's own message, if it failed, is in the test output above.
    const comparison: Comparison = { problems: [], worst: { error: 0, where: 'every epoch exact' }, code, stderr: '(see the output above)' };
    if (code !== 0) return comparison;
    compareFiles(comparison, dir, name, file);
    return comparison;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function compareFiles(comparison: Comparison, dir: string, name: string, file: string): void {
  const { problems } = comparison;
  const expectedSummary = readCsv(join(FIXTURES, `${name}.summary.csv`));
  const expectedCurves = readCsv(join(FIXTURES, `${name}.curves.csv`));
  const summary = readCsv(join(dir, 'out/summary.csv'));
  const curves = readCsv(join(dir, 'out/curves.csv'));
  const header = Object.keys(expectedCurves[0]);
  const keys = header.slice(1, header.indexOf('epoch'));
  const measured = header.slice(header.indexOf('epoch') + 1);
  const stale = `(if ${file} changed on purpose, mirror it in test/reference/numpy_experiments.py and regenerate)`;

  // The same grid: one row per run, with the same swept values, in the same order.
  if (summary.length !== expectedSummary.length) {
    problems.push(`summary.csv has ${summary.length} runs, NumPy ${expectedSummary.length} ${stale}`);
    return;
  }
  const columns = Object.keys(curves[0] ?? {});
  if (columns.join() !== header.join()) {
    problems.push(`curves.csv columns ${columns.join(', ')}, NumPy ${header.join(', ')}`);
    return;
  }
  for (const [i, expected] of expectedSummary.entries()) {
    const actual = summary[i];
    const where = describeRun(expected, keys);
    for (const key of ['run', ...keys]) {
      if (!sameValue(actual[key], expected[key])) problems.push(`${where}: ${key} is ${actual[key]} ${stale}`);
    }
    if (actual.epochs !== expected.epochs) problems.push(`${where}: ran ${actual.epochs} epochs, NumPy ${expected.epochs}`);
    if ((actual.status === 'diverged') !== (expected.status === 'diverged')) {
      problems.push(`${where}: status ${actual.status}, NumPy ${expected.status}`);
    }
    for (const column of ['train_accuracy', 'test_accuracy']) {
      if (!sameValue(actual[column], expected[column])) {
        problems.push(`${where}: ${column} ${actual[column] || '(empty)'}, NumPy ${expected[column] || '(empty)'}`);
      }
    }
  }

  // Every recorded epoch, in order, to 1e-9 relative (the first disagreement per run is reported).
  if (curves.length !== expectedCurves.length) {
    problems.push(`curves.csv has ${curves.length} recorded epochs, NumPy ${expectedCurves.length} ${stale}`);
    return;
  }
  const reported = new Set<string>();
  for (const [k, expected] of expectedCurves.entries()) {
    const actual = curves[k];
    const where = `${describeRun(expected, keys)} epoch ${expected.epoch}`;
    if (actual.run !== expected.run || actual.epoch !== expected.epoch) {
      problems.push(`row ${k + 2}: run ${actual.run} epoch ${actual.epoch}, NumPy run ${expected.run} epoch ${expected.epoch}`);
      break;
    }
    for (const column of measured) {
      const error = relativeError(Number(actual[column]), Number(expected[column]));
      if (error > comparison.worst.error) comparison.worst = { error, where: `${where} (${column})` };
      if (error > TOLERANCE && !reported.has(expected.run)) {
        reported.add(expected.run);
        problems.push(`${where}: ${column} ${actual[column]}, NumPy ${expected[column]} (relative error ${error.toExponential(2)})`);
      }
    }
  }
}

/**
 * compareWithNumpy for every case, a few sweeps at a time (each on one worker thread, kept from
 * sweep to sweep by sweepInProcess), by case name.
 */
export async function compareAllWithNumpy(cases: NumpyCase[], concurrency = 3): Promise<Map<string, Comparison>> {
  const limit = pLimit(concurrency);
  const comparisons = new Map<string, Comparison>();
  await Promise.all(cases.map((numpyCase) => limit(async () => comparisons.set(numpyCase.name, await compareWithNumpy(numpyCase)))));
  return comparisons;
}

/**
 * A test per case: every case is swept once (a few at a time) before the tests, each test checks
 * one, and the worst relative error per case is printed at the end.
 */
export function describeNumpyComparisons(title: string, cases: NumpyCase[]): void {
  const worst: Record<string, string> = {};
  let comparisons: Map<string, Comparison>;
  beforeAll(async () => {
    comparisons = await compareAllWithNumpy(cases);
  });
  afterAll(() => {
    const lines = Object.entries(worst).map(([name, w]) => `  ${name}: ${w}`);
    console.log(`worst relative error against NumPy per experiment:\n${lines.join('\n')}`);
  });
  describe(title, () => {
    it.each(cases)('$name', (numpyCase) => {
      const comparison = comparisons.get(numpyCase.name)!;
      expect(comparison.code, comparison.stderr).toBe(0);
      worst[numpyCase.name] = `${comparison.worst.error.toExponential(2)} at ${comparison.worst.where}`;
      expect(comparison.problems).toEqual([]);
    });
  });
}
