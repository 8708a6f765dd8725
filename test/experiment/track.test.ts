// `track` in the experiment file: defaults as the engine's, located errors, sweepable, and no
// trace in experiments that leave it out (their run hashes stay what they were).
import { describe, expect, it } from 'vitest';
import { expandGrid, parseExperiment } from '../../src/experiment/index.js';
import { SHARPNESS_DEFAULTS } from '../../src/nn/sharpness.js';
import { FILE, MINIMAL, onlyIssue } from './helpers.js';

const load = (source: string) => parseExperiment(source, FILE, { baseDir: '/work/exp' });

describe('track', () => {
  it('fills in the engine defaults of track.sharpness', () => {
    const { experiment } = load(`${MINIMAL}track:\n  sharpness: { every: 5 }\n`);
    expect(experiment.track).toEqual({ sharpness: { every: 5, ...SHARPNESS_DEFAULTS } });
  });

  it('adds nothing to an experiment without it, and changes the hash of one with it', () => {
    const [plain] = expandGrid(load(MINIMAL));
    expect(Object.keys(plain.experiment)).not.toContain('track');
    const [tracked] = expandGrid(load(`${MINIMAL}track:\n  sharpness: { every: 5 }\n`));
    expect(tracked.hash).not.toBe(plain.hash);
    // Writing the defaults out is the same run as leaving them out.
    const [explicit] = expandGrid(load(`${MINIMAL}track:\n  sharpness: { every: 5, max_iterations: 100, tolerance: 1.0e-6 }\n`));
    expect(explicit.hash).toBe(tracked.hash);
  });

  it('reports bad settings at their place', () => {
    const every = onlyIssue(`${MINIMAL}track:\n  sharpness: { every: 2.5 }\n`);
    expect(every).toMatchObject({ path: 'track.sharpness.every', line: 14, column: 23 });
    expect(onlyIssue(`${MINIMAL}track:\n  sharpness: { every: 1, tolerance: 2 }\n`).path).toBe('track.sharpness.tolerance');
    expect(onlyIssue(`${MINIMAL}track:\n  sharpness: {}\n`)).toMatchObject({ path: 'track.sharpness.every', message: expect.stringMatching(/required setting is missing/) });
    expect(onlyIssue(`${MINIMAL}track:\n  sharpnes: { every: 1 }\n`).suggestion).toBe('sharpness');
  });

  it('can be swept', () => {
    const runs = expandGrid(load(`${MINIMAL}track:\n  sharpness: { every: 5 }\nsweep:\n  track.sharpness.every: [1, 10]\n`));
    expect(runs.map((run) => run.experiment.track?.sharpness?.every)).toEqual([1, 10]);
  });
});
