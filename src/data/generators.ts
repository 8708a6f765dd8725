// Two-dimensional toy problems in the manner of TensorFlow Playground (circle, spiral, two
// gaussians, xor quadrants), drawn from NumPy's legacy generator so that each one is a pure
// function of (samples, noise, seed) and can be redrawn in NumPy:
//   uniform(a, b) = a + (b - a) * random_sample()      (= np.random.uniform(a, b))
//   normal        = randn()                             (= np.random.randn())
// Draws happen in the order documented on each generator, point after point. The noise draws are
// made even when noise is 0, so changing only the noise keeps every other draw the same.
// Labels are 0/1; classes come in blocks (label 1 first), so shuffle before a train/test split.

import { RandomState } from '../nn/rng.js';
import type { DatasetProblem } from './errors.js';
import { seedProblems } from './shuffle-split.js';
import type { LabelledData } from './types.js';

export type GeneratorName = 'circle' | 'spiral' | 'gaussians' | 'xor-quadrants';

export interface GeneratorOptions {
  /** Number of examples (default 200). Two-class generators put ceil(n/2) in class 1. */
  samples: number;
  /** Playground's noise scale, usually 0..0.5 (default 0.1). */
  noise: number;
  /** Seed of the generator's own RandomState (default 0). */
  seed: number;
}

export const GENERATOR_DEFAULTS: GeneratorOptions = { samples: 200, noise: 0.1, seed: 0 };

type Point = [number, number, number]; // x1, x2, label

function uniform(rng: RandomState, a: number, b: number): number {
  return a + (b - a) * rng.randomSample();
}

/** Class sizes for two blocks: label 1 gets the extra point when n is odd. */
function halves(n: number): [number, number] {
  return [Math.ceil(n / 2), Math.floor(n / 2)];
}

const CIRCLE_RADIUS = 5;

/**
 * Label 1 inside radius 2.5, label 0 in the ring 3.5..5. Per point: r, angle, noise x, noise y.
 * The label is decided on the point moved by the noise (so noise flips labels near the edge)
 * while the stored point is the unmoved one, as in the Playground.
 */
function circle(rng: RandomState, { samples, noise }: GeneratorOptions): Point[] {
  const points: Point[] = [];
  const [inner, outer] = halves(samples);
  const draw = (count: number, rMin: number, rMax: number) => {
    for (let i = 0; i < count; i++) {
      const r = uniform(rng, rMin, rMax);
      const angle = uniform(rng, 0, 2 * Math.PI);
      const x = r * Math.sin(angle);
      const y = r * Math.cos(angle);
      const nx = uniform(rng, -CIRCLE_RADIUS, CIRCLE_RADIUS) * noise;
      const ny = uniform(rng, -CIRCLE_RADIUS, CIRCLE_RADIUS) * noise;
      const inside = Math.hypot(x + nx, y + ny) < CIRCLE_RADIUS * 0.5;
      points.push([x, y, inside ? 1 : 0]);
    }
  };
  draw(inner, 0, CIRCLE_RADIUS * 0.5);
  draw(outer, CIRCLE_RADIUS * 0.7, CIRCLE_RADIUS);
  return points;
}

/**
 * Two interleaved arms of 1.75 turns out to radius 5: label 1 from angle 0, label 0 rotated by
 * pi. Point i of an arm of n: r = 5 i / n, t = 3.5 pi i / n (+ pi); per point two draws,
 * uniform(-1, 1) * noise added to x then y.
 */
function spiral(rng: RandomState, { samples, noise }: GeneratorOptions): Point[] {
  const points: Point[] = [];
  const [ones, zeros] = halves(samples);
  const arm = (count: number, turn: number, label: number) => {
    for (let i = 0; i < count; i++) {
      const r = (i / count) * 5;
      const t = ((1.75 * i) / count) * 2 * Math.PI + turn;
      const x = r * Math.sin(t) + uniform(rng, -1, 1) * noise;
      const y = r * Math.cos(t) + uniform(rng, -1, 1) * noise;
      points.push([x, y, label]);
    }
  };
  arm(ones, 0, 1);
  arm(zeros, Math.PI, 0);
  return points;
}

/**
 * Label 1 around (2, 2), label 0 around (-2, -2), variance 0.5 + 7 noise (the Playground maps
 * noise 0..0.5 linearly to variance 0.5..4). Per point: randn for x, then for y.
 */
function gaussians(rng: RandomState, { samples, noise }: GeneratorOptions): Point[] {
  const points: Point[] = [];
  const sd = Math.sqrt(0.5 + 7 * noise);
  const [ones, zeros] = halves(samples);
  const blob = (count: number, centre: number, label: number) => {
    for (let i = 0; i < count; i++) {
      const x = centre + sd * rng.randn();
      const y = centre + sd * rng.randn();
      points.push([x, y, label]);
    }
  };
  blob(ones, 2, 1);
  blob(zeros, -2, 0);
  return points;
}

const XOR_PADDING = 0.3;

/**
 * Uniform points in [-5, 5]^2 pushed 0.3 away from both axes; label 1 when x1 * x2 >= 0 for the
 * point moved by the noise. Per point: x, y, noise x, noise y (noise draws in [-5, 5] * noise).
 */
function xorQuadrants(rng: RandomState, { samples, noise }: GeneratorOptions): Point[] {
  const points: Point[] = [];
  const pad = (v: number) => v + (v > 0 ? XOR_PADDING : -XOR_PADDING);
  for (let i = 0; i < samples; i++) {
    const x = pad(uniform(rng, -5, 5));
    const y = pad(uniform(rng, -5, 5));
    const nx = uniform(rng, -5, 5) * noise;
    const ny = uniform(rng, -5, 5) * noise;
    points.push([x, y, (x + nx) * (y + ny) >= 0 ? 1 : 0]);
  }
  return points;
}

const GENERATORS: Record<GeneratorName, (rng: RandomState, options: GeneratorOptions) => Point[]> = {
  circle,
  spiral,
  gaussians,
  'xor-quadrants': xorQuadrants,
};

/** X (2 x samples) with features x1, x2 and Y (1 x samples) of 0/1 labels. */
export function generateDataset(name: GeneratorName, options: GeneratorOptions): LabelledData {
  const points = GENERATORS[name](new RandomState(options.seed), options);
  const m = points.length;
  const x = new Float64Array(2 * m);
  const y = new Float64Array(m);
  points.forEach(([x1, x2, label], i) => {
    x[i] = x1;
    x[m + i] = x2;
    y[i] = label;
  });
  return { x: { rows: 2, cols: m, data: x }, y: { rows: 1, cols: m, data: y }, featureNames: ['x1', 'x2'] };
}

/** Problems with a generator's settings (each is optional; defaults fill the rest). */
export function generatorSettingProblems({ samples, noise, seed }: Partial<GeneratorOptions>): DatasetProblem[] {
  const problems: DatasetProblem[] = [];
  if (samples !== undefined && !(Number.isInteger(samples) && samples >= 1)) {
    problems.push({ problem: `samples must be a positive integer, got ${samples}`, setting: ['samples'] });
  }
  if (noise !== undefined && !(Number.isFinite(noise) && noise >= 0)) {
    problems.push({ problem: `noise must be a finite number >= 0, got ${noise}`, setting: ['noise'] });
  }
  if (seed !== undefined) problems.push(...seedProblems(seed, 'seed'));
  return problems;
}
