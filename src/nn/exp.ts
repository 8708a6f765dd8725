// exp written out in JavaScript for the generated training loops (unrolled-source.ts), returning
// exactly what V8's Math.exp returns: Math.exp is a call into C++ that TurboFan cannot inline, and
// it took two thirds of an epoch of the blog's XOR network; written out in the loop, it does not.
//
// V8's Math.exp is fdlibm's e_exp.c (Sun Microsystems 1993, whose notice permits use with
// attribution); these statements repeat its operations in the same order with the same constants,
// as the WebAssembly sigmoid does (scripts/wasm-kernels.mjs, where the reasoning is written out):
// for 2^-28 <= |x| < 700, x = k*ln2 + r with k = trunc(x/ln2 +- 0.5), or k = 0 when |x| <= 0.5*ln2
// (where the same formula gives hi = x, lo = 0 and fdlibm's own k = 0 result), and
// exp(x) = 2^k * exp(r). The rest (NaN, infinities, |x| >= 700, where 2^k needs care) is left to
// Math.exp itself, and so is x = 1, which V8 answers with the constant e. The tests compare the
// statements with Math.exp on millions of values (test/nn/exp.test.ts).
//
// fdlibm tests the high word of x; comparing |x| with the double whose high word is the bound (and
// low word 0) decides the same, since the order of non-negative doubles is that of their bits.

/** 2^k for -1022 <= k <= 1023 at index k + 1022 (built by doubling and halving: exact). */
export const POW2 = new Float64Array(2046);
POW2[1022] = 1;
for (let i = 1023; i < 2046; i++) POW2[i] = POW2[i - 1] * 2;
for (let i = 1021; i >= 0; i--) POW2[i] = POW2[i + 1] * 0.5;

/** The name the statements expect POW2 under. */
export const POW2_NAME = 'POW2';

/**
 * Statements that declare `let <e>` and set it to Math.exp(<x>) bit for bit (x: any expression,
 * read once); their temporaries live in a block of their own. They read the table POW2 under the
 * name POW2_NAME.
 */
export function expStatements(x: string, e: string): string[] {
  return [
    `let ${e};`,
    `{`,
    `  const x = ${x}, ax = Math.abs(x);`,
    // |x| < 2^-28 (high word below 0x3e300000), |x| >= 700, NaN (which fails every comparison), 1
    `  if (!(ax >= 3.725290298461914e-9 && ax < 700) || x === 1) ${e} = Math.exp(x);`,
    `  else {`,
    // k = 0 while the high word is at most 0x3fd62e42 (|x| below 0.3465735912322998 = words 0x3fd62e43, 0);
    // Math.trunc, as C's conversion to int, and quicker here than | 0 (no trip through an integer)
    `    const k = ax < 0.3465735912322998 ? 0 : Math.trunc(1.4426950408889634 * x + (x < 0 ? -0.5 : 0.5));`,
    // k * ln2Hi is exact (ln2Hi has its low 32 bits zero); lo = k * ln2Lo
    `    const hi = x - k * 0.6931471803691238, lo = k * 1.9082149292705877e-10, r = hi - lo, t = r * r;`,
    `    const c = r - t * (0.16666666666666602 + t * (-0.0027777777777015593 + t * (0.00006613756321437934 +`,
    `      t * (-0.0000016533902205465252 + t * 4.1381367970572385e-8))));`,
    `    ${e} = (1 - ((lo - (r * c) / (2 - c)) - hi)) * ${POW2_NAME}[k + 1022];`,
    `  }`,
    `}`,
  ];
}
