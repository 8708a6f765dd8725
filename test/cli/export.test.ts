// `gradgrid export`: the README's NumPy snippet, run on exported .npz files, reproduces what the
// engine computed — the training cost of the final weights to 1e-12, measured by a run that
// trained one epoch longer (its cost at epoch N is the cost of the N-epoch run's final weights) —
// and its accuracy; JSON holds the same numbers; bad requests are refused with exit code 2.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv, ROOT, runCli, workspace, type CliResult } from '../helpers/cli.js';
import { exportInProcess } from '../helpers/in-process-commands.js';
import { sweepInProcess } from '../helpers/in-process.js';
import { haveNumpy, python, skipNotice } from '../helpers/python.js';

const EPOCHS = 300;
const EXPERIMENT = `name: export-check
seed: 48
dataset: { builtin: xor }
model: [{ linear: 3 }, sigmoid, { linear: 1 }, sigmoid]
loss: squared_error
train: { epochs: ${EPOCHS}, learning_rate: 1 }
sweep:
  model:
    named:
      blog: [{ linear: 3 }, sigmoid, { linear: 1 }, sigmoid]
      deep: [{ linear: 4, init: he }, tanh, { linear: 3 }, leaky_relu, { linear: 1 }, sigmoid]
      wide: [{ linear: 6, init: he }, relu, { linear: 2 }, identity, { linear: 1 }, sigmoid]
  loss: [squared_error, bce, bce_keras]
  train.epochs: [${EPOCHS}, ${EPOCHS + 1}]
`;
/** XOR as two classes: two outputs, a softmax and the cross-entropy on one-hot targets. */
const SOFTMAX_EXPERIMENT = `name: export-softmax
seed: 3
dataset: { builtin: xor }
model: [{ linear: 3 }, tanh, { linear: 2 }, softmax]
loss: cross_entropy
train: { epochs: ${EPOCHS}, learning_rate: 0.5 }
sweep:
  train.epochs: [${EPOCHS}, ${EPOCHS + 1}]
`;
/** The file name the README's snippet loads, replaced by each exported file. */
const README_PATH = 'results/xor-lr/weights-run4.npz';

let dir: string;
let summary: Record<string, string>[];
let softmaxSummary: Record<string, string>[];
/** Each exported run (every other row: the one trained EPOCHS epochs) beside the run trained one epoch longer. */
let pairs: { folder: string; run: Record<string, string>; longer: Record<string, string> }[];
/** The README's own steps for xor-lr at one learning rate: `gradgrid export` through the CLI. */
let readmeExport: CliResult;
/** What the snippet gave in NumPy, by exported file. */
let measured: Map<string, { printed: string; cost?: number; accuracy?: number }>;

/** The first ```python block of the README: the export snippet. */
function readmeSnippet(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = /```python\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README.md has no python snippet');
  return match[1];
}

const fileOf = ({ folder, run }: (typeof pairs)[number]) => `${folder}-run${run.run}.npz`;

beforeAll(async () => {
  dir = workspace();
  writeFileSync(join(dir, 'export.yaml'), EXPERIMENT);
  writeFileSync(join(dir, 'snippet.py'), readmeSnippet());
  // The sweeps only make result folders to export from: in-process.
  expect(await sweepInProcess(dir, 'export.yaml', { out: 'out', workers: 2 })).toBe(0);
  summary = readCsv(join(dir, 'out/summary.csv'));
  expect(summary).toHaveLength(18);
  writeFileSync(join(dir, 'softmax.yaml'), SOFTMAX_EXPERIMENT);
  expect(await sweepInProcess(dir, 'softmax.yaml', { out: 'soft', workers: 2 })).toBe(0);
  softmaxSummary = readCsv(join(dir, 'soft/summary.csv'));
  if (!haveNumpy) return;
  expect(await sweepInProcess(dir, 'experiments/xor-lr.yaml', { out: 'xor', set: ['sweep.train.learning_rate=[1]'] })).toBe(0);

  pairs = [
    ...summary.flatMap((row, i) => (i % 2 === 0 ? [{ folder: 'out', run: row, longer: summary[i + 1] }] : [])),
    { folder: 'soft', run: softmaxSummary[0], longer: softmaxSummary[1] },
  ];
  // What is read back is the exported files: in-process, but for the README's own command.
  for (const pair of pairs) {
    const exported = await exportInProcess(dir, pair.folder, { run: [Number(pair.run.run)], data: true, out: fileOf(pair) });
    expect(exported.code, exported.stderr).toBe(0);
  }
  readmeExport = await runCli(['export', 'xor', '--out', 'xor-lr1.npz'], { cwd: dir });
  // The snippet on every file in one python process (NumPy loads once).
  const files = [...pairs.map(fileOf), 'xor-lr1.npz'];
  const results = JSON.parse(python([join(ROOT, 'test/python/check_weights.py'), 'snippet.py', README_PATH, ...files], { cwd: dir })) as {
    file: string;
    printed: string;
    cost?: number;
    accuracy?: number;
  }[];
  measured = new Map(results.map((result) => [result.file, result]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
skipNotice('reading exported weights back in NumPy');

describe('gradgrid export', () => {
  it.skipIf(!haveNumpy)('the README snippet reproduces the training cost of the final weights to 1e-12, and the accuracy', () => {
    const checked: string[] = [];
    let worst = 0;
    for (const pair of pairs) {
      const { folder, run, longer } = pair;
      expect([run['train.epochs'], longer['train.epochs']]).toEqual([String(EPOCHS), String(EPOCHS + 1)]);
      const { cost, accuracy } = measured.get(fileOf(pair))!;
      const expected = Number(longer.final_cost);
      const where = `${folder} run ${run.run} (${run.model ?? 'softmax'}, ${run.loss ?? 'cross_entropy'})`;
      expect(cost, where).toBeTypeOf('number');
      const error = Math.abs(cost! - expected) / expected;
      worst = Math.max(worst, error);
      expect(error, `${where}: NumPy ${cost}, engine ${expected}`).toBeLessThanOrEqual(1e-12);
      expect(accuracy, where).toBe(Number(run.train_accuracy));
      checked.push(where);
    }
    expect(checked).toHaveLength(10);
    console.log(`exported weights in NumPy: worst relative error of the training cost ${worst.toExponential(2)} over ${checked.length} runs`);
  });

  it.skipIf(!haveNumpy)("prints what the README says for run 4 of xor-lr", () => {
    expect(readmeExport.code, readmeExport.stderr).toBe(0);
    expect(readmeExport.stdout).toMatch(/^Exported run 1 to xor-lr1\.npz: W1, b1, W2, b2, meta\n$/);
    const promised = /print\(predict\(X\)\.round\(3\)\)\s+# (\[\[.*\]\])/.exec(readmeSnippet())?.[1];
    expect(promised).toBeDefined();
    expect(measured.get('xor-lr1.npz')!.printed.trim()).toBe(promised);
  });

  it('writes JSON with the same names and the record\'s numbers; several runs are prefixed', async () => {
    // Runs 7 and 8: the deep model with squared_error, trained 300 and 301 epochs.
    const result = await exportInProcess(dir, 'out', { run: [7, 8], out: 'two.json' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Exported 2 runs to ${join(dir, 'two.json')}`);
    const exported = JSON.parse(readFileSync(join(dir, 'two.json'), 'utf8'));
    const names = (run: number) => ['W1', 'b1', 'W2', 'b2', 'W3', 'b3', 'meta'].map((name) => `run${run}/${name}`);
    expect(Object.keys(exported)).toEqual([...names(7), ...names(8)]);
    const manifest = JSON.parse(readFileSync(join(dir, 'out/manifest.json'), 'utf8'));
    const record = JSON.parse(readFileSync(join(dir, 'out/runs', `${manifest.runs[6].hash}.json`), 'utf8'));
    expect(exported['run7/W1']).toEqual(record.parameters[0].weights);
    expect(exported['run7/b3']).toEqual(record.parameters[2].bias);
    // Column-major shapes: W is (units, inputs), b is (units, 1).
    expect([exported['run7/W1'].length, exported['run7/W1'][0].length]).toEqual([4, 2]);
    expect([exported['run7/W2'].length, exported['run7/W2'][0].length]).toEqual([3, 4]);
    expect(exported['run7/b2'].map((row: number[]) => row.length)).toEqual([1, 1, 1]);
    const meta = exported['run7/meta'];
    expect(meta.graph).toEqual([{ W: 'W1', b: 'b1' }, 'tanh', { W: 'W2', b: 'b2' }, 'leaky_relu', { W: 'W3', b: 'b3' }, 'sigmoid']);
    expect(meta).toMatchObject({ run: 7, hash: manifest.runs[6].hash, loss: 'squared_error', features: ['x1', 'x2'], epochs: EPOCHS });
    expect(meta.settings).toEqual(manifest.runs[6].experiment);
  });

  it("names a softmax model's classes, the order of its outputs", async () => {
    const result = await exportInProcess(dir, 'soft', { run: [1], format: 'json', out: 'soft.json' });
    expect(result.code, result.stderr).toBe(0);
    const exported = JSON.parse(readFileSync(join(dir, 'soft.json'), 'utf8'));
    expect(exported.meta).toMatchObject({ loss: 'cross_entropy', classes: ['0', '1'] });
    expect(exported.meta.graph).toEqual([{ W: 'W1', b: 'b1' }, 'tanh', { W: 'W2', b: 'b2' }, 'softmax']);
    expect(exported.W2).toHaveLength(2);
  });

  it('refuses runs that are not there or have no weights, and folders that are not result folders', async () => {
    // The command's own refusal in-process; through the CLI, the folder as typed and an unknown format (the argument parser's).
    const missing = await exportInProcess(dir, 'out', { run: [99] });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error: there is no run 99; the runs are 1 to 18\n');
    const nowhere = await runCli(['export', 'nowhere'], { cwd: dir });
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/^error: nowhere is not a gradgrid result folder/);
    const badFormat = await runCli(['export', 'out', '--format', 'csv'], { cwd: dir });
    expect(badFormat.code).toBe(2);
  });
});
