// Shared by the JavaScript peers: argument parsing, the data of both trainings, and the timing
// rule (median over repeats of the time per epoch, after one warm-up repeat).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);

/** `--name value` pairs; numbers where they parse as numbers. */
export function parseArgs(argv = process.argv.slice(2)) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    const value = argv[i + 1];
    args[key] = value !== undefined && value !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
  }
  if (typeof args.spiral !== 'string') throw new Error('--spiral FILE is required');
  return args;
}

/** The blog's XOR gate as examples: x is [x1, x2], y is [target]. */
export const XOR_EXAMPLES = [
  { x: [0, 0], y: [0] },
  { x: [0, 1], y: [1] },
  { x: [1, 0], y: [1] },
  { x: [1, 1], y: [0] },
];

/** The bench's spiral file, { x: [[x1...], [x2...]], y: [[y...]] }, as examples. */
export function loadSpiralExamples(path) {
  const { x, y } = JSON.parse(readFileSync(path, 'utf8'));
  return y[0].map((target, i) => ({ x: x.map((row) => row[i]), y: [target] }));
}

export function packageVersion(name) {
  return require(`${name}/package.json`).version;
}

/**
 * Runs `train(epochs)` warm-up + `repeats` times; returns the median time per epoch in
 * milliseconds and every repeat's value. `train` returns its final cost (or anything printable).
 */
export async function timeTraining(train, epochs, repeats) {
  const perEpochMs = [];
  let last;
  for (let r = 0; r <= repeats; r++) {
    const start = performance.now();
    last = await train(epochs);
    const elapsed = performance.now() - start;
    if (r > 0) perEpochMs.push(elapsed / epochs);
  }
  const sorted = [...perEpochMs].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)], repeatsMs: perEpochMs, last };
}

/** The one line the bench reads: the result as JSON, last on stdout. */
export function printResult(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
