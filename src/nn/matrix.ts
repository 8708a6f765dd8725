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
  const w = W.data;
  const a = A.data;
  const bias = b.data;
  const z = Z.data;
  for (let i = 0; i < nOut; i++) {
    const zRow = i * m;
    const wRow = i * nIn;
    // Row i of the product is accumulated as sum_k W[i,k] * A[k,:], k in order, then the bias.
    const w0 = w[wRow];
    for (let j = 0; j < m; j++) z[zRow + j] = w0 * a[j];
    for (let k = 1; k < nIn; k++) {
      const wk = w[wRow + k];
      const aRow = k * m;
      for (let j = 0; j < m; j++) z[zRow + j] += wk * a[aRow + j];
    }
    const bi = bias[i];
    for (let j = 0; j < m; j++) z[zRow + j] += bi;
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
  for (let i = 0; i < nOut; i++) {
    const gRow = i * m;
    for (let k = 0; k < nIn; k++) {
      const aRow = k * m;
      let s = g[gRow] * a[aRow];
      for (let j = 1; j < m; j++) s += g[gRow + j] * a[aRow + j];
      out[i * nIn + k] = s;
    }
  }
}

/** dA_prev = Wᵀ·dZ (the gradient a Linear node passes to the node before it). */
export function matmulTransposeA(W: Matrix, dZ: Matrix, dA: Matrix): void {
  const nOut = W.rows;
  const nIn = W.cols;
  const m = dZ.cols;
  const w = W.data;
  const g = dZ.data;
  const out = dA.data;
  for (let k = 0; k < nIn; k++) {
    const outRow = k * m;
    const w0 = w[k];
    for (let j = 0; j < m; j++) out[outRow + j] = w0 * g[j];
    for (let i = 1; i < nOut; i++) {
      const wik = w[i * nIn + k];
      const gRow = i * m;
      for (let j = 0; j < m; j++) out[outRow + j] += wik * g[gRow + j];
    }
  }
}

/** out[i] = sum over the columns of row i (np.sum(M, axis=1, keepdims=True)). */
export function rowSums(M: Matrix, out: Matrix): void {
  const m = M.cols;
  const d = M.data;
  const o = out.data;
  for (let i = 0; i < M.rows; i++) {
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
