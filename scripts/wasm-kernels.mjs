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
// The kernels: a matrix product (gemm) that serves W·A + b, Wᵀ·dZ (after transposing W, and with
// the backward step of a sigmoid before it folded into its store) and dZ·Aᵀ (after laying Aᵀ out in
// panels); the transpose and the panels; dot products and sums of rows, one row per lane (the dW of
// a layer with fewer than four outputs, and the bias gradient); and the sigmoid's forward and
// backward loops. The products keep every sum in the order of the textbook loop, one lane per
// output element, so their results are bit for bit those of the JavaScript kernels in
// src/nn/matrix.ts: WebAssembly has no fused multiply-add (without relaxed SIMD, not used here), and
// f64x2 lanes round exactly like scalar f64. The sigmoid's exp repeats V8's Math.exp operation for
// operation (see EXP below). The text is generated because the product needs the same
// register-blocked tile in six sizes (4 or 1 rows times 4, 2 or 1 columns); writing them out by
// hand invites typos.
//
// What V8 (Node 20's TurboFan) does with the code decides the speed; the shapes here are the ones
// that measured fastest: a tile of 4 rows x 4 columns (larger tiles, or two terms per round of the
// loop, ran out of the 16 vector registers, because V8 loads every operand of a round first), no
// constant in a loop but loaded from memory (see TABLE_AT), and long chains of dependent operations
// split into stages (see BLOCK_PAIRS).

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
 * with coef[r][0]*src[0][c], then + coef[r][t]*src[t][c] for t = 1, 2, ... in order; then + bias,
 * or times a*(1 - a) (see gemm). (Two terms per round of the loop spilled accumulators: V8 loads
 * every operand of the round first, and they no longer fit in the registers.)
 */
function tile(rows, vectors) {
  const rs = [...Array(rows).keys()];
  const vs = [...Array(vectors).keys()];
  const lines = [];
  rs.forEach((i) => lines.push(set(`p${i}`, i === 0 ? get('cr') : add32(get(`p${i - 1}`), get('rs')))));
  // Where column c of src row 0 is, and how far apart its rows are: rows of C values, or (panels)
  // blocks of T rows of 4 values (fewer in a last block of C mod 4 columns).
  lines.push(
    `(if ${get('panels')} (then`,
    `  ${set('ps', add32(get('src'), add32(`(i32.mul ${times8(`(i32.and ${get('c')} (i32.const -4))`)} ${get('T')})`, times8(`(i32.and ${get('c')} (i32.const 3))`))))}`,
    `  ${set('srow', `(i32.sub ${get('C')} (i32.and ${get('c')} (i32.const -4)))`)}`,
    `  (if (i32.gt_u ${get('srow')} (i32.const 4)) (then ${set('srow', const32(4))}))`,
    `  ${set('srow', times8(get('srow')))})`,
    `(else ${set('ps', add32(get('src'), times8(get('c'))))} ${set('srow', get('row'))}))`,
  );
  lines.push(set('end', add32(get('ps'), `(i32.mul ${get('T')} ${get('srow')})`)));
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
      out.push(set(`p${i}`, add32(get(`p${i}`), const32(8))));
    }
    out.push(set('ps', add32(get('ps'), get('srow'))));
    return out;
  };
  lines.push(...step(true));
  lines.push(`(if (i32.lt_u ${get('ps')} ${get('end')}) (then (loop $terms`);
  lines.push(...step(false).map((l) => `  ${l}`));
  lines.push(`  (br_if $terms (i32.lt_u ${get('ps')} ${get('end')})))))`);
  // Store, after adding the bias of each row, or multiplying by a*(1 - a), when asked to.
  lines.push(set('po', add32(add32(get('out'), `(i32.mul ${get('r')} ${get('row')})`), times8(get('c')))));
  for (const i of rs) {
    if (i > 0) lines.push(set('po', add32(get('po'), get('row'))));
    const biasAt = add32(get('bias'), times8(add32(get('r'), const32(i))));
    const actAt = add32(get('act'), `(i32.sub ${get('po')} ${get('out')})`);
    if (vectors > 0) {
      const sums = vs.map((v) => set(`a${i}${v}`, `(f64x2.add ${get(`a${i}${v}`)} ${get('w')})`));
      lines.push(`(if ${get('bias')} (then ${set('w', `(v128.load64_splat ${biasAt})`)} ${sums.join(' ')}))`);
      const scaled = vs.map((v) => {
        const a = `(v128.load offset=${16 * v} ${get('pa')})`;
        return `${set('w', a)} ${set(`a${i}${v}`, `(f64x2.mul (f64x2.mul ${get(`a${i}${v}`)} ${get('w')}) (f64x2.sub ${K('one')} ${get('w')}))`)}`;
      });
      lines.push(`(if ${get('act')} (then ${set('pa', actAt)} ${scaled.join(' ')}))`);
      vs.forEach((v) => lines.push(`(v128.store offset=${16 * v} ${get('po')} ${get(`a${i}${v}`)})`));
    } else {
      lines.push(`(if ${get('bias')} (then ${set(`f${i}`, `(f64.add ${get(`f${i}`)} (f64.load ${biasAt}))`)}))`);
      const a = `(f64.load ${actAt})`;
      lines.push(`(if ${get('act')} (then ${set('x', a)} ${set(`f${i}`, `(f64.mul (f64.mul ${get(`f${i}`)} ${get('x')}) (f64.sub (f64.const 1) ${get('x')}))`)}))`);
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
    `;; out (R x C) = coef (R x T) · src (T x C), all row-major f64, addresses in bytes; coef rows are`,
    `;; rs bytes apart. src rows are C values long, like out's, or with panels != 0, src is in panels`,
    `;; (see the panels kernel). Then, unless bias is 0 (the arena never hands out address 0), the`,
    `;; bias (R values) is added to row r; unless act is 0, each element is multiplied by a*(1 - a),`,
    `;; a the element at the same place in act (R x C): the sigmoid's backward step, fused.`,
    `(func $gemm (export "gemm")`,
    `  (param $out i32) (param $coef i32) (param $rs i32) (param $src i32) (param $panels i32)`,
    `  (param $R i32) (param $C i32) (param $T i32) (param $bias i32) (param $act i32)`,
    `  (local $row i32) (local $r i32) (local $c i32) (local $cr i32) (local $srow i32)`,
    `  (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $ps i32) (local $end i32) (local $po i32) (local $pa i32)`,
    `  (local $s0 v128) (local $s1 v128) (local $w v128)`,
    `  (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)`,
    `  (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)`,
    `  (local $x f64) (local $f0 f64) (local $f1 f64) (local $f2 f64) (local $f3 f64)`,
    `  ${set('row', times8(get('C')))}`,
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

/** Lanes 0 of a and b, and lanes 1 of a and b, as i8x16.shuffle patterns. */
const LOW_LANES = '0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23';
const HIGH_LANES = '8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31';

function panels() {
  const row = (i) => (i === 0 ? get('ps') : add32(get('ps'), `(i32.mul ${get('srcRow')} (i32.const ${i}))`));
  return `
;; dst = the transpose of src (rows x cols) laid out as the gemm's panels: the transpose is cols x rows,
;; and its columns go in blocks of 4 (fewer in the last block, rows mod 4), each block stored as cols
;; rows of its 4 values one after another. The product dW = dZ·Aᵀ then reads each block straight
;; through (a transpose in rows of rows values would have it read 32 bytes from each of cols rows).
(func $panels (export "panels") (param $dst i32) (param $src i32) (param $rows i32) (param $cols i32)
  (local $k i32) (local $j i32) (local $i i32) (local $w i32) (local $ps i32) (local $pd i32) (local $srcRow i32)
  (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
  ${set('srcRow', times8(get('cols')))}
  ${set('pd', get('dst'))}
  ${set('k', const32(0))}
  ;; blocks of 4 rows of src: two columns at a time, four rows shuffled into the two dst rows
  (block $fullDone (loop $full
    (br_if $fullDone (i32.gt_u ${add32(get('k'), const32(4))} ${get('rows')}))
    ${set('ps', add32(get('src'), `(i32.mul ${get('k')} ${get('srcRow')})`))}
    ${set('j', const32(0))}
    (block $pairsDone (loop $pairs
      (br_if $pairsDone (i32.gt_u ${add32(get('j'), const32(2))} ${get('cols')}))
      ${[0, 1, 2, 3].map((i) => set(`r${i}`, `(v128.load ${row(i)})`)).join(' ')}
      (v128.store offset=0 ${get('pd')} (i8x16.shuffle ${LOW_LANES} ${get('r0')} ${get('r1')}))
      (v128.store offset=16 ${get('pd')} (i8x16.shuffle ${LOW_LANES} ${get('r2')} ${get('r3')}))
      (v128.store offset=32 ${get('pd')} (i8x16.shuffle ${HIGH_LANES} ${get('r0')} ${get('r1')}))
      (v128.store offset=48 ${get('pd')} (i8x16.shuffle ${HIGH_LANES} ${get('r2')} ${get('r3')}))
      ${set('ps', add32(get('ps'), const32(16)))}
      ${set('pd', add32(get('pd'), const32(64)))}
      ${set('j', add32(get('j'), const32(2)))}
      (br $pairs)))
    (if (i32.lt_u ${get('j')} ${get('cols')}) (then
      ${[0, 1, 2, 3].map((i) => `(f64.store offset=${8 * i} ${get('pd')} (f64.load ${row(i)}))`).join(' ')}
      ${set('pd', add32(get('pd'), const32(32)))}))
    ${set('k', add32(get('k'), const32(4)))}
    (br $full)))
  ;; a last block of 1 to 3 rows, value by value
  ${set('w', `(i32.sub ${get('rows')} ${get('k')})`)}
  (if ${get('w')} (then
    ${set('j', const32(0))}
    (block $lastDone (loop $last
      (br_if $lastDone (i32.ge_u ${get('j')} ${get('cols')}))
      ${set('ps', add32(get('src'), times8(add32(`(i32.mul ${get('k')} ${get('cols')})`, get('j')))))}
      ${set('i', const32(0))}
      (loop $values
        (f64.store ${get('pd')} (f64.load ${get('ps')}))
        ${set('ps', add32(get('ps'), get('srcRow')))}
        ${set('pd', add32(get('pd'), const32(8)))}
        ${set('i', add32(get('i'), const32(1)))}
        (br_if $values (i32.lt_u ${get('i')} ${get('w')})))
      ${set('j', add32(get('j'), const32(1)))}
      (br $last)))))
)`;
}

/**
 * out[k] for rows k of src (rows x n): with v != 0, the dot product of row k and v, summed in order
 * from the first product (dW = dZ·Aᵀ for one row of dZ, without transposing A); with v = 0, the
 * sum 0 + src[k][0] + src[k][1] + ... (the row sums np.sum(dZ, axis=1) of the bias gradient).
 * One row per lane: rows go in pairs, eight rows at a time, then two, then a last one alone.
 */
function rowDots() {
  const group = (pairs) => {
    const ps = [...Array(pairs).keys()];
    const rowAt = (i) => (i === 0 ? get('pt') : add32(get('pt'), `(i32.mul ${get('srcRow')} (i32.const ${i}))`));
    // lanes (k+2p, k+2p+1) of column t (at pt + offset) and of the next column
    const loads = ps.map((p) => [
      set(`u${p}`, `(v128.load ${rowAt(2 * p)})`),
      set(`v${p}`, `(v128.load ${rowAt(2 * p + 1)})`),
    ]).flat();
    const term = (lanes, x) =>
      ps.map((p) => {
        const pair = `(i8x16.shuffle ${lanes} ${get(`u${p}`)} ${get(`v${p}`)})`;
        return set(`d${p}`, `(f64x2.add ${get(`d${p}`)} ${x === null ? pair : `(f64x2.mul ${pair} ${x})`})`);
      });
    const single = ps.map((p) => `(v128.load64_lane 1 ${rowAt(2 * p + 1)} (v128.load64_splat ${rowAt(2 * p)}))`);
    return [
      `(block $done${pairs} (loop $rows${pairs}`,
      `  (br_if $done${pairs} (i32.gt_u ${add32(get('k'), const32(2 * pairs))} ${get('rows')}))`,
      `  ${set('pt', add32(get('src'), `(i32.mul ${get('k')} ${get('srcRow')})`))}`,
      `  ${set('pv', get('v'))}`,
      `  ${set('end', add32(get('pt'), times8(get('n'))))}`,
      `  (if ${get('v')} (then`,
      ...ps.map((p) => `    ${set(`d${p}`, `(f64x2.mul ${single[p]} (v128.load64_splat ${get('pv')}))`)}`),
      `    ${set('pt', add32(get('pt'), const32(8)))} ${set('pv', add32(get('pv'), const32(8)))})`,
      `  (else ${ps.map((p) => set(`d${p}`, '(v128.const i64x2 0 0)')).join(' ')}))`,
      `  (block $pairsDone${pairs} (loop $pairs${pairs}`,
      `    (br_if $pairsDone${pairs} (i32.gt_u ${add32(get('pt'), const32(16))} ${get('end')}))`,
      ...loads.map((l) => `    ${l}`),
      `    (if ${get('v')} (then`,
      `      ${set('x', `(v128.load64_splat ${get('pv')})`)} ${set('y', `(v128.load64_splat offset=8 ${get('pv')})`)}`,
      ...term(LOW_LANES, get('x')).map((l) => `      ${l}`),
      ...term(HIGH_LANES, get('y')).map((l) => `      ${l}`),
      `    ) (else`,
      ...term(LOW_LANES, null).map((l) => `      ${l}`),
      ...term(HIGH_LANES, null).map((l) => `      ${l}`),
      `    ))`,
      `    ${set('pt', add32(get('pt'), const32(16)))} ${set('pv', add32(get('pv'), const32(16)))}`,
      `    (br $pairs${pairs})))`,
      `  (if (i32.lt_u ${get('pt')} ${get('end')}) (then`,
      ...ps.map((p) => `    ${set(`d${p}`, `(f64x2.add ${get(`d${p}`)} (if (result v128) ${get('v')} (then (f64x2.mul ${single[p]} (v128.load64_splat ${get('pv')}))) (else ${single[p]})))`)}`),
      `  ))`,
      ...ps.map((p) => `  (v128.store offset=${16 * p} ${add32(get('out'), times8(get('k')))} ${get(`d${p}`)})`),
      `  ${set('k', add32(get('k'), const32(2 * pairs)))}`,
      `  (br $rows${pairs})))`,
    ];
  };
  const indent = (ls) => ls.map((l) => `  ${l}`);
  return [
    `(func $rowDots (export "row_dots") (param $out i32) (param $src i32) (param $v i32) (param $rows i32) (param $n i32)`,
    `  (local $k i32) (local $t i32) (local $pt i32) (local $pv i32) (local $end i32) (local $srcRow i32) (local $s f64)`,
    `  (local $x v128) (local $y v128) ${[0, 1, 2, 3].map((p) => `(local $u${p} v128) (local $v${p} v128) (local $d${p} v128)`).join(' ')}`,
    `  ${set('srcRow', times8(get('n')))}`,
    `  ${set('k', const32(0))}`,
    ...indent(group(4)),
    ...indent(group(1)),
    `  ;; a last row alone`,
    `  (if (i32.lt_u ${get('k')} ${get('rows')}) (then`,
    `    ${set('pt', add32(get('src'), `(i32.mul ${get('k')} ${get('srcRow')})`))}`,
    `    ${set('end', add32(get('pt'), times8(get('n'))))}`,
    `    ${set('pv', get('v'))}`,
    `    (if ${get('v')} (then`,
    `      ${set('s', `(f64.mul (f64.load ${get('pt')}) (f64.load ${get('pv')}))`)}`,
    `      ${set('pt', add32(get('pt'), const32(8)))} ${set('pv', add32(get('pv'), const32(8)))}`,
    `      (block $dotDone (loop $dot (br_if $dotDone (i32.ge_u ${get('pt')} ${get('end')}))`,
    `        ${set('s', `(f64.add ${get('s')} (f64.mul (f64.load ${get('pt')}) (f64.load ${get('pv')})))`)}`,
    `        ${set('pt', add32(get('pt'), const32(8)))} ${set('pv', add32(get('pv'), const32(8)))}`,
    `        (br $dot))))`,
    `    (else`,
    `      ${set('s', '(f64.const 0)')}`,
    `      (block $sumDone (loop $sum (br_if $sumDone (i32.ge_u ${get('pt')} ${get('end')}))`,
    `        ${set('s', `(f64.add ${get('s')} (f64.load ${get('pt')}))`)}`,
    `        ${set('pt', add32(get('pt'), const32(8)))}`,
    `        (br $sum)))))`,
    `    (f64.store ${add32(get('out'), times8(get('k')))} ${get('s')})))`,
    `)`,
  ];
}

/** The double with the given IEEE bits (high and low 32-bit words, as fdlibm writes them). */
function fromWords(high, low) {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, high);
  view.setUint32(4, low);
  return view.getFloat64(0);
}

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

// The constants live in a table that the module's data segment writes into the memory at
// TABLE_AT, each splatted to both lanes, and every use reads them from there: V8 keeps no constant
// in a register across a loop (it rebuilds a v128.const, or a local it can see is constant, with
// three instructions at every use inside the loop), while a load from the table is one instruction,
// or none where it folds into the arithmetic. The arena hands out no address below TABLE_END.
const TABLE_AT = 16;
const TABLE = Object.keys(EXP);
const TABLE_END = TABLE_AT + 16 * TABLE.length;
const K = (name) => {
  const index = TABLE.indexOf(name);
  if (index < 0) throw new Error(`no constant ${name}`);
  return `(v128.load offset=${TABLE_AT + 16 * index} (i32.const 0))`;
};

/** The data segment that writes the table: each constant twice, little-endian. */
function constantTable() {
  const bytes = new Uint8Array(16 * TABLE.length);
  const view = new DataView(bytes.buffer);
  TABLE.forEach((name, i) => {
    view.setFloat64(16 * i, EXP[name], true);
    view.setFloat64(16 * i + 8, EXP[name], true);
  });
  const text = Array.from(bytes, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  return [
    `;; the constants of the kernels, each in both lanes (${TABLE.join(', ')})`,
    `(data (i32.const ${TABLE_AT}) "${text}")`,
    `;; the first address after the table and the sigmoid's scratch arrays: the arena allocates from here on`,
    `(global (export "table_end") i32 (i32.const ${RESERVED_END}))`,
  ];
}

// -x and |x| flip or clear the sign bit with the table's mask (V8 builds its own mask for
// f64x2.neg and f64x2.abs at every use).
const neg = (x) => `(v128.xor ${x} ${K('sign')})`;
const abs = (x) => `(v128.andnot ${x} ${K('sign')})`;

/** The lanes of |$x| (given as `ax`) and x that fdlibm's general case covers (see EXP). */
const generalCase = (x, ax, k = K) =>
  `(v128.and (v128.and (f64x2.ge ${ax} ${k('tiny')}) (f64x2.lt ${ax} ${k('large')})) (f64x2.ne ${x} ${k('one')}))`;

// The vector sigmoid runs in stages over blocks of BLOCK_PAIRS pairs: one loop per stage over the
// block, the values passed between stages through scratch arrays in the kernels' own area (just
// after the table). Done in one loop, each pair's exp is a chain of some forty dependent operations
// (two of them divisions) about a hundred cycles long, and the processor's window of waiting
// instructions fills up with it: two or four pairs interleaved ran barely faster than one. A stage
// is a short chain, its iterations are independent, and the loop runs at the rate the processor
// issues instructions. Each stage reads its constants into locals before its loop (few enough to
// stay in registers).
const BLOCK_PAIRS = 64;
const SCRATCH_AT = Math.ceil(TABLE_END / 64) * 64;
const SCRATCH_ARRAYS = ['hi', 'lo', 'r', 'scale', 'c'];
const scratch = (name) => SCRATCH_AT + SCRATCH_ARRAYS.indexOf(name) * BLOCK_PAIRS * 16;
const RESERVED_END = SCRATCH_AT + SCRATCH_ARRAYS.length * BLOCK_PAIRS * 16;

/**
 * One stage: a loop over the block ($q = 0, 16, ... below $bytes) that first copies `constants`
 * from the table into locals $c_<name> (see above); in `body`, C(name) is such a constant.
 */
function stage(label, constants, body) {
  return [
    ...constants.map((n) => set(`c_${n}`, K(n))),
    set('q', const32(0)),
    `(loop $${label}`,
    ...body.map((l) => `  ${l}`),
    `  ${set('q', add32(get('q'), const32(16)))}`,
    `  (br_if $${label} (i32.lt_u ${get('q')} ${get('bytes')})))`,
  ];
}
const C = (name) => get(`c_${name}`);
const at = (name) => `(v128.load offset=${scratch(name)} ${get('q')})`;
const keep = (name, value) => `(v128.store offset=${scratch(name)} ${get('q')} ${value})`;
const mul = (a, b) => `(f64x2.mul ${a} ${b})`;
const plus = (a, b) => `(f64x2.add ${a} ${b})`;
const sub = (a, b) => `(f64x2.sub ${a} ${b})`;

/**
 * The stages of exp(-src) and the sigmoid, for the pairs at $ps + $q into $pd + $q. fdlibm's
 * operations, in its order: x = k*ln2 + r, then exp(r) by its rational approximation, times 2^k.
 */
function sigmoidStages() {
  const x = `(v128.xor (v128.load ${add32(get('ps'), get('q'))}) ${C('sign')})`;
  // P1 + t*(P2 + t*(P3 + t*(P4 + t*P5))), nested as fdlibm writes it.
  const t = get('t');
  const poly = plus(C('P1'), mul(t, plus(C('P2'), mul(t, plus(C('P3'), mul(t, plus(C('P4'), mul(t, C('P5')))))))));
  return [
    `;; x = -src; k = trunc(x/ln2 + copysign(0.5, x)) where |x| > 0.5*ln2, else 0 (an integer-valued`,
    `;; double); hi = x - k*ln2Hi, lo = k*ln2Lo, r = hi - lo; and 2^k: k + 1023 + 2^52 (exact) holds`,
    `;; k + 1023 in its low mantissa bits, which the shift moves into the exponent field`,
    ...stage('reduce', ['sign', 'invLn2', 'half', 'reduce', 'ln2Hi', 'ln2Lo', 'exponentBias'], [
      set('x', x),
      set('k', `(f64x2.trunc ${plus(mul(C('invLn2'), get('x')), `(v128.or (v128.and ${get('x')} ${C('sign')}) ${C('half')})`)})`),
      set('k', `(v128.and ${get('k')} (f64x2.ge (v128.andnot ${get('x')} ${C('sign')}) ${C('reduce')}))`),
      set('hi', sub(get('x'), mul(get('k'), C('ln2Hi')))),
      set('lo', mul(get('k'), C('ln2Lo'))),
      keep('hi', get('hi')),
      keep('lo', get('lo')),
      keep('r', sub(get('hi'), get('lo'))),
      keep('scale', `(i64x2.shl ${plus(get('k'), C('exponentBias'))} (i32.const 52))`),
    ]),
    `;; c = r - t*(P1 + t*(P2 + ...)), t = r*r`,
    ...stage('poly', ['P1', 'P2', 'P3', 'P4', 'P5'], [
      set('r', at('r')),
      set('t', mul(get('r'), get('r'))),
      keep('c', sub(get('r'), mul(t, poly))),
    ]),
    `;; y = 1 - ((lo - (r*c)/(2 - c)) - hi), kept where hi was`,
    ...stage('ratio', ['one', 'two'], [
      set('c', at('c')),
      keep('hi', sub(C('one'), sub(sub(at('lo'), `(f64x2.div ${mul(at('r'), get('c'))} ${sub(C('two'), get('c'))})`), at('hi')))),
    ]),
    `;; dst = 1/(1 + y*2^k); and whether every lane so far was one of fdlibm's general case`,
    ...stage('store', ['one', 'sign', 'tiny', 'large'], [
      `(v128.store ${add32(get('pd'), get('q'))} (f64x2.div ${C('one')} ${plus(C('one'), mul(at('hi'), at('scale')))}))`,
      set('x', x),
      set('allOk', `(v128.and ${get('allOk')} ${generalCase(get('x'), `(v128.andnot ${get('x')} ${C('sign')})`, C)})`),
    ]),
  ];
}

function sigmoid() {
  const indent = (ls, n) => ls.map((l) => `${' '.repeat(n)}${l}`);
  const scalar = (at) => `(f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (f64.load ${at})))))`;
  const constants = TABLE.map((n) => `(local $c_${n} v128)`).join(' ');
  return [
    `;; dst[i] = 1 / (1 + exp(-src[i])) for i < n, exp as Math.exp; dst and src must not overlap.`,
    `;; Pairs run through the vector exp, in stages over blocks of ${BLOCK_PAIRS} pairs; if any lane needed`,
    `;; Math.exp, a second pass redoes those.`,
    `(func $sigmoid (export "sigmoid") (param $dst i32) (param $src i32) (param $n i32)`,
    `  (local $end i32) (local $ps i32) (local $pd i32) (local $q i32) (local $bytes i32)`,
    `  (local $allOk v128) (local $x v128) (local $k v128) (local $hi v128) (local $lo v128) (local $r v128) (local $t v128) (local $c v128)`,
    `  ${constants}`,
    `  ${set('allOk', '(v128.const i64x2 -1 -1)')}`,
    `  ${set('end', add32(get('src'), times8(`(i32.and ${get('n')} (i32.const -2))`)))}`,
    `  ${set('ps', get('src'))}`,
    `  ${set('pd', get('dst'))}`,
    `  (block $blocksDone (loop $blocks`,
    `    (br_if $blocksDone (i32.ge_u ${get('ps')} ${get('end')}))`,
    `    ${set('bytes', `(i32.sub ${get('end')} ${get('ps')})`)}`,
    `    (if (i32.gt_u ${get('bytes')} ${const32(BLOCK_PAIRS * 16)}) (then ${set('bytes', const32(BLOCK_PAIRS * 16))}))`,
    ...indent(sigmoidStages(), 4),
    `    ${set('ps', add32(get('ps'), get('bytes')))}`,
    `    ${set('pd', add32(get('pd'), get('bytes')))}`,
    `    (br $blocks)))`,
    `  (if (i32.eqz (i64x2.all_true ${get('allOk')})) (then`,
    `    ${set('ps', get('src'))}`,
    `    ${set('pd', get('dst'))}`,
    `    (block $redoDone (loop $redo`,
    `      (br_if $redoDone (i32.ge_u ${get('ps')} ${get('end')}))`,
    `      ${set('x', neg(`(v128.load64_splat ${get('ps')})`))}`,
    `      (if (i32.eqz (i64x2.all_true ${generalCase(get('x'), abs(get('x')))}))`,
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
    `  (local $end i32) (local $v v128) (local $s f64)`,
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
    ...constantTable(),
    ...gemm(),
    transpose(),
    panels(),
    ...rowDots(),
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
