// `gradgrid verify DIR`: trains every finished run of a result folder again and checks that the
// stored results (runs/ and curves.csv) are reproduced bit for bit. Differences name the run, the
// first epoch that differs and both values. The recomputed curves go to a temporary folder.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cursor, lineBatches } from '../files/lines.js';
import { ENGINE_VERSION } from '../nn/version.js';
import { csvColumns, curveRowIn, curveRowPrefix, curvesHeaderCsv, type CsvColumns } from '../output/csv.js';
import { ManifestError, readManifest, runSpecOf, type Manifest } from '../output/manifest.js';
import { curveRowBatches, decodeCost, parseCurveRow, type CurveColumns, type CurvePoint, type RunRecord } from '../run/index.js';
import type { RunSpec } from '../experiment/types.js';
import { DataStore } from '../sweep/data-store.js';
import { launchRuns } from '../sweep/launcher.js';
import { RunStore } from '../sweep/run-store.js';
import { EXIT_INVALID, EXIT_OK, EXIT_RUNS_FAILED } from './input-errors.js';

const MAX_LISTED = 50;

function sameNumber(a: number | string, b: number | string): boolean {
  return Object.is(decodeCost(a), decodeCost(b));
}

/** The data rows of a curve file one at a time, and its columns once the first batch is read. */
class CurveRowCursor {
  columns: CurveColumns | null = null;
  private readonly cursor: Cursor<string>;

  constructor(path: string) {
    const self = this;
    this.cursor = new Cursor(
      (async function* () {
        for await (const batch of curveRowBatches(path)) {
          self.columns = batch.columns;
          yield batch.rows;
        }
      })(),
    );
  }

  next(): Promise<string | undefined> {
    return this.cursor.next();
  }

  close(): Promise<void> {
    return this.cursor.close();
  }
}

/** The first way in which a recomputed run (record and curve file) differs from the stored one, or null. */
export async function compareRuns(
  stored: { record: RunRecord; curveFile: string },
  fresh: { record: RunRecord; curveFile: string | null },
): Promise<string | null> {
  if (fresh.record.status === 'failed' || fresh.curveFile === null) return `failed when re-run: ${fresh.record.error}`;
  if (stored.record.epochs !== fresh.record.epochs) return `epochs run: stored ${stored.record.epochs}, now ${fresh.record.epochs}`;
  const difference = await compareCurveFiles(stored.curveFile, fresh.curveFile);
  if (difference) return difference;
  if (JSON.stringify(stored.record.parameters) !== JSON.stringify(fresh.record.parameters)) return 'final parameters differ';
  return null;
}

const cellText = (value: number | null) => (value === null ? 'none' : String(value));

interface CellDifference {
  /** 'cost', 'test cost' or 'sharpness'. */
  what: string;
  epoch: number;
  /** The two values as text ('none' for an empty cell). */
  a: string;
  b: string;
}

/** The first cell in which two curve rows of the same columns differ, or null when their numbers are the same. */
function rowDifference(a: CurvePoint, b: CurvePoint): CellDifference | null {
  const { epoch } = a;
  if (!sameNumber(a.cost, b.cost)) return { what: 'cost', epoch, a: String(a.cost), b: String(b.cost) };
  if (!sameCell(a.testCost, b.testCost)) return { what: 'test cost', epoch, a: cellText(a.testCost), b: cellText(b.testCost) };
  if (!sameCell(a.sharpness, b.sharpness)) return { what: 'sharpness', epoch, a: cellText(a.sharpness), b: cellText(b.sharpness) };
  if (!sameCell(a.learningRate, b.learningRate)) return { what: 'learning rate', epoch, a: cellText(a.learningRate), b: cellText(b.learningRate) };
  return null;
}

const sameCell = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Object.is(a, b));

async function compareCurveFiles(storedFile: string, freshFile: string): Promise<string | null> {
  const stored = new CurveRowCursor(storedFile);
  const fresh = new CurveRowCursor(freshFile);
  try {
    for (let k = 0; ; k++) {
      let a: string | undefined;
      try {
        a = await stored.next();
      } catch (error) {
        return `its stored curve cannot be read: ${(error as Error).message}`;
      }
      const b = await fresh.next();
      const [was, now] = [stored.columns, fresh.columns];
      if (was && now && was.sharpness !== now.sharpness) return `sharpness: ${was.sharpness ? 'stored, now not tracked' : 'not stored, now tracked'}`;
      if (a === undefined || b === undefined) {
        if (a === b) return null;
        return a === undefined
          ? `the stored curve ends after ${k} recorded points; the recomputed one goes on (epoch ${parseCurveRow(b!, now!).epoch})`
          : `the stored curve has more recorded points than the recomputed one (${k})`;
      }
      if (a === b) continue;
      const s = parseCurveRow(a, was!);
      const f = parseCurveRow(b, now!);
      if (s.epoch !== f.epoch) return `recorded point #${k}: stored epoch ${s.epoch}, now ${f.epoch}`;
      const difference = rowDifference(s, f);
      if (difference) return `${difference.what} at epoch ${difference.epoch}: stored ${difference.a}, now ${difference.b}`;
    }
  } finally {
    await stored.close();
    await fresh.close();
  }
}

interface RecomputedRun {
  spec: RunSpec;
  curveFile: string;
}

/**
 * Compares curves.csv with the rows the recomputed runs give, row by row; the first difference
 * names the run, the epoch and both values. Reads both a piece at a time.
 */
export async function compareCurvesCsv(
  path: string,
  sweepKeys: string[],
  columns: CsvColumns,
  runs: RecomputedRun[],
): Promise<string | null> {
  const lines = new Cursor(lineBatches(path));
  let rowNumber = 0;
  /** The next CSV row of the file: as many lines as the expected row has (a quoted value may hold a newline). */
  const nextRow = async (lineCount: number): Promise<string | undefined> => {
    const parts: string[] = [];
    for (let i = 0; i < lineCount; i++) {
      const line = await lines.next();
      if (line === undefined) return parts.length ? parts.join('\n') : undefined;
      parts.push(line);
    }
    rowNumber++;
    return parts.join('\n');
  };
  try {
    const header = curvesHeaderCsv(sweepKeys, columns).slice(0, -1);
    const actualHeader = await nextRow(header.split('\n').length);
    if (actualHeader !== header) return `curves.csv: the header is ${JSON.stringify(actualHeader ?? '')}, expected ${JSON.stringify(header)}`;
    for (const { spec, curveFile } of runs) {
      const prefix = curveRowPrefix(spec.index, spec.params);
      const lineCount = prefix.split('\n').length;
      const values = spec.params.map(([key, value]) => `${key}=${value}`).join(' ');
      const name = `run ${spec.index}${values ? ` (${values})` : ''}`;
      for await (const batch of curveRowBatches(curveFile)) {
        const inColumns = curveRowIn(columns, batch.columns, spec.experiment.train.learning_rate);
        for (const row of batch.rows) {
          const expectedCells = inColumns(row);
          const expected = `${prefix}${expectedCells}`;
          const actual = await nextRow(lineCount);
          if (actual === expected) continue;
          const point = parseCurveRow(expectedCells, columns);
          if (actual === undefined) return `curves.csv ends before ${name}, epoch ${point.epoch}`;
          const trailing = 2 + (columns.testCost ? 1 : 0) + (columns.sharpness ? 1 : 0) + (columns.learningRate ? 1 : 0);
          const cells = actual.split(',');
          const found = parseCurveRow(cells.slice(-trailing).join(','), columns);
          if (!actual.startsWith(prefix) || cells.length < trailing || found.epoch !== point.epoch) {
            return `curves.csv row ${rowNumber}: expected ${name}, epoch ${point.epoch}; found ${JSON.stringify(shorten(actual))}`;
          }
          const difference = rowDifference(found, point);
          if (difference) {
            return `curves.csv, ${name}, epoch ${point.epoch}: ${difference.what} ${difference.a} in the file, recomputed ${difference.b}`;
          }
          return `curves.csv row ${rowNumber} (${name}, epoch ${point.epoch}) is written differently: ${JSON.stringify(shorten(actual))}, recomputed ${JSON.stringify(shorten(expected))}`;
        }
      }
    }
    const extra = await nextRow(1);
    if (extra !== undefined) return `curves.csv has rows after the last recomputed one (row ${rowNumber}: ${JSON.stringify(shorten(extra))})`;
    return null;
  } finally {
    await lines.close();
  }
}

const shorten = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

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
  const missing = manifest.runs.filter((run) => run.status === null).length;
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
  const scratch = await mkdtemp(join(tmpdir(), 'gradgrid-verify-'));
  try {
    const differences: string[] = [];
    const recomputed = new Map<number, RecomputedRun>();
    const launch = launchRuns(specs, {
      workers: Math.max(1, options.workers ?? availableParallelism()),
      workerMemoryMb: Number(process.env.GRADGRID_WORKER_MEMORY_MB) || undefined,
      store: null,
      curveDir: scratch,
      engineVersion: ENGINE_VERSION,
      fresh: true,
      contents,
      async onOutcome({ spec, record, curveFile }) {
        if (curveFile !== null) recomputed.set(spec.index, { spec, curveFile });
        const stored = await readStoredRecord(store, spec.hash);
        const difference = stored
          ? await compareRuns({ record: stored, curveFile: store.curvePathOf(spec.hash) }, { record, curveFile })
          : `no stored run record in runs/ (${spec.hash}.json)`;
        if (difference) differences.push(`run ${spec.index}: ${difference}`);
      },
    });
    await launch.done;

    // curves.csv must be byte for byte what the recomputed runs give.
    const columns = csvColumns(manifest.runs.map((run) => run.experiment));
    const inOrder = specs.flatMap((spec) => recomputed.get(spec.index) ?? []);
    const curvesPath = join(dir, 'curves.csv');
    const curvesExist = await stat(curvesPath).then((info) => info.isFile(), () => false);
    if (!curvesExist) differences.push('curves.csv is missing');
    else {
      const difference = await compareCurvesCsv(curvesPath, manifest.sweepKeys, columns, inOrder);
      if (difference) differences.push(difference);
    }

    differences.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const missingNote = missing
      ? `${missing} of ${manifest.runs.length} runs are missing: the sweep was interrupted before they finished. Run the sweep again to finish them, then verify.\n`
      : '';
    if (differences.length) {
      process.stdout.write(`${differences.length} difference(s) in ${dir}:\n`);
      for (const line of differences.slice(0, MAX_LISTED)) process.stdout.write(`  ${line}\n`);
      if (differences.length > MAX_LISTED) process.stdout.write(`  ... and ${differences.length - MAX_LISTED} more\n`);
      process.stdout.write(missingNote);
      return EXIT_RUNS_FAILED;
    }
    process.stdout.write(`verified ${recomputed.size} run(s) in ${dir}: every curve reproduced bit for bit\n${missingNote}`);
    return EXIT_OK;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A run's stored record as it is (its curve file is compared separately), or null. */
async function readStoredRecord(store: RunStore, hash: string): Promise<RunRecord | null> {
  try {
    return JSON.parse(await readFile(store.pathOf(hash), 'utf8')) as RunRecord;
  } catch {
    return null;
  }
}
