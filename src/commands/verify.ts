// `gradgrid verify DIR`: trains every finished run of a result folder again and checks that
// the stored curves (runs/ and curves.csv) are reproduced bit for bit.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ENGINE_VERSION } from '../nn/version.js';
import { csvColumns, curveRowsCsv, curvesHeaderCsv } from '../output/csv.js';
import { ManifestError, readManifest, runSpecOf, type Manifest } from '../output/manifest.js';
import { decodeCost, type RunRecord } from '../run/index.js';
import { DataStore } from '../sweep/data-store.js';
import { launchRuns } from '../sweep/launcher.js';
import { RunStore } from '../sweep/run-store.js';
import { EXIT_INVALID, EXIT_OK, EXIT_RUNS_FAILED } from './input-errors.js';

const MAX_LISTED = 50;

function sameNumber(a: number | string, b: number | string): boolean {
  return Object.is(decodeCost(a), decodeCost(b));
}

/** The first way in which a recomputed run differs from the stored one, or null. */
export function compareRecords(stored: RunRecord, fresh: RunRecord): string | null {
  if (fresh.status === 'failed') return `failed when re-run: ${fresh.error}`;
  if (stored.epochs !== fresh.epochs) return `epochs run: stored ${stored.epochs}, now ${fresh.epochs}`;
  const { epoch, cost, testCost, sharpness } = stored.curve;
  if ((sharpness === undefined) !== (fresh.curve.sharpness === undefined)) {
    return `sharpness: ${sharpness === undefined ? 'not stored, now tracked' : 'stored, now not tracked'}`;
  }
  if (epoch.length !== fresh.curve.epoch.length) {
    return `recorded points: stored ${epoch.length}, now ${fresh.curve.epoch.length}`;
  }
  for (let k = 0; k < epoch.length; k++) {
    if (epoch[k] !== fresh.curve.epoch[k]) return `recorded epoch #${k}: stored ${epoch[k]}, now ${fresh.curve.epoch[k]}`;
    if (!sameNumber(cost[k], fresh.curve.cost[k])) {
      return `cost at epoch ${epoch[k]}: stored ${cost[k]}, now ${fresh.curve.cost[k]}`;
    }
    if (testCost && fresh.curve.testCost && !sameNumber(testCost[k], fresh.curve.testCost[k])) {
      return `test cost at epoch ${epoch[k]}: stored ${testCost[k]}, now ${fresh.curve.testCost[k]}`;
    }
    const [was, now] = [sharpness?.[k] ?? null, fresh.curve.sharpness?.[k] ?? null];
    if ((was === null) !== (now === null) || (was !== null && now !== null && !sameNumber(was, now))) {
      return `sharpness at epoch ${epoch[k]}: stored ${was ?? 'none'}, now ${now ?? 'none'}`;
    }
  }
  const storedWeights = JSON.stringify(stored.parameters);
  if (storedWeights !== JSON.stringify(fresh.parameters)) return 'final parameters differ';
  return null;
}

export async function verifyCommand(dir: string, options: { workers?: number }): Promise<number> {
  let manifest: Manifest;
  try {
    manifest = await readManifest(dir);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    process.stderr.write(`error: ${dir} is not a gradgrid result folder: ${error.message}\n`);
    return EXIT_INVALID;
  }
  if (manifest.tool.engine !== ENGINE_VERSION) {
    process.stderr.write(`note: made by engine ${manifest.tool.engine}, verifying with engine ${ENGINE_VERSION}\n`);
  }
  const store = new RunStore(join(dir, 'runs'));
  // Failed runs have nothing stored to compare; runs that never ran (an interrupt) neither.
  const specs = manifest.runs.filter((run) => run.status !== null && run.status !== 'failed').map(runSpecOf);
  // The CSV data comes from the folder's own copies (data/<digest>.csv), never from the original path.
  const dataStore = new DataStore(join(dir, 'data'));
  const contents = new Map<string, Uint8Array>();
  for (const digest of new Set(specs.flatMap((spec) => (spec.csvDigest === undefined ? [] : [spec.csvDigest])))) {
    const bytes = await dataStore.read(digest);
    if (!bytes) {
      process.stderr.write(`error: ${dataStore.pathOf(digest)} is missing or changed: the runs trained on that data cannot be re-run\n`);
      return EXIT_INVALID;
    }
    contents.set(digest, bytes);
  }
  const differences: string[] = [];
  const freshByIndex = new Map<number, RunRecord>();
  const launch = launchRuns(specs, {
    workers: Math.max(1, options.workers ?? availableParallelism()),
    workerMemoryMb: Number(process.env.GRADGRID_WORKER_MEMORY_MB) || undefined,
    store: null,
    engineVersion: ENGINE_VERSION,
    fresh: true,
    contents,
    async onOutcome({ spec, record }) {
      freshByIndex.set(spec.index, record);
      const stored = await store.read(spec.hash, manifest.tool.engine);
      const difference = stored ? compareRecords(stored, record) : 'no stored run record in runs/';
      if (difference) differences.push(`run ${spec.index}: ${difference}`);
    },
  });
  await launch.done;

  // curves.csv must be byte-for-byte what the recomputed runs give.
  const columns = csvColumns(manifest.runs.map((run) => run.experiment));
  let expected = curvesHeaderCsv(manifest.sweepKeys, columns);
  for (const spec of specs) {
    const record = freshByIndex.get(spec.index);
    if (record) expected += curveRowsCsv(spec.index, spec.params, record.curve, columns, spec.experiment.train.learning_rate);
  }
  const actual = await readFile(join(dir, 'curves.csv'), 'utf8').catch(() => null);
  if (actual === null) differences.push('curves.csv is missing');
  else if (actual !== expected) differences.push('curves.csv differs from the recomputed curves');

  differences.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (differences.length) {
    process.stdout.write(`${differences.length} difference(s) in ${dir}:\n`);
    for (const line of differences.slice(0, MAX_LISTED)) process.stdout.write(`  ${line}\n`);
    if (differences.length > MAX_LISTED) process.stdout.write(`  ... and ${differences.length - MAX_LISTED} more\n`);
    return EXIT_RUNS_FAILED;
  }
  process.stdout.write(`verified ${freshByIndex.size} run(s) in ${dir}: every curve reproduced bit for bit\n`);
  return EXIT_OK;
}
