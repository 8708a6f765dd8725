// Reads a result folder (summary.csv, curves.csv, manifest.json, runs/<hash>.json) into one
// ResultFolder. summary.csv and manifest.json are required; everything else is optional and its
// absence only removes what it would have drawn (no runs/ folder: no decision boundaries).
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { SweepValue } from '../../experiment/types.js';
// Not the run layer's index: that loads the engine, which the sweep's main thread never trains with.
import { CURVE_FILE_SUFFIX } from '../../run/curve-file.js';
import type { DecisionBoundary } from '../../run/run-record.js';
import { sketchSeries } from './curve-sketch.js';
import { pointsPerCurve } from './downsample.js';
import { CurvesFileError, readCurveFile, readCurvesCsv, type SketchOptions } from './read-curves.js';
import { ManifestError, readManifest, type Manifest } from '../manifest.js';
import { asArray, asNumber, asRecord, asStringArray, at, type Json } from './json.js';
import { runLabels } from './labels.js';
import { parseNumber } from './numbers.js';
import type { LiveCurveSketches } from './live-curves.js';
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

/** Whether `path` exists (other errors than its absence are thrown). */
async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Each run's points as its record says, or null without records. */
function expectedPoints(records: Map<number, RecordExtract> | null): Map<number, number> | null {
  if (records === null) return null;
  const points = new Map<number, number>();
  for (const [run, record] of records) if (record.points !== null) points.set(run, record.points);
  return points;
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
  if (x.length === 0) return null;
  const pairOf = (names: string[] | undefined): [string, string] | undefined => (names?.length === 2 ? [names[0], names[1]] : undefined);
  const features = pairOf(asStringArray(at(value, 'features')));
  const classes = pairOf(asStringArray(at(value, 'classes')));
  return { x, y, ...(features ? { features } : {}), ...(classes ? { classes } : {}) };
}

/** The axes of the boundary panels: the data's own column names (kept in the manifest's point sets). */
function featureNamesOf(manifest: Json, points: DataPoints | null): [string, string] {
  if (points?.features) return points.features;
  const features = asStringArray(at(manifest, 'experiment', 'parsed', 'dataset', 'features'));
  return features && features.length === 2 ? [features[0], features[1]] : ['x1', 'x2'];
}

const HASH = /^[0-9a-f]{8,128}$/i;

/** What the report takes from a run record; the rest of the record is dropped at once. */
interface RecordExtract {
  boundary: DecisionBoundary | null;
  /** From the run's curve file, only when curves.csv is missing. */
  curve: RunCurve | null;
  /** The points of its curve, when the record says. */
  points: number | null;
}

/** Record files read ahead of the one being parsed: their reads wait on the disk together. */
const RECORDS_AHEAD = 4;

/**
 * The boundary (and, without curves.csv, the curve) of every run that has runs/<hash>.json;
 * null when the runs/ folder does not exist. A few files at a time, to bound memory.
 */
async function readRecords(
  dir: string,
  hashes: Map<number, string>,
  curves: SketchOptions | null,
  notes: string[],
): Promise<Map<number, RecordExtract> | null> {
  const runsDir = join(dir, 'runs');
  const records = new Map<number, RecordExtract>();
  let found = 0;
  const wanted = [...hashes].filter(([, hash]) => HASH.test(hash));
  const reads = new Map<number, Promise<string | null>>();
  const readAt = (k: number) => {
    let read = reads.get(k);
    if (!read) reads.set(k, (read = readOptional(join(runsDir, `${wanted[k][1]}.json`)).catch(() => null)));
    return read;
  };
  for (let k = 0; k < wanted.length; k++) {
    const [run, hash] = wanted[k];
    for (let ahead = k + 1; ahead <= Math.min(k + RECORDS_AHEAD, wanted.length - 1); ahead++) readAt(ahead);
    const text = await readAt(k);
    reads.delete(k);
    if (text === null) continue;
    found++;
    try {
      const record = JSON.parse(text) as Json;
      const curve = curves ? await readCurveFile(join(runsDir, `${hash}${CURVE_FILE_SUFFIX}`), curves, curves.budget) : null;
      const points = asNumber(at(record, 'points'));
      records.set(run, { boundary: boundaryFromRecord(record), curve, points: Number.isSafeInteger(points) ? (points as number) : null });
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

/**
 * `live`: the curves sketched while the sweep wrote curves.csv, taken instead of reading the file
 * back when they are what reading it would give.
 */
export async function readResultFolder(dir: string, onProgress?: (what: string) => void, live?: LiveCurveSketches): Promise<ResultFolder> {
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

  const maxCost = asNumber(at(manifest, 'experiment', 'parsed', 'divergence', 'max_cost')) ?? null;
  const sketch: SketchOptions = { budget: pointsPerCurve(rows.length), maxCost, onProgress };
  // The records first: the points they say each curve has spare curves.csv's counting pass.
  const curvesFile = join(dir, 'curves.csv');
  const curvesFileFound = await exists(curvesFile);
  let records = await readRecords(dir, hashes, curvesFileFound ? null : sketch, notes);
  let curvesRead: Awaited<ReturnType<typeof readCurvesCsv>>;
  try {
    const sketched = curvesFileFound ? live?.curvesFor(sketch) ?? null : null;
    curvesRead = sketched ?? (curvesFileFound ? await readCurvesCsv(curvesFile, sketch, expectedPoints(records)) : null);
  } catch (error) {
    if (error instanceof CurvesFileError) throw new ReportInputError(error.message);
    throw error;
  }
  const { curves, hasTestCost } = curvesRead ?? { curves: new Map<number, RunCurve>(), hasTestCost: false };
  // Again for the curves when curves.csv went away meanwhile (its notes are in already).
  if (curvesFileFound && curvesRead === null) records = await readRecords(dir, hashes, sketch, []);
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
      curve: curves.get(run) ?? record?.curve ?? { cost: sketchSeries([], [], sketch.budget, maxCost), testCost: null, sharpness: null, learningRate: null },
      boundary: record?.boundary ?? null,
      points: points.get(run) ?? null,
      classes: classesOf(manifestRuns.get(run)?.classes),
      train: manifestRuns.get(run)?.experiment.train ?? null,
      ...(column('beyond_limit') >= 0 ? { beyondLimit: verdictOf(cell(row, 'beyond_limit')) } : {}),
    };
  });
  const firstPoints = runs.map((run) => run.points).find((found) => found !== null) ?? null;
  const stability = await readStability(dir, sweepKeys.slice(0, -1));
  const hasSharpness = runs.some((run) => (run.curve.sharpness?.points ?? 0) > 0);

  return {
    dir,
    manifest,
    sweepKeys,
    summary: { header, rows },
    runs,
    plannedRuns: Math.max(manifestRuns.size, runs.length),
    points: firstPoints,
    featureNames: featureNamesOf(manifest, firstPoints),
    classNames: firstPoints?.classes ?? null,
    maxCost,
    hasTestCost,
    hasLearningRate: runs.some((run) => (run.curve.learningRate?.finite ?? 0) > 0),
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
