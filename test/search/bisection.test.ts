// The bisection of one grid point, driven by made-up verdicts: where the limit is, how the rounds
// look, and how it says that the limit lies outside the range searched.
import { describe, expect, it } from 'vitest';
import { INTERIOR_PROBES, LimitBisection, maxProbes, maxRounds, type LimitSettings, type ProbeVerdict } from '../../src/search/index.js';

/** Runs a search to its end; `verdict` decides each probe. Returns the result and every round. */
function search(settings: LimitSettings, verdict: (value: number) => ProbeVerdict) {
  const bisection = new LimitBisection(settings);
  const rounds: number[][] = [];
  for (let round = bisection.nextRound(); round.length > 0; round = bisection.nextRound()) {
    rounds.push(round);
    for (const value of round) bisection.record(value, verdict(value));
  }
  return { result: bisection.result(), rounds };
}

const below = (limit: number) => (value: number): ProbeVerdict => (value < limit ? 'stable' : 'beyond');
const SETTINGS: LimitSettings = { low: 1e-3, high: 100, tolerance: 0.01 };

describe('the stability-limit bisection', () => {
  it('brackets the limit within the tolerance, with a fixed number of log-evenly spaced probes per round', () => {
    for (const limit of [0.00123, 0.2159, 0.37, 1, 42.5, 99.9]) {
      const { result, rounds } = search(SETTINGS, below(limit));
      expect(result.outcome).toBe('bracketed');
      expect(result.stableMax!).toBeLessThan(limit);
      expect(result.unstableMin!).toBeGreaterThanOrEqual(limit);
      expect(result.unstableMin! / result.stableMax!).toBeLessThanOrEqual(1 + SETTINGS.tolerance);
      expect(result.note).toBe('');

      // Round 1: low, high and the values between them; later rounds: strictly inside the bracket.
      expect(rounds[0]).toHaveLength(INTERIOR_PROBES + 2);
      expect(rounds[0][0]).toBe(SETTINGS.low);
      expect(rounds[0].at(-1)).toBe(SETTINGS.high);
      for (const round of rounds.slice(1)) expect(round).toHaveLength(INTERIOR_PROBES);
      for (const round of rounds) {
        const logs = round.map(Math.log);
        const steps = logs.slice(1).map((value, i) => value - logs[i]);
        for (const step of steps) expect(step).toBeCloseTo(steps[0], 9);
      }
      expect(result.probes).toBe(rounds.flat().length);
      expect(rounds.length).toBe(maxRounds(SETTINGS));
      expect(result.probes).toBe(maxProbes(SETTINGS));
    }
  });

  it('shrinks the bracket to a quarter of its log-width per round', () => {
    const { rounds } = search(SETTINGS, below(0.37));
    // Every later round splits the previous bracket, which is one of the previous round's gaps.
    const width = (round: number[]) => Math.log(round[1] / round[0]);
    for (let r = 1; r < rounds.length; r++) {
      expect(width(rounds[r])).toBeCloseTo(width(rounds[r - 1]) / (INTERIOR_PROBES + 1), 9);
    }
  });

  it('says so when low is already beyond the limit, or high still stable, after one round', () => {
    const low = search(SETTINGS, below(1e-4));
    expect(low.rounds).toHaveLength(1);
    expect(low.result).toMatchObject({ outcome: 'low_beyond_limit', stableMax: null, unstableMin: SETTINGS.low, probes: 5 });
    expect(low.result.note).toMatch(/already beyond the limit at low = 0\.001/);

    const high = search(SETTINGS, below(1e4));
    expect(high.rounds).toHaveLength(1);
    expect(high.result).toMatchObject({ outcome: 'high_stable', stableMax: SETTINGS.high, unstableMin: null, probes: 5 });
    expect(high.result.note).toMatch(/still stable at high = 100/);
  });

  it('follows the first edge when training is stable again above it, and notes that', () => {
    const { result } = search(SETTINGS, (value) => (value < 0.3 || value > 50 ? 'stable' : 'beyond'));
    expect(result.outcome).toBe('bracketed');
    expect(result.stableMax!).toBeLessThan(0.3);
    expect(result.unstableMin!).toBeGreaterThanOrEqual(0.3);
    expect(result.note).toBe('stable again at 100, above the smallest value beyond the limit');
  });

  it('stops at a failed probe and names it', () => {
    const bisection = new LimitBisection(SETTINGS);
    const [first, second, ...rest] = bisection.nextRound();
    bisection.record(first, 'stable');
    bisection.record(second, 'failed', 'out of memory in the worker');
    for (const value of rest) bisection.record(value, 'beyond');
    expect(bisection.nextRound()).toEqual([]);
    expect(bisection.result()).toMatchObject({ outcome: 'failed', note: `the run at ${second} failed: out of memory in the worker` });
  });

  it('ends as interrupted when stopped early, keeping what it knows', () => {
    const bisection = new LimitBisection(SETTINGS);
    for (const value of bisection.nextRound()) bisection.record(value, below(0.37)(value));
    bisection.stop();
    expect(bisection.nextRound()).toEqual([]);
    const result = bisection.result();
    expect(result.outcome).toBe('interrupted');
    expect(result.stableMax!).toBeLessThan(0.37);
    expect(result.unstableMin!).toBeGreaterThan(0.37);
  });

  it('wants every verdict of a round before the next, and only for its probes', () => {
    const bisection = new LimitBisection(SETTINGS);
    const round = bisection.nextRound();
    expect(() => bisection.record(0.5, 'stable')).toThrow(/not a probe/);
    bisection.record(round[0], 'stable');
    expect(() => bisection.nextRound()).toThrow(/without a verdict/);
  });

  it('stops when doubles can no longer split the bracket', () => {
    const settings = { low: 1, high: 1 + 2 ** -50, tolerance: 1e-30 };
    const { result } = search(settings, below(1 + 2 ** -51));
    expect(result.outcome).toBe('bracketed');
    expect(result.note).toMatch(/as narrow as floating-point numbers allow/);
  });

  it('refuses a range that is not one', () => {
    expect(() => new LimitBisection({ low: 0, high: 1, tolerance: 0.01 })).toThrow(RangeError);
    expect(() => new LimitBisection({ low: 2, high: 1, tolerance: 0.01 })).toThrow(RangeError);
    expect(() => new LimitBisection({ low: 1, high: 2, tolerance: 0 })).toThrow(RangeError);
  });
});
