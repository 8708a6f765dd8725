// Test helper: writes a realistic result folder (summary.csv, curves.csv, manifest.json,
// runs/<hash>.json) in the documented formats (docs/architecture.md, "The result folder"), without
// training anything: the curves are shaped like real ones and the status follows the learning rate.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { SweepValue } from '../../src/experiment/types.js';
import type { DecisionBoundary, RunRecord, RunStatus } from '../../src/run/index.js';

export interface FixtureOptions {
  name?: string;
  description?: string;
  /** Sweep keys -> values, expanded as a grid (first key outermost). Default: learning rates 0.1, 1, 10, 100. */
  sweep?: Record<string, SweepValue[]>;
  /** How some sweep keys are written in the experiment instead of as their lists, e.g. { loguniform: [a, b] } (a random search). */
  sweepAsWritten?: Record<string, unknown>;
  epochs?: number;
  recordEvery?: number;
  /** Write runs/<hash>.json (default true). */
  runsFolder?: boolean;
  /**
   * Write each run's curve file runs/<hash>.curve.csv beside its record (default true). The report
   * reads them only when curves.csv is missing: a large fixture that keeps curves.csv can skip them.
   */
  runCurveFiles?: boolean;
  /** Put the 2-D data points into the manifest and boundaries into the records (default true). */
  twoDimensional?: boolean;
  /** A held-out split: test_cost in curves.csv and test_accuracy in summary.csv (default false). */
  testSplit?: boolean;
  boundaryResolution?: number;
  /** Number of data points (train + test). */
  samples?: number;
  /** Real-valued targets (a regression) instead of the XOR classes. */
  regression?: boolean;
  /** Runs (1-based) that failed, with their error messages: no curve, no record. */
  failures?: Record<number, string>;
  /** Extra text appended to the experiment source (e.g. a comment with markup, for escaping tests). */
  sourceComment?: string;
  complete?: boolean;
}

export interface FixtureRun {
  run: number;
  params: [string, SweepValue][];
  status: RunStatus;
  hash: string;
  epochs: number;
}

export interface FixtureFolder {
  dir: string;
  sweepKeys: string[];
  runs: FixtureRun[];
}

const MAX_COST = 1e6;

/** Small deterministic generator (mulberry32), so every fixture is the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function grid(sweep: Record<string, SweepValue[]>): [string, SweepValue][][] {
  let points: [string, SweepValue][][] = [[]];
  for (const [key, values] of Object.entries(sweep)) {
    points = points.flatMap((point) => values.map((value): [string, SweepValue][] => [...point, [key, value]]));
  }
  return points;
}

/** How a run behaves follows its learning rate, as in the blog's learning-rate experiments. */
function statusFor(learningRate: number): RunStatus {
  if (learningRate >= 50) return 'diverged';
  if (learningRate >= 5) return 'unstable';
  if (learningRate <= 0.2) return 'slow';
  return 'converged';
}

interface Curve {
  epoch: number[];
  cost: number[];
  testCost: number[] | null;
}

function curveFor(status: RunStatus, learningRate: number, epochs: number, recordEvery: number, jitter: number, testSplit: boolean): Curve {
  const epoch: number[] = [];
  const cost: number[] = [];
  const stopAt = Math.min(epochs - 1, 24);
  for (let e = 0; e < epochs; e++) {
    if (e % recordEvery !== 0 && e !== epochs - 1 && !(status === 'diverged' && e === stopAt)) continue;
    let c: number;
    switch (status) {
      case 'diverged':
        // Grows tenfold every few epochs, then overflows: recorded as NaN where it stopped.
        c = e === stopAt ? NaN : 0.7 * 10 ** (e / 4);
        break;
      case 'unstable':
        c = 0.02 + 0.2 * Math.exp(-e / 60) + 0.05 * Math.abs(Math.sin(e / 7 + jitter));
        break;
      case 'slow':
        c = 0.04 + 0.66 * Math.exp(-e * learningRate * (0.004 + jitter * 0.001));
        break;
      default:
        c = 1e-4 + 0.7 * Math.exp(-e * Math.min(learningRate, 4) * (0.03 + jitter * 0.005));
    }
    epoch.push(e);
    cost.push(c);
    if (status === 'diverged' && e === stopAt) break;
  }
  return { epoch, cost, testCost: testSplit ? cost.map((c, i) => (Number.isFinite(c) ? c * 1.2 + 0.001 * (i / cost.length) : c)) : null };
}

function boundaryFor(status: RunStatus, resolution: number, jitter: number, regression: boolean): DecisionBoundary {
  const [min, max] = [-1.3, 1.3];
  const sharpness = { converged: 14, slow: 2.5, stalled: 1, unstable: 6, diverged: 0, failed: 0 }[status];
  const values: number[] = [];
  for (let row = 0; row < resolution; row++) {
    for (let col = 0; col < resolution; col++) {
      const x = min + ((max - min) * (col + 0.5)) / resolution;
      const y = min + ((max - min) * (row + 0.5)) / resolution;
      // A network whose weights became NaN outputs NaN, which JSON stores as null.
      if (status === 'diverged') values.push(null as unknown as number);
      else if (regression) values.push(3 + x + 2 * y + 0.1 * jitter);
      else values.push(1 / (1 + Math.exp(-sharpness * (x * y + 0.05 * jitter))));
    }
  }
  return { xMin: min, xMax: max, yMin: min, yMax: max, resolution, values };
}

/** The experiment with this point's values applied at their dotted paths and `sweep` removed. */
function resolvedExperiment(parsed: Record<string, unknown>, params: [string, SweepValue][]): Record<string, unknown> {
  const { sweep: _sweep, search: _search, ...copy } = structuredClone(parsed);
  for (const [key, value] of params) {
    const path = key.split('.');
    let target = copy as Record<string, unknown>;
    for (const part of path.slice(0, -1)) target = target[part] as Record<string, unknown>;
    target[path[path.length - 1]] = value;
  }
  return copy;
}

const toCsv = (rows: unknown[][]) => stringify(rows, { cast: { number: (value) => String(value), boolean: (value) => String(value) } });

function sourceYaml(name: string, description: string, epochs: number, recordEvery: number, sweep: Record<string, SweepValue[]>, options: FixtureOptions): string {
  const sweepLines = Object.entries(sweep).map(([key, values]) => `  ${key}: ${JSON.stringify(values)}`);
  return [
    '# yaml-language-server: $schema=../schema/experiment.schema.json',
    `name: ${name}`,
    `description: ${JSON.stringify(description)}`,
    'seed: 48',
    'dataset:',
    '  builtin: xor-quadrants',
    `  samples: ${options.samples ?? 60}`,
    ...(options.testSplit ? ['  test_fraction: 0.2'] : []),
    'model:',
    '  - { linear: 3, init: xavier }',
    '  - sigmoid',
    '  - { linear: 1, init: xavier }',
    '  - sigmoid',
    'loss: bce',
    'train:',
    `  epochs: ${epochs}`,
    '  learning_rate: 1',
    `  record_every: ${recordEvery}`,
    'divergence:',
    '  max_cost: 1.0e6',
    'sweep:',
    ...sweepLines,
    ...(options.sourceComment ? [`# ${options.sourceComment}`] : []),
    '',
  ].join('\n');
}

export async function writeResultFolder(dir: string, options: FixtureOptions = {}): Promise<FixtureFolder> {
  const name = options.name ?? 'xor-lr';
  const description = options.description ?? 'Learning-rate sweep of a 2-layer network on the XOR quadrants';
  const sweep = options.sweep ?? { 'train.learning_rate': [0.1, 1, 10, 100] };
  const sweepKeys = Object.keys(sweep);
  const epochs = options.epochs ?? 300;
  const recordEvery = options.recordEvery ?? 1;
  const twoDimensional = options.twoDimensional ?? true;
  const testSplit = options.testSplit ?? false;
  const resolution = options.boundaryResolution ?? 48;
  const draw = random(7);

  const samples = options.samples ?? 60;
  const pointsX: [number, number][] = [];
  const pointsY: number[] = [];
  for (let i = 0; i < samples; i++) {
    const x: [number, number] = [draw() * 2 - 1, draw() * 2 - 1];
    pointsX.push(x);
    pointsY.push(options.regression ? 3 + x[0] + 2 * x[1] : x[0] * x[1] > 0 ? 1 : 0);
  }

  const parsed = {
    name,
    description,
    seed: 48,
    dataset: { builtin: 'xor-quadrants', samples, ...(testSplit ? { test_fraction: 0.2 } : {}) },
    model: [{ linear: 3, init: 'xavier' }, 'sigmoid', { linear: 1, init: 'xavier' }, 'sigmoid'],
    loss: 'bce',
    train: { epochs, learning_rate: 1, batch_size: 'full', record_every: recordEvery },
    divergence: { max_cost: MAX_COST },
    sweep: { ...sweep, ...options.sweepAsWritten },
    ...(options.sweepAsWritten ? { search: { random: { samples: grid(sweep).length, seed: 0 } } } : {}),
  };

  await mkdir(dir, { recursive: true });
  if (options.runsFolder ?? true) await mkdir(join(dir, 'runs'), { recursive: true });

  const runs: FixtureRun[] = [];
  const summaryRows: unknown[][] = [['run', ...sweepKeys, 'status', 'epochs', 'final_cost', 'min_cost', 'train_accuracy', 'test_accuracy', 'error', 'hash']];
  const curveChunks: string[] = [toCsv([['run', ...sweepKeys, 'epoch', 'cost', ...(testSplit ? ['test_cost'] : [])]])];
  const manifestRuns: Record<string, unknown>[] = [];

  for (const [i, params] of grid(sweep).entries()) {
    const run = i + 1;
    const lrEntry = params.find(([key]) => key.endsWith('learning_rate'));
    const learningRate = typeof lrEntry?.[1] === 'number' ? lrEntry[1] : 1;
    const status = statusFor(learningRate);
    const jitter = draw();
    const curve = curveFor(status, learningRate, epochs, recordEvery, jitter, testSplit);
    const epochsRun = curve.epoch[curve.epoch.length - 1] + 1;
    const finite = curve.cost.filter(Number.isFinite);
    const finalCost = curve.cost[curve.cost.length - 1];
    const minCost = Math.min(...finite);
    const accuracy = { converged: 100, slow: 75, stalled: 50, unstable: 90, diverged: 50, failed: null }[status];
    const experiment = resolvedExperiment(parsed, params);
    const hash = createHash('sha256').update(JSON.stringify({ experiment, engine: '1' })).digest('hex');

    const failure = options.failures?.[run];
    if (failure !== undefined) {
      summaryRows.push([run, ...params.map(([, v]) => v), 'failed', 0, null, null, null, null, failure, hash]);
      manifestRuns.push({ run, params: Object.fromEntries(params), hash, status: 'failed', epochs: 0, final_cost: null, reused: false, wall_ms: 0, experiment });
      runs.push({ run, params, status: 'failed', hash, epochs: 0 });
      continue;
    }
    summaryRows.push([run, ...params.map(([, v]) => v), status, epochsRun, finalCost, minCost, accuracy, testSplit ? accuracy : null, null, hash]);
    const values = params.map(([, v]) => v);
    // Written by hand rather than by csv-stringify: a 1 000-run fixture has five million rows.
    const prefix = toCsv([[run, ...values]]).slice(0, -1);
    const lines = new Array<string>(curve.epoch.length);
    for (let k = 0; k < curve.epoch.length; k++) {
      lines[k] = `${prefix},${curve.epoch[k]},${curve.cost[k]}${curve.testCost ? `,${curve.testCost[k]}` : ''}\n`;
    }
    curveChunks.push(lines.join(''));
    manifestRuns.push({
      run,
      params: Object.fromEntries(params),
      hash,
      status,
      epochs: epochsRun,
      final_cost: Number.isFinite(finalCost) ? finalCost : String(finalCost),
      reused: false,
      wall_ms: 10 + run,
      experiment,
    });
    if (options.runsFolder ?? true) {
      const curveText =
        `epoch,cost${curve.testCost ? ',test_cost' : ''}\n` +
        curve.epoch.map((e, k) => `${e},${curve.cost[k]}${curve.testCost ? `,${curve.testCost[k]}` : ''}\n`).join('');
      if (options.runCurveFiles ?? true) await writeFile(join(dir, 'runs', `${hash}.curve.csv`), curveText);
      const record: RunRecord = {
        hash,
        engineVersion: '1',
        status,
        epochs: epochsRun,
        finalCost: Number.isFinite(finalCost) ? finalCost : null,
        minCost,
        trainAccuracy: accuracy,
        testAccuracy: testSplit ? accuracy : null,
        error: null,
        initialCost: curve.cost[0],
        points: curve.epoch.length,
        curveBytes: Buffer.byteLength(curveText),
        parameters: [
          { weights: [[0.5, -0.3], [0.1, 0.9], [-0.7, 0.2]], bias: [[0], [0.1], [-0.1]] },
          { weights: [[1.2, -0.8, 0.4]], bias: [[0.05]] },
        ],
        boundary: twoDimensional ? boundaryFor(status, resolution, jitter, options.regression ?? false) : null,
        wallMs: 10 + run,
      };
      await writeFile(join(dir, 'runs', `${hash}.json`), JSON.stringify(record));
    }
    runs.push({ run, params, status, hash, epochs: epochsRun });
  }

  const manifest = {
    tool: { name: 'gradgrid', version: '0.1.0', engine: '1' },
    node: 'v20.20.2',
    platform: 'linux x64',
    packages: { 'csv-parse': '6.2.1', yaml: '2.9.1' },
    command: ['sweep', `experiments/${name}.yaml`, '--workers', '2'],
    experiment: {
      file: `experiments/${name}.yaml`,
      source: sourceYaml(name, description, epochs, recordEvery, sweep, options),
      parsed,
    },
    sweepKeys,
    ...(twoDimensional ? { point_sets: [{ x: pointsX, y: pointsY }] } : {}),
    runs: twoDimensional ? manifestRuns.map((entry) => ({ ...entry, points: 0 })) : manifestRuns,
    complete: options.complete ?? true,
    started_at: '2025-11-25T11:20:00.000Z',
    finished_at: '2025-11-25T11:20:03.456Z',
    wall_ms: 3456,
    workers: 2,
  };

  await writeFile(join(dir, 'summary.csv'), toCsv(summaryRows));
  await writeFile(join(dir, 'curves.csv'), curveChunks.join(''));
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, sweepKeys, runs };
}

/** A fresh temporary folder holding a result folder. */
export async function makeResultFolder(options: FixtureOptions = {}): Promise<FixtureFolder> {
  const dir = await mkdtemp(join(tmpdir(), 'gradgrid-report-'));
  return writeResultFolder(dir, options);
}
