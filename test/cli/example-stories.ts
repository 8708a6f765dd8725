// What the training-dynamics examples promise in their descriptions, checked on the result folder
// of a sweep of the example as it is (examples.test.ts runs them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { readCsv } from '../helpers/cli.js';

type Row = Record<string, string>;

/** The last recorded row of each run in curves.csv. */
function lastRows(out: string): Map<string, Row> {
  const last = new Map<string, Row>();
  for (const row of readCsv(join(out, 'curves.csv'))) last.set(row.run, row);
  return last;
}

const smallestDiverging = (rows: Row[]): number =>
  Math.min(...rows.filter((row) => row.status === 'diverged').map((row) => Number(row['train.learning_rate'])));

export const STORIES: Record<string, (out: string) => void> = {
  'optimizers-lr.yaml': (out) => {
    const summary = readCsv(join(out, 'summary.csv'));
    const of = (optimizer: string) => summary.filter((row) => row['train.optimizer'] === optimizer);
    // Momentum diverges at a smaller rate than sgd, Adam at a smaller one still.
    const [sgd, momentum, adam] = ['sgd', 'momentum', 'adam'].map((name) => smallestDiverging(of(name)));
    expect(adam).toBeLessThan(momentum);
    expect(momentum).toBeLessThan(sgd);
    // Every rate below those trains without blowing up.
    for (const [name, limit] of [['sgd', sgd], ['momentum', momentum], ['adam', adam]] as const) {
      expect(of(name).filter((row) => Number(row['train.learning_rate']) < limit).every((row) => row.status !== 'diverged')).toBe(true);
    }
    // Adam already trains at 0.001, where sgd hardly moves.
    const at = (name: string, rate: string) => Number(of(name).find((row) => row['train.learning_rate'] === rate)!.final_cost);
    expect(at('adam', '0.001')).toBeLessThan(0.75 * at('sgd', '0.001'));
  },

  'schedules.yaml': (out) => {
    const summary = readCsv(join(out, 'summary.csv'));
    const status = (schedule: string, warmup: string) =>
      summary.find((row) => row['train.schedule'] === schedule && row['train.warmup_epochs'] === warmup)!;
    expect(status('constant', '0').status).toBe('diverged');
    // Warmup alone only delays the blow-up.
    expect(status('constant', '20').status).toBe('diverged');
    expect(Number(status('constant', '20').epochs)).toBeGreaterThan(Number(status('constant', '0').epochs));
    for (const schedule of ['step', 'exponential', 'inverse-time']) {
      for (const warmup of ['0', '20']) expect(status(schedule, warmup).status, `${schedule} ${warmup}`).toBe('converged');
    }
    expect(status('cosine', '0').status).toBe('diverged');
    expect(status('cosine', '20').status).toBe('converged');
    // curves.csv has each epoch's rate: warmup starts at 0.25/20, the step schedule halves every 10 epochs.
    const curves = readCsv(join(out, 'curves.csv'));
    const rate = (run: string, epoch: string) => Number(curves.find((row) => row.run === run && row.epoch === epoch)!.learning_rate);
    const run = (schedule: string, warmup: string) => status(schedule, warmup).run;
    expect(rate(run('constant', '20'), '0')).toBe(0.25 / 20);
    expect(rate(run('constant', '0'), '5')).toBe(0.25);
    expect(rate(run('step', '0'), '25')).toBe(0.0625);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('data-chart="learning-rate"');
  },

  'iris-softmax.yaml': (out) => {
    const summary = readCsv(join(out, 'summary.csv'));
    expect(summary.every((row) => Number(row.test_accuracy) >= 90)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { runs: { classes?: string[] }[] };
    expect(manifest.runs.map((run) => run.classes)).toEqual(summary.map(() => ['setosa', 'versicolor', 'virginica']));
    // Adam fits the training flowers hardest.
    const cost = (optimizer: string) => Number(summary.find((row) => row['train.optimizer'] === optimizer)!.final_cost);
    expect(cost('adam')).toBeLessThan(cost('momentum'));
    expect(cost('momentum')).toBeLessThan(cost('sgd'));
  },

  'weight-decay.yaml': (out) => {
    const summary = readCsv(join(out, 'summary.csv'));
    const last = lastRows(out);
    const lambdas = summary.map((row) => row['train.weight_decay']);
    expect(lambdas).toEqual(['0', '0.001', '0.01', '0.03', '0.1']);
    // More decay, a higher training cost.
    const train = summary.map((row) => Number(row.final_cost));
    for (let k = 1; k < train.length; k++) expect(train[k]).toBeGreaterThan(train[k - 1]);
    // The test cost is lowest with some decay, not with none and not with the most.
    const test = (lambda: string) => Number(last.get(summary.find((row) => row['train.weight_decay'] === lambda)!.run)!.test_cost);
    expect(test('0.03')).toBeLessThan(0.5 * test('0'));
    expect(test('0.03')).toBeLessThan(test('0.1'));
    expect(Number(summary.find((row) => row['train.weight_decay'] === '0.1')!.train_accuracy)).toBeLessThan(80);
  },
};
