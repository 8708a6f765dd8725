// `gradgrid export DIR [--run N ...] [--format npz|json] [--out FILE] [--data]`: the trained
// weights of runs from a result folder, for NumPy (np.load) or anything that reads JSON.
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic.js';
import { ManifestError, readManifest, runSpecOf, type Manifest, type ManifestRun } from '../output/manifest.js';
import { weightsEntries, weightsJson, weightsNpz, type ExportedRun } from '../output/weights.js';
import { runData } from '../run/index.js';
import { DataStore } from '../sweep/data-store.js';
import { RunStore } from '../sweep/run-store.js';
import { EXIT_INVALID, EXIT_OK } from './input-errors.js';

export type WeightsFormat = 'npz' | 'json';

export interface ExportOptions {
  /** Run numbers (summary.csv's `run`); default: every finished run. */
  run?: number[];
  /** Default: from the extension of `out`, else npz. */
  format?: WeightsFormat;
  /** Default: DIR/weights-run<N>.<format> for one run, DIR/weights.<format> for several. */
  out?: string;
  /** Also write each run's training data as it saw it (X, Y; X_test, Y_test with a split). */
  data?: boolean;
}

/** A problem with the folder or the arguments, reported with exit code 2. */
class ExportError extends Error {}

export async function exportCommand(dir: string, options: ExportOptions = {}): Promise<number> {
  try {
    const manifest = await readManifest(dir).catch((error: unknown) => {
      throw error instanceof ManifestError ? new ExportError(`${dir} is not a gradgrid result folder: ${error.message}`) : error;
    });
    const chosen = chooseRuns(manifest, options.run);
    const exported = await readRuns(dir, manifest, chosen, options.data ?? false);
    const format = options.format ?? (options.out?.toLowerCase().endsWith('.json') ? 'json' : 'npz');
    const out = options.out ?? join(dir, chosen.length === 1 ? `weights-run${chosen[0].run}.${format}` : `weights.${format}`);
    const entries = weightsEntries(manifest, exported, { withData: options.data ?? false });
    await writeFileAtomic(out, format === 'npz' ? weightsNpz(entries) : weightsJson(entries)).catch((error: Error) => {
      throw new ExportError(`cannot write ${out}: ${error.message}`);
    });
    const names = entries.map((entry) => entry.name);
    const shown = names.length > 12 ? `${names.slice(0, 12).join(', ')}, ... (${names.length} arrays)` : names.join(', ');
    process.stdout.write(`Exported ${chosen.length === 1 ? `run ${chosen[0].run}` : `${chosen.length} runs`} to ${out}: ${shown}\n`);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_INVALID;
  }
}

/** The runs asked for, in the order asked (default: every finished run in run order). */
function chooseRuns(manifest: Manifest, wanted: number[] | undefined): ManifestRun[] {
  const byNumber = new Map(manifest.runs.map((run) => [run.run, run]));
  const hasWeights = (run: ManifestRun) => run.status !== null && run.status !== 'failed';
  if (wanted === undefined || wanted.length === 0) {
    const finished = manifest.runs.filter(hasWeights);
    if (finished.length === 0) throw new ExportError('no run in the folder has finished with trained weights');
    return finished;
  }
  const numbers = manifest.runs.map((run) => run.run);
  return [...new Set(wanted)].map((number) => {
    const run = byNumber.get(number);
    if (run === undefined) {
      throw new ExportError(`there is no run ${number}; the runs are ${numbers.length === 0 ? 'none' : `${Math.min(...numbers)} to ${Math.max(...numbers)}`}`);
    }
    if (run.status === 'failed') throw new ExportError(`run ${number} failed, so it has no trained weights`);
    if (run.status === null) throw new ExportError(`run ${number} did not finish (the sweep was interrupted); run the sweep again to complete it`);
    return run;
  });
}

async function readRuns(dir: string, manifest: Manifest, runs: ManifestRun[], withData: boolean): Promise<ExportedRun[]> {
  const store = new RunStore(join(dir, 'runs'));
  const dataStore = new DataStore(join(dir, 'data'));
  const contents = new Map<string, Uint8Array>();
  const exported: ExportedRun[] = [];
  for (const run of runs) {
    const record = await store.read(run.hash, manifest.tool.engine);
    if (record === null) throw new ExportError(`${store.pathOf(run.hash)} (run ${run.run}) is missing or damaged`);
    const digest = run.csv_digest;
    if (digest !== undefined && !contents.has(digest)) {
      const bytes = await dataStore.read(digest);
      if (bytes) contents.set(digest, bytes);
    }
    let data: ExportedRun['data'] = null;
    try {
      data = runData(runSpecOf(run), contents);
    } catch (error) {
      // Feature names are a convenience; the data itself only when asked for.
      if (withData) throw new ExportError(`run ${run.run}: its data cannot be rebuilt (${(error as Error).message})`);
    }
    exported.push({ run, record, data });
  }
  return exported;
}
