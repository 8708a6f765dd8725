// Reads a result folder (summary.csv, curves.csv, manifest.json, runs/<hash>.json) into one
// ResultFolder. summary.csv and manifest.json are required; everything else is optional and its
// absence only removes what it would have drawn (no runs/ folder: no decision boundaries).
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parse as parseStream } from 'csv-parse';
import type { SweepValue } from '../../experiment/types.js';
import type { DecisionBoundary } from '../../run/index.js';
import { ManifestError, readManifest, type Manifest } from '../manifest.js';
import { asArray, asNumber, asRecord, asString, asStringArray, at, type Json } from './json.js';
import { runLabels } from './labels.js';
import { parseNumber } from './numbers.js';
import type { DataPoints, ReportRun, ResultFolder, RunCurve, StabilityPoint } from './result-folder.js';

export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function readRequired(dir: string, name: string): Promise<string> {
  const text = await readOptional(join(dir, name));
  if (text === null) throw new ReportInputError(`${join(dir, name)} not found: is ${dir} a gradgrid result folder?`);
  return text;
}

function parseCsv(text: string, file: string): string[][] {
  try {
    return parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new ReportInputError(`${file}: ${(error as Error).message}`);
  }
}

/** Sweep keys from the manifest, or else the summary columns between `run` and `status`. */
function sweepKeysOf(manifest: Manifest): string[] {
  return manifest.sweepKeys;
}

function sweepValueOf(value: Json, cell: string | undefined): SweepValue {
  if (value === null || ['number', 'string', 'boolean'].includes(typeof value)) return value as SweepValue;
  // No typed value in the manifest: read the CSV cell, as a number when it is one.
  if (cell === undefined) return null;
  const number = cell.trim() === '' ? NaN : Number(cell);
  return Number.isNaN(number) ? cell : number;
}

/** A Float64Array that grows by doubling; `values()` trims it to its length. */
class GrowingSeries {
  private data = new Float64Array(256);
  private length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  values(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

interface GrowingCurve {
  epoch: GrowingSeries;
  cost: GrowingSeries;
  testCost: GrowingSeries | null;
  sharpness: GrowingSeries | null;
  learningRate: GrowingSeries | null;
}

interface CurvesRead {
  curves: Map<number, RunCurve>;
  hasTestCost: boolean;
}

/**
 * Streams curves.csv row by row into numbers per run: a large sweep's curves never sit in
 * memory as text or as rows of strings. Null when the file does not exist.
 */
async function readCurves(file: string): Promise<CurvesRead | null> {
  try {
    await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const growing = new Map<number, GrowingCurve>();
  let hasTestCost = false;
  let columns: { run: number; epoch: number; cost: number; test: number; sharpness: number; learningRate: number } | null = null;
  const optional = (index: number) => (index >= 0 ? new GrowingSeries() : null);
  const parser = createReadStream(file).pipe(parseStream({ bom: true, skip_empty_lines: true }));
  try {
    for await (const row of parser as AsyncIterable<string[]>) {
      if (!columns) {
        columns = {
          run: row.indexOf('run'),
          epoch: row.indexOf('epoch'),
          cost: row.indexOf('cost'),
          test: row.indexOf('test_cost'),
          sharpness: row.indexOf('sharpness'),
          learningRate: row.indexOf('learning_rate'),
        };
        if (columns.run < 0 || columns.epoch < 0 || columns.cost < 0) {
          throw new ReportInputError(`${file}: expected the columns run, epoch and cost`);
        }
        continue;
      }
      const run = Number(row[columns.run]);
      let curve = growing.get(run);
      if (!curve) {
        curve = {
          epoch: new GrowingSeries(),
          cost: new GrowingSeries(),
          testCost: optional(columns.test),
          sharpness: optional(columns.sharpness),
          learningRate: optional(columns.learningRate),
        };
        growing.set(run, curve);
      }
      curve.epoch.push(Number(row[columns.epoch]));
      curve.cost.push(parseNumber(row[columns.cost]) ?? NaN);
      if (curve.testCost) {
        const testCost = parseNumber(row[columns.test]);
        if (testCost !== null) hasTestCost = true;
        curve.testCost.push(testCost ?? NaN);
      }
      curve.sharpness?.push(parseNumber(row[columns.sharpness]) ?? NaN);
      curve.learningRate?.push(parseNumber(row[columns.learningRate]) ?? NaN);
    }
  } catch (error) {
    if (error instanceof ReportInputError) throw error;
    throw new ReportInputError(`${file}: ${(error as Error).message}`);
  }
  const curves = new Map<number, RunCurve>();
  for (const [run, curve] of growing) {
    curves.set(run, {
      epoch: curve.epoch.values(),
      cost: curve.cost.values(),
      testCost: curve.testCost?.values() ?? null,
      sharpness: curve.sharpness?.values() ?? null,
      learningRate: curve.learningRate?.values() ?? null,
    });
  }
  return { curves, hasTestCost };
}

function curveFromRecord(record: Json): RunCurve | null {
  const epoch = asArray(at(record, 'curve', 'epoch'));
  const cost = asArray(at(record, 'curve', 'cost'));
  if (!epoch || !cost || epoch.length !== cost.length) return null;
  const testCost = asArray(at(record, 'curve', 'testCost'));
  const sharpness = asArray(at(record, 'curve', 'sharpness'));
  const learningRate = asArray(at(record, 'curve', 'learningRate'));
  const toNumbers = (values: Json[]) => values.map((value) => parseNumber(value) ?? NaN);
  return {
    epoch: toNumbers(epoch),
    cost: toNumbers(cost),
    testCost: testCost && testCost.length === epoch.length ? toNumbers(testCost) : null,
    sharpness: sharpness && sharpness.length === epoch.length ? toNumbers(sharpness) : null,
    learningRate: learningRate && learningRate.length === epoch.length ? toNumbers(learningRate) : null,
  };
}

function boundaryFromRecord(record: Json): DecisionBoundary | null {
  const boundary = asRecord(at(record, 'boundary'));
  if (!boundary) return null;
  const [xMin, xMax, yMin, yMax, resolution] = ['xMin', 'xMax', 'yMin', 'yMax', 'resolution'].map((key) =>
    asNumber(boundary[key]),
  );
  const values = asArray(boundary.values);
  if (xMin === undefined || xMax === undefined || yMin === undefined || yMax === undefined) return null;
  if (resolution === undefined || !Number.isInteger(resolution) || resolution < 1) return null;
  if (!values || values.length !== resolution * resolution || !(xMax > xMin) || !(yMax > yMin)) return null;
  // JSON has no NaN: a network that blew up leaves nulls, kept as NaN ("no value").
  const boundaryValues = values.map((value) => asNumber(value) ?? NaN);
  const classes = asArray(boundary.classes);
  if (classes && classes.length === values.length) {
    const indices = classes.map((value) => asNumber(value));
    if (indices.every((c): c is number => c !== undefined && Number.isInteger(c) && c >= 0)) {
      return { xMin, xMax, yMin, yMax, resolution, values: boundaryValues, classes: indices };
    }
  }
  return { xMin, xMax, yMin, yMax, resolution, values: boundaryValues };
}

/** A run's class names from the manifest, when they are a list of strings. */
function classesOf(value: unknown): string[] | null {
  return Array.isArray(value) && value.length > 0 && value.every((name) => typeof name === 'string') ? value : null;
}

/** Each run's own data points: the manifest's point_sets by the run's index into them. */
function pointsByRun(manifest: Manifest): Map<number, DataPoints> {
  const sets = (manifest.point_sets ?? []).map(pointsOf);
  const byRun = new Map<number, DataPoints>();
  for (const run of manifest.runs) {
    const points = run.points === undefined ? null : sets[run.points];
    if (points) byRun.set(run.run, points);
  }
  return byRun;
}

function pointsOf(value: Json): DataPoints | null {
  const xs = asArray(at(value, 'x'));
  const ys = asArray(at(value, 'y'));
  if (!xs || !ys || xs.length !== ys.length || xs.length === 0) return null;
  const x: [number, number][] = [];
  const y: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const pair = asArray(xs[i]);
    const a = asNumber(pair?.[0]);
    const b = asNumber(pair?.[1]);
    const target = asNumber(ys[i]);
    if (pair?.length !== 2 || a === undefined || b === undefined || target === undefined) continue;
    x.push([a, b]);
    y.push(target);
  }
  return x.length > 0 ? { x, y } : null;
}

function featureNamesOf(manifest: Json): [string, string] {
  const features = asStringArray(at(manifest, 'experiment', 'parsed', 'dataset', 'features'));
  return features && features.length === 2 ? [features[0], features[1]] : ['x1', 'x2'];
}

const HASH = /^[0-9a-f]{8,128}$/i;

/** What the report takes from a run record; the rest of the record is dropped at once. */
interface RecordExtract {
  boundary: DecisionBoundary | null;
  /** Only kept when curves.csv is missing. */
  curve: RunCurve | null;
}

/**
 * The boundary (and, without curves.csv, the curve) of every run that has runs/<hash>.json;
 * null when the runs/ folder does not exist. Read one file at a time to bound memory.
 */
async function readRecords(
  dir: string,
  hashes: Map<number, string>,
  needCurves: boolean,
  notes: string[],
): Promise<Map<number, RecordExtract> | null> {
  const runsDir = join(dir, 'runs');
  const records = new Map<number, RecordExtract>();
  let found = 0;
  for (const [run, hash] of hashes) {
    if (!HASH.test(hash)) continue;
    const text = await readOptional(join(runsDir, `${hash}.json`)).catch(() => null);
    if (text === null) continue;
    found++;
    try {
      const record = JSON.parse(text) as Json;
      records.set(run, { boundary: boundaryFromRecord(record), curve: needCurves ? curveFromRecord(record) : null });
    } catch {
      notes.push(`runs/${hash}.json (run ${run}) is not valid JSON; its decision boundary is left out.`);
    }
  }
  if (found === 0 && !(await stat(runsDir).then((info) => info.isDirectory(), () => false))) return null;
  return records;
}

/** stability.csv (a stability-limit search's result), or null when the folder has none. */
async function readStability(dir: string, gridKeys: string[]): Promise<StabilityPoint[] | null> {
  const file = join(dir, 'stability.csv');
  const text = await readOptional(file);
  if (text === null) return null;
  const [header = [], ...rows] = parseCsv(text, file);
  const column = (name: string) => header.indexOf(name);
  if (column('key') < 0 || column('outcome') < 0) throw new ReportInputError(`${file}: expected the columns key, stable_max, unstable_min, probes, outcome`);
  const cell = (row: string[], name: string) => (column(name) >= 0 ? row[column(name)] ?? '' : '');
  return rows.map((row) => ({
    cells: gridKeys.map((key) => cell(row, key)),
    key: cell(row, 'key'),
    stableMax: parseNumber(cell(row, 'stable_max')),
    unstableMin: parseNumber(cell(row, 'unstable_min')),
    probes: parseNumber(cell(row, 'probes')),
    outcome: cell(row, 'outcome'),
    note: cell(row, 'note'),
  }));
}

export async function readResultFolder(dir: string): Promise<ResultFolder> {
  const notes: string[] = [];
  let manifest: Manifest;
  try {
    manifest = await readManifest(dir);
  } catch (error) {
    if (error instanceof ManifestError) throw new ReportInputError(error.message);
    throw error;
  }
  const [header = [], ...rows] = parseCsv(await readRequired(dir, 'summary.csv'), join(dir, 'summary.csv'));
  const sweepKeys = sweepKeysOf(manifest);
  const column = (name: string) => header.indexOf(name);

  const manifestRuns = new Map(manifest.runs.map((entry) => [entry.run, entry]));
  const hashes = new Map(manifest.runs.map((entry) => [entry.run, entry.hash]));
  const points = pointsByRun(manifest);

  const curvesRead = await readCurves(join(dir, 'curves.csv'));
  const { curves, hasTestCost } = curvesRead ?? { curves: new Map<number, RunCurve>(), hasTestCost: false };
  const noCurve: RunCurve = { epoch: [], cost: [], testCost: null, sharpness: null, learningRate: null };
  const records = await readRecords(dir, hashes, curvesRead === null, notes);
  if (curvesRead === null) {
    notes.push(records ? 'curves.csv not found: the cost curves are taken from the run records.' : 'curves.csv not found: no cost curves.');
  }

  const partial = rows.map((row) => {
    const run = Number(row[column('run')]);
    const params: [string, SweepValue][] = sweepKeys.map((key) => {
      const cellIndex = column(key);
      return [key, sweepValueOf(at(manifestRuns.get(run), 'params', key), cellIndex >= 0 ? row[cellIndex] : undefined)];
    });
    return { run, params, row };
  });
  const labels = runLabels(partial, sweepKeys);
  const cell = (row: string[], name: string) => (column(name) >= 0 ? row[column(name)] : undefined);

  const runs: ReportRun[] = partial.map(({ run, params, row }, i) => {
    const record = records?.get(run);
    return {
      run,
      params,
      label: labels[i],
      status: (cell(row, 'status') ?? '').trim() || 'unknown',
      epochs: parseNumber(cell(row, 'epochs')),
      finalCost: parseNumber(cell(row, 'final_cost')),
      curve: curves.get(run) ?? record?.curve ?? noCurve,
      boundary: record?.boundary ?? null,
      points: points.get(run) ?? null,
      classes: classesOf(manifestRuns.get(run)?.classes),
      train: manifestRuns.get(run)?.experiment.train ?? null,
      ...(column('beyond_limit') >= 0 ? { beyondLimit: verdictOf(cell(row, 'beyond_limit')) } : {}),
    };
  });
  const stability = await readStability(dir, sweepKeys.slice(0, -1));
  const hasSharpness = runs.some((run) => Array.prototype.some.call(run.curve.sharpness ?? [], (v: number) => !Number.isNaN(v)));

  const maxCost = asNumber(at(manifest, 'experiment', 'parsed', 'divergence', 'max_cost')) ?? null;
  return {
    dir,
    manifest,
    sweepKeys,
    summary: { header, rows },
    runs,
    plannedRuns: Math.max(manifestRuns.size, runs.length),
    points: runs.map((run) => run.points).find((found) => found !== null) ?? null,
    featureNames: featureNamesOf(manifest),
    maxCost,
    hasTestCost,
    hasLearningRate: runs.some((run) => Array.from(run.curve.learningRate ?? []).some(Number.isFinite)),
    hasSharpness,
    hasRunRecords: records !== null,
    notes,
    stability,
  };
}

function verdictOf(cell: string | undefined): boolean | null {
  const text = (cell ?? '').trim();
  return text === 'true' ? true : text === 'false' ? false : null;
}
