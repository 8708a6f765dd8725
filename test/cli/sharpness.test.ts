// Sharpness tracking end to end: experiments/xor-sharpness.yaml swept by the CLI's own commands
// (in-process: what is checked is the files they write) shows what its description promises,
// gives the same bytes on 1 and 2 workers, is verified and reported; a softmax model (iris,
// cross_entropy) tracks it too; an experiment without `track` writes exactly the columns it always
// had.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv, workspace } from '../helpers/cli.js';
import { validateInProcess, verifyInProcess } from '../helpers/in-process-commands.js';
import { sweepInProcess } from '../helpers/in-process.js';

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function tempWorkspace(): string {
  const dir = workspace();
  folders.push(dir);
  return dir;
}

/** The three iris species through a softmax, with the sharpness tracked every 10 epochs. */
const IRIS_SOFTMAX_SHARPNESS = `name: iris-softmax-sharpness
seed: 7
dataset:
  builtin: iris
  shuffle: 48
  test_fraction: 0.2
model:
  - { linear: 8, init: xavier }
  - tanh
  - { linear: 3, init: xavier }
  - softmax
loss: cross_entropy
train:
  epochs: 60
  record_every: 5
track:
  sharpness: { every: 10 }
sweep:
  train.learning_rate: [0.05, 0.5]
`;

/** A sweep with its report. */
async function sweep(dir: string, file: string, out: string, workers: number): Promise<void> {
  expect(await sweepInProcess(dir, file, { out, workers, report: true })).toBe(0);
}

/** The longest stretch of consecutive indices where `inside(i)` holds: [first, last], or null. */
function longestStretch(n: number, inside: (i: number) => boolean): [number, number] | null {
  let best: [number, number] | null = null;
  let start = -1;
  for (let i = 0; i <= n; i++) {
    if (i < n && inside(i)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (best === null || i - 1 - start > best[1] - best[0]) best = [start, i - 1];
      start = -1;
    }
  }
  return best;
}

describe('sharpness tracking through the sweep command', () => {
  it('xor-sharpness.yaml: the sharpness rises to 2/η and hovers there; same bytes on 1 and 2 workers', async () => {
    const dir = tempWorkspace();
    await sweep(dir, 'experiments/xor-sharpness.yaml', 'one', 1);
    expect(await sweepInProcess(dir, 'experiments/xor-sharpness.yaml', { out: 'two', workers: 2 })).toBe(0);
    for (const file of ['curves.csv', 'summary.csv']) {
      expect(readFileSync(join(dir, 'two', file), 'utf8'), file).toBe(readFileSync(join(dir, 'one', file), 'utf8'));
    }

    const summary = readCsv(join(dir, 'one/summary.csv'));
    expect(Object.keys(summary[0]).slice(-4)).toEqual(['error', 'final_sharpness', 'max_sharpness', 'hash']);
    const curves = readCsv(join(dir, 'one/curves.csv'));
    expect(Object.keys(curves[0])).toEqual(['run', 'train.learning_rate', 'epoch', 'cost', 'sharpness']);
    const series = (lr: string) => {
      const rows = curves.filter((row) => row['train.learning_rate'] === lr);
      return { sharpness: rows.map((row) => Number(row.sharpness)), cost: rows.map((row) => Number(row.cost)) };
    };
    for (const row of summary) {
      const { sharpness } = series(row['train.learning_rate']);
      expect(sharpness).toHaveLength(300);
      expect(Number(row.final_sharpness)).toBe(sharpness[299]);
      expect(Number(row.max_sharpness)).toBe(Math.max(...sharpness));
    }

    // η = 1: far below its limit 2/η = 2 all along.
    expect(Math.max(...series('1').sharpness)).toBeLessThan(0.1 * 2);

    // η = 10: progressive sharpening: it climbs by about half, yet stays below 2/η = 0.2.
    const ten = series('10').sharpness;
    const peak = ten.indexOf(Math.max(...ten));
    expect(ten[peak] / Math.min(...ten.slice(0, peak))).toBeGreaterThan(1.4);
    expect(ten[peak]).toBeLessThan(0.2);

    // η = 40: starts above 2/η = 0.05, is thrown into flatter ground, climbs back and hovers at
    // the limit for dozens of epochs while the cost falls.
    const limit = 2 / 40;
    const { sharpness: forty, cost } = series('40');
    expect(forty[0]).toBeGreaterThan(1.5 * limit);
    const hover = longestStretch(forty.length, (i) => forty[i] > 0.7 * limit && forty[i] < 1.3 * limit);
    expect(hover).not.toBeNull();
    const [from, to] = hover!;
    expect(to - from + 1).toBeGreaterThanOrEqual(30);
    expect(Math.min(...forty.slice(0, from))).toBeLessThan(0.5 * limit);
    // Around the line, not under it: values on both sides of 2/η.
    const around = forty.slice(from, to + 1);
    expect(around.filter((s) => s > limit).length).toBeGreaterThan(5);
    expect(around.filter((s) => s < limit).length).toBeGreaterThan(5);
    expect(cost[to]).toBeLessThan(0.7 * cost[from]);

    // The report shows it with the threshold and says how to read it.
    const html = readFileSync(join(dir, 'one/report.html'), 'utf8');
    expect(html).toContain('<section id="sharpness">');
    expect(html).toMatch(/<figure class="chart" data-chart="sharpness" data-series="3"/);
    expect(html).toContain('stability threshold 2/η');
    expect(html).toContain('edge of stability');

    const verify = await verifyInProcess(dir, 'one');
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('a softmax model on iris: the sharpness column at every 10th epoch, verified and reported', async () => {
    const dir = tempWorkspace();
    writeFileSync(join(dir, 'experiments/iris-sharpness.yaml'), IRIS_SOFTMAX_SHARPNESS);
    const validate = await validateInProcess(dir, 'experiments/iris-sharpness.yaml');
    expect(validate.code, validate.stderr).toBe(0);
    await sweep(dir, 'experiments/iris-sharpness.yaml', 'iris', 1);

    const summary = readCsv(join(dir, 'iris/summary.csv'));
    expect(summary.map((row) => row.status)).not.toContain('failed');
    expect(Object.keys(summary[0]).slice(-4)).toEqual(['error', 'final_sharpness', 'max_sharpness', 'hash']);
    const curves = readCsv(join(dir, 'iris/curves.csv'));
    expect(Object.keys(curves[0])).toEqual(['run', 'train.learning_rate', 'epoch', 'cost', 'test_cost', 'sharpness']);
    const byRate = (lr: string) => curves.filter((row) => row['train.learning_rate'] === lr);
    for (const row of summary) {
      const rows = byRate(row['train.learning_rate']);
      // Recorded every 5 epochs and at the last (59); computed at the recorded multiples of 10.
      expect(rows.filter((r) => r.sharpness !== '').map((r) => Number(r.epoch))).toEqual([0, 10, 20, 30, 40, 50]);
      const values = rows.filter((r) => r.sharpness !== '').map((r) => Number(r.sharpness));
      for (const value of values) expect(value).toBeGreaterThan(0);
      expect(Number(row.final_sharpness)).toBe(values[values.length - 1]);
      expect(Number(row.max_sharpness)).toBe(Math.max(...values));
    }
    // The same initial weights, the same sharpness. For η = 0.5 it starts just above 2/η = 4, and
    // the first steps throw that run onto flatter ground, below its limit.
    const first = (lr: string) => Number(byRate(lr)[0].sharpness);
    expect(first('0.5')).toBe(first('0.05'));
    expect(first('0.5')).toBeGreaterThan(2 / 0.5);
    expect(Number(byRate('0.5').find((r) => r.epoch === '10')!.sharpness)).toBeLessThan(2 / 0.5);

    expect(readFileSync(join(dir, 'iris/report.html'), 'utf8')).toContain('<section id="sharpness">');
    const verify = await verifyInProcess(dir, 'iris');
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('an experiment without track keeps its columns; validate locates a bad track setting', async () => {
    const dir = tempWorkspace();
    await sweep(dir, 'experiments/or-gate.yaml', 'or', 1);
    const header = (file: string) => readFileSync(join(dir, 'or', file), 'utf8').split('\n')[0];
    expect(header('curves.csv')).toBe('run,train.learning_rate,epoch,cost');
    expect(header('summary.csv')).toBe('run,train.learning_rate,status,epochs,final_cost,min_cost,train_accuracy,test_accuracy,error,hash');
    expect(readFileSync(join(dir, 'or/report.html'), 'utf8')).not.toContain('id="sharpness"');
    const { hash } = JSON.parse(readFileSync(join(dir, 'or/manifest.json'), 'utf8')).runs[0];
    const record = JSON.parse(readFileSync(join(dir, 'or/runs', `${hash}.json`), 'utf8'));
    expect(Object.keys(record)).not.toContain('finalSharpness');
    expect(readFileSync(join(dir, 'or/runs', `${hash}.curve.csv`), 'utf8').split('\n')[0]).toBe('epoch,cost');

    const source = readFileSync(join(dir, 'experiments/or-gate.yaml'), 'utf8');
    const bad = join(dir, 'experiments/bad-track.yaml');
    writeFileSync(bad, `${source}track:\n  sharpness: { every: 0, max_iteration: 5 }\n`);
    const result = await validateInProcess(dir, 'experiments/bad-track.yaml');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad-track\.yaml:\d+:\d+ {2}track\.sharpness\.every: expected an integer from 1/);
    expect(result.stderr).toMatch(/track\.sharpness\.max_iteration: unknown setting; did you mean "max_iterations"\?/);
  });
});
