// Dense matrices as the blog lays them out: X is (features x m), one example per column.
// Storage is row-major, exactly NumPy's C-ordered array of the same shape: element (r, c) lives at
// data[r * cols + c]. Every kernel writes into an output the caller allocated once, so a training
// loop allocates nothing per epoch. The kernels trust their callers on shapes (the network checks
// them once when it builds its buffers); the helpers that take user data check them.
//
// Sums run left to right, in the same order as the NumPy expressions they mirror, so results stay
// within rounding of NumPy (BLAS may fuse or reorder, which is why agreement is 1e-9, not bitwise).

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export function zeros(rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`matrix shape must be non-negative integers, got ${rows} x ${cols}`);
  }
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** A matrix from its rows (each an array of the same length), like np.array(rows). */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const nRows = rows.length;
  const nCols = nRows === 0 ? 0 : rows[0].length;
  const out = zeros(nRows, nCols);
  for (let r = 0; r < nRows; r++) {
    const row = rows[r];
    if (!Array.isArray(row) || row.length !== nCols) {
      throw new RangeError(`row ${r} has ${Array.isArray(row) ? row.length : 'no'} values, expected ${nCols}`);
    }
    for (let c = 0; c < nCols; c++) {
      const v = row[c];
      if (typeof v !== 'number') throw new TypeError(`element (${r}, ${c}) is not a number`);
      out.data[r * nCols + c] = v;
    }
  }
  return out;
}

/** The rows of a matrix as plain arrays (JSON-friendly). */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}

/** Z = W·A + b, with the column vector b broadcast across the columns of the product. */
export function linearForward(W: Matrix, A: Matrix, b: Matrix, Z: Matrix): void {
  const nOut = W.rows;
  const nIn = W.cols;
  const m = A.cols;
  // Row i of the product: sum_k W[i,k] * A[k,:], k in order (row i of W), then the bias.
  let i = 0;
  for (; i + 2 <= nOut; i += 2) accumulateRowPair(Z.data, i * m, A.data, m, W.data, i * nIn, nIn, 1, nIn);
  if (i < nOut) accumulateRow(Z.data, i * m, A.data, m, W.data, i * nIn, 1, nIn);
  const z = Z.data;
  const bias = b.data;
  for (let r = 0; r < nOut; r++) {
    const br = bias[r];
    const o = r * m;
    for (let j = 0; j < m; j++) z[o + j] += br;
  }
}

/** Z = W·A, the product without a bias (for the R-operator's terms, see hessian-vector.ts). */
export function matmul(W: Matrix, A: Matrix, Z: Matrix): void {
  const nOut = W.rows;
  const nIn = W.cols;
  const m = A.cols;
  let i = 0;
  for (; i + 2 <= nOut; i += 2) accumulateRowPair(Z.data, i * m, A.data, m, W.data, i * nIn, nIn, 1, nIn);
  if (i < nOut) accumulateRow(Z.data, i * m, A.data, m, W.data, i * nIn, 1, nIn);
}

/** out += x, element by element (same shapes). */
export function addInto(out: Matrix, x: Matrix): void {
  const o = out.data;
  const d = x.data;
  for (let i = 0; i < o.length; i++) o[i] += d[i];
}

/** dA_prev = Wᵀ·dZ (the gradient a Linear node passes to the node before it). */
export function matmulTransposeA(W: Matrix, dZ: Matrix, dA: Matrix): void {
  const nOut = W.rows;
  const nIn = W.cols;
  const m = dZ.cols;
  // Row k of the product: sum_i W[i,k] * dZ[i,:], i in order (column k of W, stride nIn).
  let k = 0;
  for (; k + 2 <= nIn; k += 2) accumulateRowPair(dA.data, k * m, dZ.data, m, W.data, k, 1, nIn, nOut);
  if (k < nIn) accumulateRow(dA.data, k * m, dZ.data, m, W.data, k, nIn, nOut);
}

// The two products above share one pattern: an output row is a weighted sum of `count` source rows
// of length m, out[o + j] = sum_r coef[c0 + r*cStride] * src[r*m + j], summed in the order of r.
// Four source rows are folded in per sweep ((((s + t0) + t1) + t2) + t3: the order of the sum is
// unchanged) and two output rows share each sweep, which cuts the loads and stores per
// multiply-add several times over; results are bit for bit those of the plain loop.

/** One output row; see above. */
function accumulateRow(
  out: Float64Array,
  o: number,
  src: Float64Array,
  m: number,
  coef: Float64Array,
  c0: number,
  cStride: number,
  count: number,
): void {
  const w0 = coef[c0];
  for (let j = 0; j < m; j++) out[o + j] = w0 * src[j];
  let r = 1;
  for (; r + 4 <= count; r += 4) {
    const c = c0 + r * cStride;
    const w1 = coef[c];
    const w2 = coef[c + cStride];
    const w3 = coef[c + 2 * cStride];
    const w4 = coef[c + 3 * cStride];
    const s1 = r * m;
    const s2 = s1 + m;
    const s3 = s2 + m;
    const s4 = s3 + m;
    for (let j = 0; j < m; j++) {
      out[o + j] = out[o + j] + w1 * src[s1 + j] + w2 * src[s2 + j] + w3 * src[s3 + j] + w4 * src[s4 + j];
    }
  }
  for (; r < count; r++) {
    const wr = coef[c0 + r * cStride];
    const sr = r * m;
    for (let j = 0; j < m; j++) out[o + j] += wr * src[sr + j];
  }
}

/** Output rows o and o + m together; their coefficients start at c0 and c0 + cNext. */
function accumulateRowPair(
  out: Float64Array,
  o: number,
  src: Float64Array,
  m: number,
  coef: Float64Array,
  c0: number,
  cNext: number,
  cStride: number,
  count: number,
): void {
  const p = o + m;
  const d0 = c0 + cNext;
  const a0 = coef[c0];
  const b0 = coef[d0];
  for (let j = 0; j < m; j++) {
    const v = src[j];
    out[o + j] = a0 * v;
    out[p + j] = b0 * v;
  }
  let r = 1;
  for (; r + 4 <= count; r += 4) {
    const c = c0 + r * cStride;
    const d = d0 + r * cStride;
    const a1 = coef[c];
    const a2 = coef[c + cStride];
    const a3 = coef[c + 2 * cStride];
    const a4 = coef[c + 3 * cStride];
    const b1 = coef[d];
    const b2 = coef[d + cStride];
    const b3 = coef[d + 2 * cStride];
    const b4 = coef[d + 3 * cStride];
    const s1 = r * m;
    const s2 = s1 + m;
    const s3 = s2 + m;
    const s4 = s3 + m;
    for (let j = 0; j < m; j++) {
      const v1 = src[s1 + j];
      const v2 = src[s2 + j];
      const v3 = src[s3 + j];
      const v4 = src[s4 + j];
      out[o + j] = out[o + j] + a1 * v1 + a2 * v2 + a3 * v3 + a4 * v4;
      out[p + j] = out[p + j] + b1 * v1 + b2 * v2 + b3 * v3 + b4 * v4;
    }
  }
  for (; r < count; r++) {
    const ar = coef[c0 + r * cStride];
    const br = coef[d0 + r * cStride];
    const sr = r * m;
    for (let j = 0; j < m; j++) {
      const v = src[sr + j];
      out[o + j] += ar * v;
      out[p + j] += br * v;
    }
  }
}

/** dW = dZ·Aᵀ (the weight gradient of a Linear node). */
export function matmulTransposeB(dZ: Matrix, A: Matrix, dW: Matrix): void {
  const nOut = dZ.rows;
  const nIn = A.rows;
  const m = dZ.cols;
  const g = dZ.data;
  const a = A.data;
  const out = dW.data;
  // Each dW[i,k] is a dot product of two rows, summed j = 0, 1, ... in order. Two rows of dZ times
  // four rows of A run side by side: eight independent sums that share their loads.
  let i = 0;
  for (; i + 2 <= nOut; i += 2) {
    const g0 = i * m;
    const g1 = g0 + m;
    let k = 0;
    for (; k + 4 <= nIn; k += 4) {
      const r0 = k * m;
      const r1 = r0 + m;
      const r2 = r1 + m;
      const r3 = r2 + m;
      let x = g[g0];
      let y = g[g1];
      let v0 = a[r0];
      let v1 = a[r1];
      let v2 = a[r2];
      let v3 = a[r3];
      let s00 = x * v0, s01 = x * v1, s02 = x * v2, s03 = x * v3;
      let s10 = y * v0, s11 = y * v1, s12 = y * v2, s13 = y * v3;
      for (let j = 1; j < m; j++) {
        x = g[g0 + j];
        y = g[g1 + j];
        v0 = a[r0 + j];
        v1 = a[r1 + j];
        v2 = a[r2 + j];
        v3 = a[r3 + j];
        s00 += x * v0;
        s01 += x * v1;
        s02 += x * v2;
        s03 += x * v3;
        s10 += y * v0;
        s11 += y * v1;
        s12 += y * v2;
        s13 += y * v3;
      }
      const o = i * nIn + k;
      out[o] = s00;
      out[o + 1] = s01;
      out[o + 2] = s02;
      out[o + 3] = s03;
      out[o + nIn] = s10;
      out[o + nIn + 1] = s11;
      out[o + nIn + 2] = s12;
      out[o + nIn + 3] = s13;
    }
    for (; k < nIn; k++) {
      out[i * nIn + k] = dot(g, g0, a, k * m, m);
      out[(i + 1) * nIn + k] = dot(g, g1, a, k * m, m);
    }
  }
  if (i < nOut) for (let k = 0; k < nIn; k++) out[i * nIn + k] = dot(g, i * m, a, k * m, m);
}

function dot(x: Float64Array, xo: number, y: Float64Array, yo: number, n: number): number {
  let s = x[xo] * y[yo];
  for (let j = 1; j < n; j++) s += x[xo + j] * y[yo + j];
  return s;
}

/** out[i] = sum over the columns of row i (np.sum(M, axis=1, keepdims=True)). */
export function rowSums(M: Matrix, out: Matrix): void {
  const m = M.cols;
  const d = M.data;
  const o = out.data;
  const rows = M.rows;
  // Four rows side by side: four independent running sums, each still in column order, instead of
  // one chain of additions that each wait for the one before.
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const r0 = i * m;
    const r1 = r0 + m;
    const r2 = r1 + m;
    const r3 = r2 + m;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < m; j++) {
      s0 += d[r0 + j];
      s1 += d[r1 + j];
      s2 += d[r2 + j];
      s3 += d[r3 + j];
    }
    o[i] = s0;
    o[i + 1] = s1;
    o[i + 2] = s2;
    o[i + 3] = s3;
  }
  for (; i < rows; i++) {
    const row = i * m;
    let s = 0;
    for (let j = 0; j < m; j++) s += d[row + j];
    o[i] = s;
  }
}

/** out = f(M) element by element (out may be M itself). Not for hot loops: the call is generic. */
export function mapInto(M: Matrix, f: (x: number) => number, out: Matrix): Matrix {
  if (out.rows !== M.rows || out.cols !== M.cols) {
    throw new RangeError(`mapInto: output is ${out.rows} x ${out.cols}, input ${M.rows} x ${M.cols}`);
  }
  const d = M.data;
  const o = out.data;
  for (let i = 0; i < d.length; i++) o[i] = f(d[i]);
  return out;
}

/** Copies columns [start, start + out.cols) of `src` into `out` (a minibatch slice of examples). */
export function copyColumns(src: Matrix, start: number, out: Matrix): void {
  const n = out.cols;
  const s = src.data;
  const o = out.data;
  for (let r = 0; r < src.rows; r++) {
    const from = r * src.cols + start;
    const to = r * n;
    for (let j = 0; j < n; j++) o[to + j] = s[from + j];
  }
}

/** out[:, j] = src[:, order[start + j]] for the out.cols columns of out (a shuffled minibatch). */
export function copyColumnsInOrder(src: Matrix, order: Int32Array, start: number, out: Matrix): void {
  const n = out.cols;
  const m = src.cols;
  const s = src.data;
  const o = out.data;
  for (let r = 0; r < src.rows; r++) {
    const from = r * m;
    const to = r * n;
    for (let j = 0; j < n; j++) o[to + j] = s[from + order[start + j]];
  }
}
