// The exp written out for the generated training loops (src/nn/exp.ts) against V8's Math.exp: the
// same double for every input (Object.is: NaN equals NaN, 0 and -0 differ), on fdlibm's special
// cases and branch boundaries and on millions of random doubles, with a fixed seed.
import { describe, expect, it } from 'vitest';
import { expStatements, POW2, POW2_NAME } from '../../src/nn/exp.js';
import { RandomState } from '../../src/nn/rng.js';

/** A function running the statements, as the generated loop does (x is an expression there too). */
const exp = new Function(POW2_NAME, `return function (z) {\n${expStatements('z', 'e').join('\n')}\nreturn e;\n};`)(
  POW2,
) as (x: number) => number;

/** The double with the given IEEE bits (high and low 32-bit words, as fdlibm writes them). */
function fromWords(high: number, low: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, high);
  view.setUint32(4, low);
  return view.getFloat64(0);
}

/** The neighbouring doubles of x: `steps` below and above it, x included. */
function around(x: number, steps: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  const out: number[] = [];
  for (let d = -steps; d <= steps; d++) {
    view.setBigInt64(0, bits + BigInt(d));
    out.push(view.getFloat64(0));
  }
  return out;
}

/** The inputs where exp and Math.exp differ (at most `limit` of them, for the message). */
function mismatches(xs: Iterable<number>, limit = 5): string[] {
  const out: string[] = [];
  for (const x of xs) {
    if (!Object.is(exp(x), Math.exp(x)) && out.length < limit) out.push(`${x}: ${exp(x)} vs ${Math.exp(x)}`);
  }
  return out;
}

describe('exp written out', () => {
  it('equals Math.exp on the special cases and around every bound of fdlibm', () => {
    const ln2 = Math.LN2;
    const bounds = [
      0, 5e-324, 2.2250738585072014e-308, 2 ** -1022 * (1 - 2 ** -52), // zero and subnormals
      2 ** -28, fromWords(0x3e300000, 0), fromWords(0x3e2fffff, 0xffffffff), // |x| < 2^-28
      0.5 * ln2, fromWords(0x3fd62e42, 0xffffffff), fromWords(0x3fd62e43, 0), // k = 0 up to here
      1.5 * ln2, fromWords(0x3ff0a2b2, 0), fromWords(0x3ff0a2b1, 0xffffffff), // k = +-1 up to here
      700, 709.782712893384, fromWords(0x40862e42, 0), 709.79, 710, // overflow threshold
      745.1332191019411, 745.1332191019412, 745.14, 746, // underflow threshold (negative side)
      1, 2, 0.5, ln2, 1e-300, Number.MAX_VALUE, Infinity,
    ];
    const values = [NaN, -NaN, fromWords(0x7ff80000, 1), fromWords(0xfff00000, 1)];
    for (const b of bounds) for (const v of around(b, 3)) if (v >= 0) values.push(v, -v);
    for (let i = -750; i <= 750; i++) values.push(i, i + 0.5, i * ln2, (i + 0.5) * ln2);
    for (let i = 1; i <= 1000; i++) values.push(i * 2 ** -30, -i * 2 ** -30, 1 + i * 2 ** -52, 1 - i * 2 ** -53);
    expect(values.length).toBeGreaterThan(8000);
    expect(mismatches(values)).toEqual([]);
    expect(Object.is(exp(-0), 1)).toBe(true);
    expect(Object.is(exp(-Infinity), 0)).toBe(true);
    expect(Object.is(exp(1), Math.E)).toBe(true);
  });

  it('equals Math.exp on 7 million random doubles: uniform, log-uniform, random bits and boundaries', () => {
    const rs = new RandomState(2024);
    const n = 2_000_000;
    const uniform = function* () {
      for (let i = 0; i < n; i++) yield (rs.randomSample() * 2 - 1) * 800;
    };
    // Magnitudes log-uniform from 1e-30 to 1e3, either sign.
    const logUniform = function* () {
      for (let i = 0; i < n; i++) yield (rs.randomSample() < 0.5 ? -1 : 1) * 10 ** (rs.randomSample() * 33 - 30);
    };
    const words = new Uint32Array(2);
    const asDouble = new Float64Array(words.buffer);
    const randomBits = function* () {
      for (let i = 0; i < n; i++) {
        words[0] = rs.nextUint32();
        words[1] = rs.nextUint32();
        yield asDouble[0];
      }
    };
    // Random bits are mostly huge or tiny: also random bits with an exponent near 1.
    const nearOne = function* () {
      for (let i = 0; i < n / 4; i++) {
        words[0] = rs.nextUint32();
        words[1] = (rs.nextUint32() & 0x800fffff) | ((0x3e0 + rs.interval(0x2b)) << 20);
        yield asDouble[0];
      }
    };
    // Between 0.5*ln2 and the first double of high word 0x3fd62e43, fdlibm takes k = 0 where
    // x/ln2 + 0.5 already rounds to 1: dense there, where each k gives a different last bit at times.
    const gapStart = 0.5 * Math.LN2;
    const gapWidth = fromWords(0x3fd62e43, 0) - gapStart;
    const reductionGap = function* () {
      for (let i = 0; i < n / 4; i++) yield (rs.randomSample() < 0.5 ? -1 : 1) * (gapStart + rs.randomSample() * gapWidth);
    };
    for (const source of [uniform, logUniform, randomBits, nearOne, reductionGap]) {
      expect(mismatches(source())).toEqual([]);
    }
  }, 120_000);

  it('has the table of powers of two it needs', () => {
    expect(POW2[0]).toBe(2 ** -1022);
    expect(POW2[1022]).toBe(1);
    expect(POW2[2045]).toBe(2 ** 1023);
    for (let i = 1; i < POW2.length; i++) expect(POW2[i]).toBe(POW2[i - 1] * 2);
  });
});
