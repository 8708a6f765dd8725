// The engine's WebAssembly kernels: this script is their source. It writes the WebAssembly text
// (src/nn/wasm/kernels.wat, generated, for reading) and, assembled with wabt, the module embedded as
// base64 in src/nn/wasm/kernels-module.ts, which the engine compiles synchronously at load. Nobody
// needs a compiler to use gradgrid; only a change to the kernels needs this script:
//
//     node scripts/wasm-kernels.mjs           regenerate both files
//     node scripts/wasm-kernels.mjs --check   exit 1 if the committed files are stale
//
// (wabt is a devDependency; test/nn/wasm.test.ts runs the same check.)
//
// The kernels: a matrix product (gemm) that serves W·A + b, Wᵀ·dZ and, after a transpose, dZ·Aᵀ;
// the transpose; and the sigmoid's forward and backward loops. The products keep every sum in the
// order of the textbook loop, one lane per output element, so their results are bit for bit those
// of the JavaScript kernels in src/nn/matrix.ts: WebAssembly has no fused multiply-add (without
// relaxed SIMD, not used here), and f64x2 lanes round exactly like scalar f64. The sigmoid's exp
// repeats V8's Math.exp operation for operation (see EXP below). The text is generated because the
// product needs the same register-blocked tile in six sizes (4 or 1 rows times 4, 2 or 1 columns);
// writing them out by hand invites typos.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../', import.meta.url);
const WAT_FILE = new URL('src/nn/wasm/kernels.wat', ROOT);
const MODULE_FILE = new URL('src/nn/wasm/kernels-module.ts', ROOT);
const FEATURES = { simd: true };

const get = (name) => `(local.get $${name})`;
const set = (name, value) => `(local.set $${name} ${value})`;
const add32 = (a, b) => `(i32.add ${a} ${b})`;
const const32 = (v) => `(i32.const ${v})`;
const times8 = (a) => `(i32.shl ${a} (i32.const 3))`;

/**
 * One tile of the product: `rows` output rows (4 or 1) times `vectors` pairs of columns (2 or 1),
 * or one column when `vectors` is 0. Every output element is its own accumulator (a lane), filled
 * with coef[r][0]*src[0][c], then + coef[r][t]*src[t][c] for t = 1, 2, ... in order, then + bias.
 */
function tile(rows, vectors) {
  const rs = [...Array(rows).keys()];
  const vs = [...Array(vectors).keys()];
  const lines = [];
  rs.forEach((i) => lines.push(set(`p${i}`, i === 0 ? get('cr') : add32(get(`p${i - 1}`), get('rs')))));
  lines.push(set('ps', add32(get('src'), times8(get('c')))));
  lines.push(set('end', add32(get('ps'), get('span'))));
  const step = (first) => {
    const out = [];
    if (vectors > 0) vs.forEach((v) => out.push(set(`s${v}`, `(v128.load offset=${16 * v} ${get('ps')})`)));
    else out.push(set('x', `(f64.load ${get('ps')})`));
    for (const i of rs) {
      if (vectors > 0) {
        out.push(set('w', `(v128.load64_splat ${get(`p${i}`)})`));
        for (const v of vs) {
          const product = `(f64x2.mul ${get('w')} ${get(`s${v}`)})`;
          out.push(set(`a${i}${v}`, first ? product : `(f64x2.add ${get(`a${i}${v}`)} ${product})`));
        }
      } else {
        const product = `(f64.mul (f64.load ${get(`p${i}`)}) ${get('x')})`;
        out.push(set(`f${i}`, first ? product : `(f64.add ${get(`f${i}`)} ${product})`));
      }
      out.push(set(`p${i}`, add32(get(`p${i}`), get('ts'))));
    }
    out.push(set('ps', add32(get('ps'), get('row'))));
    return out;
  };
  lines.push(...step(true));
  lines.push(`(if (i32.lt_u ${get('ps')} ${get('end')}) (then (loop $terms`);
  lines.push(...step(false).map((l) => `  ${l}`));
  lines.push(`  (br_if $terms (i32.lt_u ${get('ps')} ${get('end')})))))`);
  // Store, after adding the bias of each row when there is one.
  lines.push(set('po', add32(add32(get('out'), `(i32.mul ${get('r')} ${get('row')})`), times8(get('c')))));
  for (const i of rs) {
    if (i > 0) lines.push(set('po', add32(get('po'), get('row'))));
    const biasAt = add32(get('bias'), times8(add32(get('r'), const32(i))));
    if (vectors > 0) {
      const sums = vs.map((v) => set(`a${i}${v}`, `(f64x2.add ${get(`a${i}${v}`)} ${get('w')})`));
      lines.push(`(if ${get('bias')} (then ${set('w', `(v128.load64_splat ${biasAt})`)} ${sums.join(' ')}))`);
      vs.forEach((v) => lines.push(`(v128.store offset=${16 * v} ${get('po')} ${get(`a${i}${v}`)})`));
    } else {
      lines.push(`(if ${get('bias')} (then ${set(`f${i}`, `(f64.add ${get(`f${i}`)} (f64.load ${biasAt}))`)}))`);
      lines.push(`(f64.store ${get('po')} ${get(`f${i}`)})`);
    }
  }
  return lines;
}

/** All columns of a band of `rows` output rows starting at row $r: 4 at a time, then 2, then 1. */
function band(rows) {
  const indent = (ls) => ls.map((l) => `    ${l}`);
  return [
    set('cr', add32(get('coef'), `(i32.mul ${get('r')} ${get('rs')})`)),
    set('c', const32(0)),
    `(block $wide${rows} (loop $cols${rows}`,
    `  (br_if $wide${rows} (i32.gt_u ${add32(get('c'), const32(4))} ${get('C')}))`,
    ...indent(tile(rows, 2)),
    `  ${set('c', add32(get('c'), const32(4)))}`,
    `  (br $cols${rows})))`,
    `(if (i32.le_u ${add32(get('c'), const32(2))} ${get('C')}) (then`,
    ...indent(tile(rows, 1)),
    `  ${set('c', add32(get('c'), const32(2)))}))`,
    `(if (i32.lt_u ${get('c')} ${get('C')}) (then`,
    ...indent(tile(rows, 0)),
    `))`,
  ];
}

function gemm() {
  const indent = (ls, n) => ls.map((l) => `${' '.repeat(n)}${l}`);
  return [
    `;; out (R x C) = coef (R x T) · src (T x C) [+ bias], all row-major f64, addresses in bytes.`,
    `;; coef[r][t] is at coef + r*rs + t*ts, so strides (in bytes) make coef a transposed view or a`,
    `;; column of another matrix; src rows are C values long, like out's. bias (R values) is added to`,
    `;; row r after its sum, unless bias is 0 (the arena never hands out address 0).`,
    `(func $gemm (export "gemm")`,
    `  (param $out i32) (param $coef i32) (param $rs i32) (param $ts i32) (param $src i32)`,
    `  (param $R i32) (param $C i32) (param $T i32) (param $bias i32)`,
    `  (local $row i32) (local $span i32) (local $r i32) (local $c i32) (local $cr i32)`,
    `  (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $ps i32) (local $end i32) (local $po i32)`,
    `  (local $s0 v128) (local $s1 v128) (local $w v128)`,
    `  (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)`,
    `  (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)`,
    `  (local $x f64) (local $f0 f64) (local $f1 f64) (local $f2 f64) (local $f3 f64)`,
    `  ${set('row', times8(get('C')))}`,
    `  ${set('span', `(i32.mul ${get('T')} ${get('row')})`)}`,
    `  ${set('r', const32(0))}`,
    `  ;; bands of four rows`,
    `  (block $bands4 (loop $rows4`,
    `    (br_if $bands4 (i32.gt_u ${add32(get('r'), const32(4))} ${get('R')}))`,
    ...indent(band(4), 4),
    `    ${set('r', add32(get('r'), const32(4)))}`,
    `    (br $rows4)))`,
    `  ;; the remaining rows one at a time`,
    `  (block $bands1 (loop $rows1`,
    `    (br_if $bands1 (i32.ge_u ${get('r')} ${get('R')}))`,
    ...indent(band(1), 4),
    `    ${set('r', add32(get('r'), const32(1)))}`,
    `    (br $rows1)))`,
    `)`,
  ];
}

function transpose() {
  return `
;; dst (cols x rows) = transpose of src (rows x cols): 2 x 2 blocks, src rows read in pairs so that
;; each dst row is written contiguously.
(func $transpose (export "transpose") (param $dst i32) (param $src i32) (param $rows i32) (param $cols i32)
  (local $i i32) (local $j i32) (local $ps i32) (local $pd i32) (local $srcRow i32) (local $dstRow i32)
  (local $x v128) (local $y v128)
  ${set('srcRow', times8(get('cols')))}
  ${set('dstRow', times8(get('rows')))}
  ${set('j', const32(0))}
  (block $pairsDone (loop $pairs
    (br_if $pairsDone (i32.gt_u ${add32(get('j'), const32(2))} ${get('cols')}))
    ${set('ps', add32(get('src'), times8(get('j'))))}
    ${set('pd', add32(get('dst'), `(i32.mul ${get('j')} ${get('dstRow')})`))}
    ${set('i', const32(0))}
    (block $blocksDone (loop $blocks
      (br_if $blocksDone (i32.gt_u ${add32(get('i'), const32(2))} ${get('rows')}))
      ${set('x', `(v128.load ${get('ps')})`)}
      ${set('y', `(v128.load ${add32(get('ps'), get('srcRow'))})`)}
      (v128.store ${get('pd')} (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 ${get('x')} ${get('y')}))
      (v128.store ${add32(get('pd'), get('dstRow'))} (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 ${get('x')} ${get('y')}))
      ${set('ps', add32(get('ps'), `(i32.shl ${get('srcRow')} (i32.const 1))`))}
      ${set('pd', add32(get('pd'), const32(16)))}
      ${set('i', add32(get('i'), const32(2)))}
      (br $blocks)))
    (if (i32.lt_u ${get('i')} ${get('rows')}) (then
      (f64.store ${get('pd')} (f64.load ${get('ps')}))
      (f64.store ${add32(get('pd'), get('dstRow'))} (f64.load offset=8 ${get('ps')}))))
    ${set('j', add32(get('j'), const32(2)))}
    (br $pairs)))
  ;; an odd last column of src
  (if (i32.lt_u ${get('j')} ${get('cols')}) (then
    ${set('ps', add32(get('src'), times8(get('j'))))}
    ${set('pd', add32(get('dst'), `(i32.mul ${get('j')} ${get('dstRow')})`))}
    ${set('i', const32(0))}
    (block $lastDone (loop $last
      (br_if $lastDone (i32.ge_u ${get('i')} ${get('rows')}))
      (f64.store ${get('pd')} (f64.load ${get('ps')}))
      ${set('ps', add32(get('ps'), get('srcRow')))}
      ${set('pd', add32(get('pd'), const32(8)))}
      ${set('i', add32(get('i'), const32(1)))}
      (br $last)))))
)`;
}

/** The exact WebAssembly text literal (hexadecimal float) of a finite double. */
function hexFloat(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? '-' : '';
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const mantissa = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
  if (exponent === 0) return `${sign}0x0.${mantissa}p-1022`;
  return `${sign}0x1.${mantissa}p${exponent - 1023}`;
}

/** The double with the given IEEE bits (high and low 32-bit words, as fdlibm writes them). */
function fromWords(high, low) {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, high);
  view.setUint32(4, low);
  return view.getFloat64(0);
}

const splat = (x) => `(v128.const f64x2 ${hexFloat(x)} ${hexFloat(x)})`;

// exp as V8's Math.exp computes it (V8 uses fdlibm's e_exp.c, Sun Microsystems 1993, whose notice
// permits use with attribution): the same constants and the same operations in the same order, so
// the results are Math.exp's bit for bit (test/nn/wasm.test.ts compares them on many values).
// fdlibm reduces x = k*ln2 + r with k = 0 when |x| <= 0.5*ln2, k = +-1 below 1.5*ln2 and
// k = trunc(x/ln2 +- 0.5) above; its three branches compute the same numbers as the single formula
// below, where k = 0 gives hi = x, lo = 0, and k = +-1 is what the general rule yields there. Its
// remaining special cases (|x| < 2^-28, |x| >= 700 where 2^k would need care, NaN, and x = 1, which
// V8 answers with the constant e) are left to Math.exp itself, imported, for the lanes that need it.
const EXP = {
  ln2Hi: fromWords(0x3fe62e42, 0xfee00000),
  ln2Lo: fromWords(0x3dea39ef, 0x35793c76),
  invLn2: fromWords(0x3ff71547, 0x652b82fe),
  P1: fromWords(0x3fc55555, 0x5555553e),
  P2: fromWords(0xbf66c16c, 0x16bebd93),
  P3: fromWords(0x3f11566a, 0xaf25de2c),
  P4: fromWords(0xbebbbd41, 0xc5d26bf1),
  P5: fromWords(0x3e663769, 0x72bea4d0),
  /** |x| below this: fdlibm returns 1 + x. */
  tiny: 2 ** -28,
  /** |x| from this on (high word above 0x3fd62e42): k is not 0. */
  reduce: fromWords(0x3fd62e43, 0),
  /** |x| from this on: left to Math.exp (k would come near the exponent limits). */
  large: 700,
  half: 0.5,
  one: 1,
  two: 2,
  /** 1023 + 2^52: added to an integer k (exactly), leaves k + 1023 in the low mantissa bits. */
  exponentBias: 1023 + 2 ** 52,
  /** The sign bit alone. */
  sign: -0,
};

// V8 rebuilds a v128.const with several instructions wherever it appears; a local set once before
// the loop costs at most a load. Constant c lives in local $k_c.
const K = (name) => get(`k_${name}`);
const constantLocals = (names) => names.map((n) => `(local $k_${n} v128)`).join(' ');
const constantSetup = (names) => names.map((n) => set(`k_${n}`, splat(EXP[n])));

/**
 * Lines that set $e to exp($x) in both lanes, where $ok says so: lanes outside fdlibm's general
 * case (see EXP) get a meaningless $e and a zero $ok lane, and the caller redoes them with Math.exp.
 * Uses $ax, $k, $hi, $lo, $r, $t, $c.
 */
function expVector() {
  const v = (name) => get(name);
  const mul = (a, b) => `(f64x2.mul ${a} ${b})`;
  const plus = (a, b) => `(f64x2.add ${a} ${b})`;
  const sub = (a, b) => `(f64x2.sub ${a} ${b})`;
  // P1 + t*(P2 + t*(P3 + t*(P4 + t*P5))), nested as fdlibm writes it.
  const t = v('t');
  const poly = plus(K('P1'), mul(t, plus(K('P2'), mul(t, plus(K('P3'), mul(t, plus(K('P4'), mul(t, K('P5')))))))));
  const sign = `(v128.and ${v('x')} ${K('sign')})`;
  const inRange = `(v128.and (f64x2.ge ${v('ax')} ${K('tiny')}) (f64x2.lt ${v('ax')} ${K('large')}))`;
  return [
    set('ax', `(f64x2.abs ${v('x')})`),
    set('ok', `(v128.and ${inRange} (f64x2.ne ${v('x')} ${K('one')}))`),
    `;; k = trunc(x/ln2 + copysign(0.5, x)) where |x| > 0.5*ln2, else 0 (an integer-valued double)`,
    set('k', `(f64x2.trunc ${plus(mul(K('invLn2'), v('x')), `(v128.or ${sign} ${K('half')})`)})`),
    set('k', `(v128.and ${v('k')} (f64x2.ge ${v('ax')} ${K('reduce')}))`),
    set('hi', sub(v('x'), mul(v('k'), K('ln2Hi')))),
    set('lo', mul(v('k'), K('ln2Lo'))),
    set('r', sub(v('hi'), v('lo'))),
    set('t', mul(v('r'), v('r'))),
    set('c', sub(v('r'), mul(t, poly))),
    `;; y = 1 - ((lo - (r*c)/(2 - c)) - hi), times 2^k: k + 1023 + 2^52 (exact) holds k + 1023 in`,
    `;; its low mantissa bits, which the shift moves into the exponent field`,
    set('e', sub(K('one'), sub(sub(v('lo'), `(f64x2.div ${mul(v('r'), v('c'))} ${sub(K('two'), v('c'))})`), v('hi')))),
    set('e', mul(v('e'), `(i64x2.shl ${plus(v('k'), K('exponentBias'))} (i32.const 52))`)),
  ];
}

function sigmoid() {
  const indent = (ls, n) => ls.map((l) => `${' '.repeat(n)}${l}`);
  const constants = Object.keys(EXP);
  const scalar = (at) => `(f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (f64.load ${at})))))`;
  return [
    `;; dst[i] = 1 / (1 + exp(-src[i])) for i < n, exp as Math.exp; dst and src must not overlap.`,
    `;; Pairs run through the vector exp; if any lane needed Math.exp, a second pass redoes those.`,
    `(func $sigmoid (export "sigmoid") (param $dst i32) (param $src i32) (param $n i32)`,
    `  (local $end i32) (local $ps i32) (local $pd i32) (local $x v128) (local $ax v128) (local $ok v128) (local $allOk v128)`,
    `  (local $k v128) (local $hi v128) (local $lo v128) (local $r v128) (local $t v128) (local $c v128) (local $e v128)`,
    `  ${constantLocals(constants)}`,
    ...indent(constantSetup(constants), 2),
    `  ${set('allOk', '(v128.const i64x2 -1 -1)')}`,
    `  ${set('end', add32(get('src'), times8(`(i32.and ${get('n')} (i32.const -2))`)))}`,
    `  ${set('ps', get('src'))}`,
    `  ${set('pd', get('dst'))}`,
    `  (block $pairsDone (loop $pairs`,
    `    (br_if $pairsDone (i32.ge_u ${get('ps')} ${get('end')}))`,
    `    ${set('x', `(f64x2.neg (v128.load ${get('ps')}))`)}`,
    ...indent(expVector(), 4),
    `    ${set('allOk', `(v128.and ${get('allOk')} ${get('ok')})`)}`,
    `    (v128.store ${get('pd')} (f64x2.div ${K('one')} (f64x2.add ${K('one')} ${get('e')})))`,
    `    ${set('ps', add32(get('ps'), const32(16)))}`,
    `    ${set('pd', add32(get('pd'), const32(16)))}`,
    `    (br $pairs)))`,
    `  (if (i32.eqz (i64x2.all_true ${get('allOk')})) (then`,
    `    ${set('ps', get('src'))}`,
    `    ${set('pd', get('dst'))}`,
    `    (block $redoDone (loop $redo`,
    `      (br_if $redoDone (i32.ge_u ${get('ps')} ${get('end')}))`,
    `      ${set('x', `(f64x2.neg (v128.load64_splat ${get('ps')}))`)}`,
    `      ${set('ax', `(f64x2.abs ${get('x')})`)}`,
    `      (if (i32.eqz (i64x2.all_true (v128.and (v128.and (f64x2.ge ${get('ax')} ${K('tiny')}) (f64x2.lt ${get('ax')} ${K('large')})) (f64x2.ne ${get('x')} ${K('one')}))))`,
    `        (then (f64.store ${get('pd')} ${scalar(get('ps'))})))`,
    `      ${set('ps', add32(get('ps'), const32(8)))}`,
    `      ${set('pd', add32(get('pd'), const32(8)))}`,
    `      (br $redo)))))`,
    `  ;; an odd last element`,
    `  (if (i32.and ${get('n')} (i32.const 1)) (then (f64.store ${get('pd')} ${scalar(get('ps'))})))`,
    `)`,
    ``,
    `;; dz[i] = da[i] * a[i] * (1 - a[i]) for i < n, the sigmoid's backward step (dz may be da).`,
    `(func $sigmoidBackward (export "sigmoid_backward") (param $dz i32) (param $da i32) (param $a i32) (param $n i32)`,
    `  (local $end i32) (local $v v128) (local $s f64) ${constantLocals(['one'])}`,
    `  ${constantSetup(['one'])[0]}`,
    `  ${set('end', add32(get('a'), times8(`(i32.and ${get('n')} (i32.const -2))`)))}`,
    `  (block $pairsDone (loop $pairs`,
    `    (br_if $pairsDone (i32.ge_u ${get('a')} ${get('end')}))`,
    `    ${set('v', `(v128.load ${get('a')})`)}`,
    `    (v128.store ${get('dz')} (f64x2.mul (f64x2.mul (v128.load ${get('da')}) ${get('v')}) (f64x2.sub ${K('one')} ${get('v')})))`,
    `    ${set('a', add32(get('a'), const32(16)))}`,
    `    ${set('da', add32(get('da'), const32(16)))}`,
    `    ${set('dz', add32(get('dz'), const32(16)))}`,
    `    (br $pairs)))`,
    `  (if (i32.and ${get('n')} (i32.const 1)) (then`,
    `    ${set('s', `(f64.load ${get('a')})`)}`,
    `    (f64.store ${get('dz')} (f64.mul (f64.mul (f64.load ${get('da')}) ${get('s')}) (f64.sub (f64.const 1) ${get('s')})))))`,
    `)`,
  ];
}

/** The WebAssembly text of the kernels module. */
export function kernelsWat() {
  return [
    ';; GENERATED by scripts/wasm-kernels.mjs: edit that script, not this file.',
    '(module',
    '(import "env" "memory" (memory 1 65536))',
    ';; Math.exp, for the lanes the vector exp leaves to it',
    '(import "env" "exp" (func $exp (param f64) (result f64)))',
    ...gemm(),
    transpose(),
    ...sigmoid(),
    ')',
    '',
  ].join('\n');
}

/** Assembles WebAssembly text into module bytes with wabt (a devDependency). */
export async function assemble(wat) {
  const wabt = await (await import('wabt')).default();
  const module = wabt.parseWat('kernels.wat', wat, FEATURES);
  try {
    module.validate(FEATURES);
    return Uint8Array.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** The TypeScript file that embeds the module bytes. */
export function moduleSource(bytes) {
  const base64 = Buffer.from(bytes).toString('base64');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const lines = base64.match(/.{1,100}/g) ?? [];
  return [
    '// GENERATED by scripts/wasm-kernels.mjs from its WebAssembly text (kernels.wat): do not edit.',
    `// ${bytes.length} bytes, sha256 ${sha256}.`,
    '',
    'export const KERNELS_BASE64 =',
    ...lines.map((l, i) => `  '${l}'${i === lines.length - 1 ? ';' : ' +'}`),
    '',
  ].join('\n');
}

/** The two generated files, as they should read. */
export async function generatedFiles() {
  const wat = kernelsWat();
  return { wat, module: moduleSource(await assemble(wat)) };
}

async function main() {
  const check = process.argv.includes('--check');
  const { wat, module } = await generatedFiles();
  const files = [
    [WAT_FILE, wat],
    [MODULE_FILE, module],
  ];
  if (check) {
    const stale = files.filter(([file, text]) => {
      try {
        return readFileSync(file, 'utf8') !== text;
      } catch {
        return true;
      }
    });
    for (const [file] of stale) console.error(`stale: ${fileURLToPath(file)} (run node scripts/wasm-kernels.mjs)`);
    process.exit(stale.length === 0 ? 0 : 1);
  }
  for (const [file, text] of files) writeFileSync(file, text);
  console.log(`wrote ${files.map(([f]) => fileURLToPath(f)).join(', ')}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
