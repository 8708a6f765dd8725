// manifest.json: everything needed to know what ran and to run it again — the experiment as
// given, every resolved run with its hash, versions, the command line and timings. Written here
// and read back here only (readManifest), by the report and by verify.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScatterPoints } from '../data/index.js';
import type { Experiment, RunSpec, SweepValue } from '../experiment/types.js';
import { writeFileAtomic } from '../files/atomic.js';
import { dependencyVersions, TOOL_VERSION } from '../package-info.js';
import type { FinishedRun, RunStatus } from '../run/index.js';

export interface ManifestRun {
  run: number;
  params: Record<string, SweepValue>;
  hash: string;
  /** Content digest of the run's CSV data (a copy is kept in the folder's data/<digest>.csv). */
  csv_digest?: string;
  /** Index into the manifest's point_sets: this run's own data points, for its boundary panel. */
  points?: number;
  /** With one-hot class targets (cross_entropy): the class names, in the order of the model's outputs. */
  classes?: string[];
  /** Random search: the 1-based numbers of the samples that resolved to this run. */
  samples?: number[];
  status: RunStatus | null;
  epochs: number | null;
  final_cost: number | string | null;
  reused: boolean;
  wall_ms: number | null;
  experiment: RunSpec['experiment'];
}

export interface Manifest {
  tool: { name: 'gradgrid'; version: string; engine: string };
  node: string;
  platform: string;
  packages: Record<string, string>;
  command: string[];
  /**
   * The file as given (`source`), the command-line overrides applied to it (`--set key=value`,
   * as typed; absent when there were none) and the effective experiment: the file with the
   * overrides applied and the defaults filled in (`parsed`).
   */
  experiment: { file: string; source: string; overrides?: string[]; parsed: Experiment };
  sweepKeys: string[];
  /** The distinct datasets' points over two raw input features (runs refer to them by index). */
  point_sets?: ScatterPoints[];
  runs: ManifestRun[];
  complete: boolean;
  started_at: string;
  finished_at: string;
  wall_ms: number;
  workers: number;
}

export interface ManifestInput {
  engineVersion: string;
  command: string[];
  file: string;
  source: string;
  /** --set overrides as typed, in order. */
  overrides?: string[];
  parsed: Experiment;
  sweepKeys: string[];
  /** Each run's data points (undefined where the data has no two raw features). */
  pointsOf: (spec: RunSpec) => ScatterPoints | undefined;
  /** Each run's class names, when it trains on one-hot class targets (else null or undefined). */
  classesOf?: (spec: RunSpec) => string[] | null | undefined;
  runs: RunSpec[];
  /** The runs that finished (in any order). */
  finished: FinishedRun[];
  complete: boolean;
  startedAt: Date;
  finishedAt: Date;
  workers: number;
}

export function buildManifest(input: ManifestInput): Manifest {
  const finishedByIndex = new Map(input.finished.map((row) => [row.index, row]));
  const pointSets: ScatterPoints[] = [];
  const pointIndex = new Map<ScatterPoints, number>();
  const pointsOf = (spec: RunSpec): number | undefined => {
    const points = input.pointsOf(spec);
    if (!points) return undefined;
    let index = pointIndex.get(points);
    if (index === undefined) {
      index = pointSets.push(points) - 1;
      pointIndex.set(points, index);
    }
    return index;
  };
  const runs = input.runs.map((spec): ManifestRun => {
    const outcome = finishedByIndex.get(spec.index);
    const points = pointsOf(spec);
    const classes = input.classesOf?.(spec);
    return {
      run: spec.index,
      params: Object.fromEntries(spec.params),
      hash: spec.hash,
      ...(spec.csvDigest === undefined ? {} : { csv_digest: spec.csvDigest }),
      ...(points === undefined ? {} : { points }),
      ...(classes ? { classes } : {}),
      ...(spec.samples === undefined ? {} : { samples: spec.samples }),
      status: outcome?.facts.status ?? null,
      epochs: outcome?.facts.epochs ?? null,
      final_cost: outcome?.facts.finalCost ?? null,
      reused: outcome?.reused ?? false,
      wall_ms: outcome ? Math.round(outcome.facts.wallMs * 1000) / 1000 : null,
      experiment: spec.experiment,
    };
  });
  return {
    tool: { name: 'gradgrid', version: TOOL_VERSION, engine: input.engineVersion },
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    packages: dependencyVersions(),
    command: input.command,
    experiment: {
      file: input.file,
      source: input.source,
      ...(input.overrides?.length ? { overrides: input.overrides } : {}),
      parsed: input.parsed,
    },
    sweepKeys: input.sweepKeys,
    ...(pointSets.length ? { point_sets: pointSets } : {}),
    runs,
    complete: input.complete,
    started_at: input.startedAt.toISOString(),
    finished_at: input.finishedAt.toISOString(),
    wall_ms: input.finishedAt.getTime() - input.startedAt.getTime(),
    workers: input.workers,
  };
}

export async function writeManifest(path: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** The RunSpec a manifest entry was made from (for re-running it: verify). */
export function runSpecOf(run: ManifestRun): RunSpec {
  return {
    index: run.run,
    params: Object.entries(run.params),
    experiment: run.experiment,
    ...(run.csv_digest === undefined ? {} : { csvDigest: run.csv_digest }),
    hash: run.hash,
    ...(run.samples === undefined ? {} : { samples: run.samples }),
  };
}

/** Reads and checks DIR/manifest.json; a ManifestError says what is missing or malformed. */
export async function readManifest(dir: string): Promise<Manifest> {
  const path = join(dir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ManifestError(code === 'ENOENT' ? `${path} not found: is ${dir} a gradgrid result folder?` : `${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const problem = manifestProblem(value);
  if (problem) throw new ManifestError(`${path}: not a gradgrid manifest (${problem})`);
  return value as Manifest;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

/** The first way in which `value` is not a manifest this version can use, or null. */
function manifestProblem(value: unknown): string | null {
  if (!isObject(value)) return 'expected a JSON object';
  if (!isObject(value.tool) || !isString(value.tool.engine)) return 'tool.engine missing';
  if (!isObject(value.experiment) || !isObject(value.experiment.parsed)) return 'experiment.parsed missing';
  if (!Array.isArray(value.sweepKeys) || !value.sweepKeys.every(isString)) return 'sweepKeys missing';
  if (!Array.isArray(value.runs)) return 'runs missing';
  for (const [k, run] of value.runs.entries()) {
    if (!isObject(run)) return `runs[${k}] is not an object`;
    if (!Number.isInteger(run.run) || (run.run as number) < 1) return `runs[${k}].run is not a run number`;
    if (!isString(run.hash) || !/^[0-9a-f]{8,128}$/.test(run.hash)) return `runs[${k}].hash is not a hash`;
    if (!isObject(run.params) || !isObject(run.experiment)) return `runs[${k}] has no params or experiment`;
    if (run.csv_digest !== undefined && !(isString(run.csv_digest) && /^[0-9a-f]{64}$/.test(run.csv_digest))) {
      return `runs[${k}].csv_digest is not a sha256 digest`;
    }
  }
  if (value.point_sets !== undefined && !Array.isArray(value.point_sets)) return 'point_sets is not a list';
  return null;
}
