// Random search end to end, with the CLI's own commands in-process: the same file gives the same
// runs and bytes twice and on 1 or 2 workers, and a larger `samples` with the same seed trains
// only the new runs.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCsv, workspace } from '../helpers/cli.js';
import { sweepCaptured, validateInProcess } from '../helpers/in-process-commands.js';
import { sweepInProcess } from '../helpers/in-process.js';

const experiment = (samples: number) => `name: xor-search
seed: 48
dataset: { builtin: xor }
model: [{ linear: 3 }, sigmoid, { linear: 1 }, sigmoid]
loss: squared_error
train: { epochs: 300, learning_rate: 1 }
search:
  random: { samples: ${samples}, seed: 11 }
sweep:
  train.learning_rate: { loguniform: [0.05, 50] }
  model.0.linear: { int_uniform: [2, 4] }
  model.1: [sigmoid, tanh]
`;

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function setUp(samples: number): string {
  const dir = workspace();
  dirs.push(dir);
  writeFileSync(join(dir, 'search.yaml'), experiment(samples));
  return dir;
}

const bytes = (dir: string, out: string, name: string) => readFileSync(join(dir, out, name));

describe('random search from the command line', () => {
  it('gives the same runs and the same bytes twice and on 1 or 2 workers', async () => {
    const dir = setUp(14);
    // In-process: what is compared is the files, not what the terminal shows.
    for (const [out, workers] of [['a', 1], ['b', 2], ['c', 2]] as const) {
      expect(await sweepInProcess(dir, 'search.yaml', { out, workers })).toBe(0);
    }
    for (const name of ['summary.csv', 'curves.csv']) {
      expect(bytes(dir, 'a', name).equals(bytes(dir, 'b', name)), name).toBe(true);
      expect(bytes(dir, 'a', name).equals(bytes(dir, 'c', name)), name).toBe(true);
    }
    const summary = readCsv(join(dir, 'a/summary.csv'));
    expect(summary.length).toBeGreaterThan(8);
    // Continuous axes are numeric columns; the list axis keeps its names.
    for (const row of summary) {
      expect(Number(row['train.learning_rate'])).toBeGreaterThanOrEqual(0.05);
      expect(Number(row['train.learning_rate'])).toBeLessThanOrEqual(50);
      expect(['2', '3', '4']).toContain(row['model.0.linear']);
      expect(['sigmoid', 'tanh']).toContain(row['model.1']);
    }
    const manifest = JSON.parse(bytes(dir, 'a', 'manifest.json').toString('utf8'));
    expect(manifest.experiment.parsed.search).toEqual({ random: { samples: 14, seed: 11 } });
    expect(manifest.runs.flatMap((run: { samples: number[] }) => run.samples).sort((x: number, y: number) => x - y)).toEqual(
      Array.from({ length: 14 }, (_, i) => i + 1),
    );
    const validate = await validateInProcess(dir, 'search.yaml');
    expect(validate.stdout).toContain(`${summary.length} runs from 14 random samples`);
  });

  it('reuses every run of a smaller search when samples grows', async () => {
    const dir = setUp(6);
    // In-process, what the sweep says captured.
    const small = await sweepCaptured(dir, 'search.yaml', { out: 'out' });
    expect(small.code, small.stderr).toBe(0);
    const smallSummary = readCsv(join(dir, 'out/summary.csv'));

    writeFileSync(join(dir, 'search.yaml'), experiment(20));
    const large = await sweepCaptured(dir, 'search.yaml', { out: 'out' });
    expect(large.code, large.stderr).toBe(0);
    const largeSummary = readCsv(join(dir, 'out/summary.csv'));
    expect(largeSummary.length).toBeGreaterThan(smallSummary.length);
    // The smaller search's rows are the first rows of the larger one, hash for hash.
    expect(largeSummary.slice(0, smallSummary.length)).toEqual(smallSummary);
    expect(large.stdout).toContain(`(${smallSummary.length} runs reused`);
    const manifest = JSON.parse(bytes(dir, 'out', 'manifest.json').toString('utf8'));
    expect(manifest.runs.map((run: { reused: boolean }) => run.reused)).toEqual(largeSummary.map((_, i) => i < smallSummary.length));
  });
});
