import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { RandomState } from '../src/nn/rng.js';

const golden = JSON.parse(readFileSync(new URL('./fixtures/numpy-legacy-rng.json', import.meta.url), 'utf8'));

describe('RandomState matches NumPy legacy generator exactly', () => {
  for (const [seed, values] of Object.entries(golden.randn as Record<string, number[]>)) {
    it(`randn after seed(${seed})`, () => {
      const rs = new RandomState(Number(seed));
      const drawn = values.map(() => rs.randn());
      expect(drawn).toStrictEqual(values);
    });
  }
  for (const [seed, values] of Object.entries(golden.random_sample as Record<string, number[]>)) {
    it(`random_sample after seed(${seed})`, () => {
      const rs = new RandomState(Number(seed));
      const drawn = values.map(() => rs.randomSample());
      expect(drawn).toStrictEqual(values);
    });
  }
  it('permutation', () => {
    const { n, seed, values } = golden.permutation as { n: number; seed: number; values: number[] };
    const rs = new RandomState(seed);
    expect(Array.from(rs.permutation(n))).toStrictEqual(values);
  });
  it('re-seeding resets the cached gaussian', () => {
    const rs = new RandomState(48);
    rs.randn();
    rs.seed(48);
    expect(rs.randn()).toBe(golden.randn['48'][0]);
  });
  it('rejects seeds outside [0, 2^32)', () => {
    expect(() => new RandomState(-1)).toThrow(RangeError);
    expect(() => new RandomState(2 ** 32)).toThrow(RangeError);
    expect(() => new RandomState(1.5)).toThrow(RangeError);
  });
});
