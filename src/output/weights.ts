// A run's trained network, ready for NumPy: one weight matrix and one bias column per linear
// layer in the blog's column-major shapes (W is (units, inputs), b is (units, 1), so that
// Z = W @ A + b for A of shape (inputs, m)), and a small description ("meta") of the graph that
// connects them, the loss and the run's settings. `gradgrid export` writes these entries as an
// .npz (np.load) or as JSON with the same names.
import type { PreparedData } from '../data/index.js';
import { npzBytes, type NpyArray } from '../files/npz.js';
import type { Matrix } from '../nn/matrix.js';
import type { RunRecord } from '../run/index.js';
import type { Manifest, ManifestRun } from './manifest.js';

/** Tells readers of an exported file what they hold (bumped if the layout ever changes). */
export const WEIGHTS_FORMAT = 'gradgrid-weights/1';

export type WeightsEntry =
  | { name: string; kind: 'matrix'; rows: number; cols: number; values: number[] }
  | { name: string; kind: 'meta'; meta: Record<string, unknown> };

export interface ExportedRun {
  run: ManifestRun;
  record: RunRecord;
  /** The run's data as it trained on it: feature names, and X, Y when exported; null if unavailable. */
  data: PreparedData | null;
}

/** A node of the graph in meta: an activation by name, or a linear layer by its arrays' names. */
type GraphNode = string | { W: string; b: string };

/**
 * The entries of one file: W1, b1, W2, b2, ..., meta (and X, Y, X_test, Y_test with `withData`)
 * per run. Several runs are told apart by a `run<N>/` prefix: run3/W1, run3/meta.
 */
export function weightsEntries(manifest: Manifest, runs: ExportedRun[], options: { withData: boolean }): WeightsEntry[] {
  const prefixed = runs.length > 1;
  return runs.flatMap((exported) => runEntries(manifest, exported, prefixed ? `run${exported.run.run}/` : '', options.withData));
}

function runEntries(manifest: Manifest, { run, record, data }: ExportedRun, prefix: string, withData: boolean): WeightsEntry[] {
  const entries: WeightsEntry[] = [];
  const graph: GraphNode[] = [];
  let layer = 0;
  for (const node of run.experiment.model) {
    if (typeof node === 'string') {
      graph.push(node);
      continue;
    }
    const parameters = record.parameters[layer];
    layer++;
    if (parameters === undefined) throw new Error(`run ${run.run}: the record holds ${record.parameters.length} layers, the model more`);
    const names = { W: `W${layer}`, b: `b${layer}` };
    entries.push(matrixEntry(`${prefix}${names.W}`, parameters.weights), matrixEntry(`${prefix}${names.b}`, parameters.bias));
    graph.push(names);
  }
  if (withData && data !== null) {
    entries.push(dataEntry(`${prefix}X`, data.train.x), dataEntry(`${prefix}Y`, data.train.y));
    if (data.test) entries.push(dataEntry(`${prefix}X_test`, data.test.x), dataEntry(`${prefix}Y_test`, data.test.y));
  }
  const meta: Record<string, unknown> = {
    format: WEIGHTS_FORMAT,
    tool: manifest.tool,
    run: run.run,
    hash: run.hash,
    params: run.params,
    layout: 'column-major as in the blog: X is (features, m), one column per example; W is (units, inputs); b is (units, 1); Z = W @ A + b',
    graph,
    loss: run.experiment.loss,
    ...(data ? { features: data.featureNames } : {}),
    // A softmax model's outputs, in order (its targets are one-hot over these).
    ...(run.classes ? { classes: run.classes } : {}),
    ...(withData && data ? { data: data.test ? ['X', 'Y', 'X_test', 'Y_test'] : ['X', 'Y'] } : {}),
    status: record.status,
    epochs: record.epochs,
    final_cost: record.finalCost,
    train_accuracy: record.trainAccuracy,
    test_accuracy: record.testAccuracy,
    note: 'final_cost is the cost recorded at the last epoch, before that epoch\'s update; these are the weights after it',
    settings: run.experiment,
  };
  entries.push({ name: `${prefix}meta`, kind: 'meta', meta });
  return entries;
}

/** A matrix as stored in a run record: rows of numbers, non-finite values stored as null. */
function matrixEntry(name: string, rows: (number | null)[][]): WeightsEntry {
  const cols = rows[0]?.length ?? 0;
  const values: number[] = [];
  for (const row of rows) for (const value of row) values.push(typeof value === 'number' ? value : NaN);
  return { name, kind: 'matrix', rows: rows.length, cols, values };
}

function dataEntry(name: string, matrix: Matrix): WeightsEntry {
  return { name, kind: 'matrix', rows: matrix.rows, cols: matrix.cols, values: Array.from(matrix.data) };
}

/**
 * The entries as one JSON object, one entry per line: matrices as lists of rows (NaN and
 * ±Infinity as null, which JSON lacks), meta as an object.
 */
export function weightsJson(entries: WeightsEntry[]): string {
  const lines = entries.map((entry) => {
    const value =
      entry.kind === 'meta'
        ? entry.meta
        : Array.from({ length: entry.rows }, (_, r) =>
            entry.values.slice(r * entry.cols, (r + 1) * entry.cols).map((number) => (Number.isFinite(number) ? number : null)),
          );
    return `${JSON.stringify(entry.name)}: ${JSON.stringify(value)}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** The entries as an .npz: float64 arrays, and meta as a 0-d unicode string holding its JSON. */
export function weightsNpz(entries: WeightsEntry[]): Uint8Array {
  return npzBytes(
    entries.map((entry): [string, NpyArray] =>
      entry.kind === 'meta' ? [entry.name, { text: JSON.stringify(entry.meta) }] : [entry.name, { shape: [entry.rows, entry.cols], float64: entry.values }],
    ),
  );
}
