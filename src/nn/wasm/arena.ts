// WebAssembly matrix kernels and the memory they work in. A network whose work is big enough for
// them to pay gets an Arena: one WebAssembly memory that holds its parameters, gradients and
// workspaces, plus an instance of the kernels module bound to it. Matrices in the arena are ordinary
// Float64Array views, so every JavaScript kernel and loop keeps working on them unchanged; the wasm
// kernels take their byte offsets as addresses.
//
// The memory grows as workspaces are added. Growing a WebAssembly memory detaches its old
// ArrayBuffer, so the arena then gives every matrix it made a new view of the same place: code must
// read `matrix.data` again after anything that can allocate (Network.workspace, Network.predict)
// instead of keeping a Float64Array from before, as the engine does. (A shared memory would never
// detach, but V8 does not count shared memory as memory pressure: the memories of networks no longer
// used piled up without a garbage collection to free them. An ordinary memory is freed like any
// ArrayBuffer.) Each network's arena is its own, and a training runs on one thread.
//
// The kernels (scripts/wasm-kernels.mjs) sum in exactly the order of the JavaScript kernels in
// ../matrix.ts, and their sigmoid computes exp with Math.exp's own algorithm (V8's fdlibm), so which
// of the two runs never changes a result, bit for bit. Small products and short loops go to
// JavaScript, where calling into WebAssembly would cost more than it saves. The kernels keep their
// constants and a few scratch arrays of their own at the bottom of the memory, below the first
// address the arena hands out.

import { activations } from '../activations.js';
import { type Matrix, linearForward, matmul, matmulTransposeA, matmulTransposeB, rowSums } from '../matrix.js';
import { KERNELS_BASE64 } from './kernels-module.js';

interface KernelExports {
  gemm(out: number, coef: number, rs: number, src: number, panels: number, R: number, C: number, T: number, bias: number, act: number): void;
  transpose(dst: number, src: number, rows: number, cols: number): void;
  panels(dst: number, src: number, rows: number, cols: number): void;
  row_dots(out: number, src: number, v: number, rows: number, n: number): void;
  sigmoid(dst: number, src: number, n: number): void;
  sigmoid_backward(dz: number, da: number, a: number, n: number): void;
  /** The first address after the kernels' own area (their table of constants and scratch arrays). */
  table_end: { value: number };
}

// The few WebAssembly JS API members used here (the project's TypeScript libs do not declare them).
interface WasmModule {
  readonly __brand: 'WebAssembly.Module';
}
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
}
const WebAssemblyApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

const PAGE_BYTES = 65536;
/**
 * One page short of the 4 GiB of 32-bit addressing, so that no buffer's end address (which the
 * kernels compute) can wrap around to 0.
 */
const MAX_PAGES = 65535;
/**
 * Addresses below this are never handed out: 0 means "none" to the kernels, and the kernels' table
 * of constants sits just above it (the module exports where the table ends).
 */
const FIRST_ADDRESS = 64;
/** Every allocation starts on a cache line. */
const ALIGN = 64;
// A call from JavaScript into WebAssembly costs about 80 ns (Node 20, measured on the 2-core AMD
// EPYC dev machine): the JavaScript kernels win below about 100 multiply-adds or 30 sigmoids, the
// wasm ones are 5x faster from 1000 multiply-adds on.
/** Products with fewer multiply-adds than this run in JavaScript. */
export const WASM_MIN_MULTIPLY_ADDS = 256;
/** Element-wise loops over fewer values than this run in JavaScript. */
export const WASM_MIN_ELEMENTS = 32;

const kernelsModule = compileKernels();
let enabled = kernelsModule !== null;
detachOneBuffer();

/**
 * The first ArrayBuffer detached in a thread makes V8 throw away every function it optimised on the
 * assumption that none ever is. An arena's growth detaches one, so without this a training loop
 * optimised during a sweep's first run was thrown away when that run's decision-boundary map grew
 * its arena, and the next run started over in the interpreter (xor-lr's second run: 40 ms instead
 * of 2). One empty memory grown once, when the engine loads, before anything is optimised, settles
 * the assumption from the start; code optimised later checks for detached buffers as it would after
 * the first growth anyway.
 */
function detachOneBuffer(): void {
  if (kernelsModule === null) return;
  new (WebAssemblyApi as WasmApi).Memory({ initial: 0, maximum: 1 }).grow(1);
}

function compileKernels(): WasmModule | null {
  if (WebAssemblyApi === undefined) return null;
  try {
    return new WebAssemblyApi.Module(Buffer.from(KERNELS_BASE64, 'base64'));
  } catch {
    // No WebAssembly SIMD here: the JavaScript kernels do everything.
    return null;
  }
}

/**
 * Turns the WebAssembly kernels off (false) or back on for arenas created from now on (networks
 * already in one keep it); for tests that compare the two paths. Cannot turn on a module that did
 * not compile.
 */
export function setWasmKernels(on: boolean): void {
  enabled = on && kernelsModule !== null;
}

export function wasmKernelsEnabled(): boolean {
  return enabled;
}

/** A new arena, or null when the wasm kernels are off or unavailable. */
export function createArena(): Arena | null {
  if (!enabled || kernelsModule === null) return null;
  return new Arena(kernelsModule);
}

/** A position in the arena to release back to (see Arena.mark). */
export interface ArenaMark {
  readonly top: number;
  readonly scratchAt: number;
  readonly scratchBytes: number;
  readonly placed: number;
}

/** A matrix the arena made, and where its values are: its view is renewed when the memory grows. */
interface Placed {
  readonly matrix: { rows: number; cols: number; data: Float64Array };
  readonly at: number;
  readonly length: number;
}

export class Arena {
  private readonly memory: WasmMemory;
  private readonly k: KernelExports;
  private top = FIRST_ADDRESS;
  /** Scratch space for the transposed operands of Wᵀ·dZ and dZ·Aᵀ (reserved by workspaces). */
  private scratchAt = 0;
  private scratchBytes = 0;
  private readonly placed: Placed[] = [];
  /** memory.buffer as of the last growth (reading the property each time costs more). */
  private buffer: ArrayBufferLike;

  constructor(module: WasmModule) {
    const api = WebAssemblyApi as WasmApi; // a compiled module means the API is there
    this.memory = new api.Memory({ initial: 1, maximum: MAX_PAGES });
    this.buffer = this.memory.buffer;
    this.k = new api.Instance(module, { env: { memory: this.memory, exp: Math.exp } }).exports as KernelExports;
    this.top = Math.ceil(Math.max(FIRST_ADDRESS, this.k.table_end.value) / ALIGN) * ALIGN;
  }

  /** A zero-filled rows x cols matrix in the arena. */
  zeros(rows: number, cols: number): Matrix {
    const length = rows * cols;
    const at = this.allocate(length * 8);
    const matrix = { rows, cols, data: new Float64Array(this.buffer, at, length) };
    matrix.data.fill(0); // released space may be reused
    this.placed.push({ matrix, at, length });
    return matrix;
  }

  /** A copy of `values` as a rows x cols matrix in the arena. */
  copyOf(rows: number, cols: number, values: Float64Array): Matrix {
    const m = this.zeros(rows, cols);
    m.data.set(values);
    return m;
  }

  /** Moves a matrix into the arena: its values are copied there and `matrix.data` becomes their view. */
  adopt(matrix: { rows: number; cols: number; data: Float64Array }): void {
    const length = matrix.data.length;
    const at = this.allocate(length * 8);
    const data = new Float64Array(this.buffer, at, length);
    data.set(matrix.data);
    matrix.data = data;
    this.placed.push({ matrix, at, length });
  }

  /** Makes sure the scratch space holds at least `values` numbers. */
  reserveScratch(values: number): void {
    const bytes = values * 8;
    if (bytes <= this.scratchBytes) return;
    this.scratchAt = this.allocate(bytes);
    this.scratchBytes = bytes;
  }

  /** The current allocation state; `release` frees everything allocated after it. */
  mark(): ArenaMark {
    return { top: this.top, scratchAt: this.scratchAt, scratchBytes: this.scratchBytes, placed: this.placed.length };
  }

  /** Frees everything allocated since `mark`; the matrices made since must no longer be used. */
  release(mark: ArenaMark): void {
    this.top = mark.top;
    this.scratchAt = mark.scratchAt;
    this.scratchBytes = mark.scratchBytes;
    this.placed.length = mark.placed;
  }

  /** Z = W·A + b, as ../matrix.ts linearForward. */
  linearForward(W: Matrix, A: Matrix, b: Matrix, Z: Matrix): void {
    const nOut = W.rows;
    const nIn = W.cols;
    const m = A.cols;
    if (nOut * nIn * m < WASM_MIN_MULTIPLY_ADDS || !this.holds(W, A, b, Z)) {
      linearForward(W, A, b, Z);
      return;
    }
    // Row i: coefficients W[i][k] (rows nIn*8 bytes apart), source rows A[k].
    this.k.gemm(Z.data.byteOffset, W.data.byteOffset, nIn * 8, A.data.byteOffset, 0, nOut, m, nIn, b.data.byteOffset, 0);
  }

  /** Z = W·A, as ../matrix.ts matmul. */
  matmul(W: Matrix, A: Matrix, Z: Matrix): void {
    const nOut = W.rows;
    const nIn = W.cols;
    const m = A.cols;
    if (nOut * nIn * m < WASM_MIN_MULTIPLY_ADDS || !this.holds(W, A, Z, Z)) {
      matmul(W, A, Z);
      return;
    }
    this.k.gemm(Z.data.byteOffset, W.data.byteOffset, nIn * 8, A.data.byteOffset, 0, nOut, m, nIn, 0, 0);
  }

  /**
   * dA = Wᵀ·dZ, as ../matrix.ts matmulTransposeA; with `a` (the output of a sigmoid, shaped as dA),
   * the sigmoid's backward step follows in the same pass: dA = (Wᵀ·dZ) * a * (1 - a), element by
   * element, as the sigmoid activation's backward loop computes it.
   */
  matmulTransposeA(W: Matrix, dZ: Matrix, dA: Matrix, a: Matrix | null = null): void {
    const nOut = W.rows;
    const nIn = W.cols;
    const m = dZ.cols;
    const act = a ?? dA;
    if (nOut * nIn * m < WASM_MIN_MULTIPLY_ADDS || nOut * nIn * 8 > this.scratchBytes || !this.holds(W, dZ, dA, act)) {
      matmulTransposeA(W, dZ, dA);
      if (a !== null) activations.sigmoid.backward(dA.data, a.data, a.data, dA.data, dA.data.length);
      return;
    }
    // Row k: coefficients W[i][k], a column of W; read from Wᵀ in scratch, whose rows are contiguous
    // (a column of W touches a new cache line per term, and the lines of a 64 x 64 W competed for
    // the same few cache sets). Source rows dZ[i].
    const Wt = this.scratchAt;
    this.k.transpose(Wt, W.data.byteOffset, nOut, nIn);
    this.k.gemm(dA.data.byteOffset, Wt, nOut * 8, dZ.data.byteOffset, 0, nIn, m, nOut, 0, a === null ? 0 : a.data.byteOffset);
  }

  /** dW = dZ·Aᵀ, as ../matrix.ts matmulTransposeB. */
  matmulTransposeB(dZ: Matrix, A: Matrix, dW: Matrix): void {
    const nOut = dZ.rows;
    const nIn = A.rows;
    const m = dZ.cols;
    if (nOut * nIn * m < WASM_MIN_MULTIPLY_ADDS || nIn * m * 8 > this.scratchBytes || !this.holds(dZ, A, dW, dW)) {
      matmulTransposeB(dZ, A, dW);
      return;
    }
    const out = dW.data.byteOffset;
    const g = dZ.data.byteOffset;
    const a = A.data.byteOffset;
    if (nOut < 4) {
      // A layer of one to three outputs: each row of dW is the dot products of one row of dZ with
      // the rows of A, two rows of A per vector (one per lane); no transpose.
      for (let i = 0; i < nOut; i++) this.k.row_dots(out + i * nIn * 8, a, g + i * m * 8, nIn, m);
      return;
    }
    // dW[i][k] = sum_j dZ[i][j] * Aᵀ[j][k]: with Aᵀ (m x nIn) in scratch, in panels of 4 columns,
    // each lane of a vector of dW's row sums over j in order, exactly like the dot product of the
    // JavaScript kernel.
    const At = this.scratchAt;
    this.k.panels(At, a, nIn, m);
    this.k.gemm(out, g, m * 8, At, 1, nOut, nIn, m, 0, 0);
  }

  /** out[i] = the sum of row i of M, as ../matrix.ts rowSums (one row per lane). */
  rowSums(M: Matrix, out: Matrix): void {
    if (M.data.length < WASM_MIN_ELEMENTS || !this.holds(M, out, out, out)) {
      rowSums(M, out);
      return;
    }
    this.k.row_dots(out.data.byteOffset, M.data.byteOffset, 0, M.rows, M.cols);
  }

  /** a = 1/(1 + exp(-z)) element by element, as the sigmoid activation's forward loop. */
  sigmoidForward(z: Matrix, a: Matrix): void {
    const n = z.data.length;
    // The kernel reads z again after writing a (for the rare lanes it leaves to Math.exp).
    if (n < WASM_MIN_ELEMENTS || z.data === a.data || !this.holds(z, a, a, a)) {
      activations.sigmoid.forward(z.data, a.data, n);
      return;
    }
    this.k.sigmoid(a.data.byteOffset, z.data.byteOffset, n);
  }

  /** dZ = dA * a * (1 - a) element by element, as the sigmoid activation's backward loop. */
  sigmoidBackward(dA: Matrix, a: Matrix, dZ: Matrix): void {
    const n = dA.data.length;
    if (n < WASM_MIN_ELEMENTS || !this.holds(dA, a, dZ, dZ)) {
      activations.sigmoid.backward(dA.data, a.data, a.data, dZ.data, n);
      return;
    }
    this.k.sigmoid_backward(dZ.data.byteOffset, dA.data.byteOffset, a.data.byteOffset, n);
  }

  /**
   * Whether all four matrices are views of this arena's memory: a kernel only ever gets addresses
   * in it, and anything else (a workspace that did not fit, a caller's own matrix) runs in
   * JavaScript. Every view of the arena is of its current buffer (see renewViews).
   */
  private holds(a: Matrix, b: Matrix, c: Matrix, d: Matrix): boolean {
    const buffer = this.buffer;
    return a.data.buffer === buffer && b.data.buffer === buffer && c.data.buffer === buffer && d.data.buffer === buffer;
  }

  private allocate(bytes: number): number {
    const at = this.top;
    const end = Math.ceil((at + bytes) / ALIGN) * ALIGN;
    const pages = this.buffer.byteLength / PAGE_BYTES;
    const needed = Math.ceil(end / PAGE_BYTES);
    if (needed > pages) {
      if (needed > MAX_PAGES) {
        throw new RangeError(
          `the network's buffers need ${(end / 2 ** 30).toFixed(1)} GiB, more than a WebAssembly memory can hold (4 GiB)`,
        );
      }
      // At least half again as much, so that a series of allocations seldom grows the memory.
      this.memory.grow(Math.min(MAX_PAGES, Math.max(needed, Math.ceil(pages * 1.5))) - pages);
      this.renewViews();
    }
    this.top = end;
    return at;
  }

  /** After growing: the old buffer is detached, so every matrix gets a view of the new one. */
  private renewViews(): void {
    const buffer = this.memory.buffer;
    this.buffer = buffer;
    for (const p of this.placed) p.matrix.data = new Float64Array(buffer, p.at, p.length);
  }
}
