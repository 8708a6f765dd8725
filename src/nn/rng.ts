// NumPy's legacy generator (RandomState): MT19937 seeded like np.random.seed(int), 53-bit
// random_sample, polar-method randn with the cached second value, and the legacy permutation.
// Every draw is bit-identical to NumPy, which is what lets seeded runs agree to the last digit.

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class RandomState {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;
  private hasGauss = false;
  private gauss = 0;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Same as np.random.seed(seed) for an integer 0 <= seed < 2^32 (init_genrand). */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev mod 2^32, split to stay exact in doubles.
      mt[i] = ((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i;
    }
    this.mti = N;
    this.hasGauss = false;
    this.gauss = 0;
  }

  /** Next raw 32-bit output of MT19937. */
  nextUint32(): number {
    return this.nextInt32() >>> 0;
  }

  /**
   * The same output as a signed 32-bit integer (the same bits): a small integer to V8, never a
   * boxed number, so drawing it allocates nothing (the per-epoch reshuffling draws m - 1 of them).
   */
  private nextInt32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y | 0;
  }

  /** Uniform double in [0, 1) from 53 random bits, like np.random.random_sample(). */
  randomSample(): number {
    const a = this.nextInt32() >>> 5;
    const b = this.nextInt32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Standard normal draw, like np.random.randn() (Marsaglia polar method, second value cached). */
  randn(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      return this.gauss;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.randomSample() - 1;
      x2 = 2 * this.randomSample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** Fills `out` with standard normal draws in order (row order for a matrix). */
  fillRandn(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.randn();
    return out;
  }

  /** Uniform integer in [0, max] by masked rejection, like NumPy's legacy random_interval. */
  interval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) throw new RangeError('interval above 2^32 - 1 is not supported');
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do {
      value = (this.nextInt32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /** Like np.random.permutation(n): arange(n) shuffled by the legacy Fisher-Yates pass. */
  permutation(n: number): Int32Array {
    return this.permutationInto(new Int32Array(n));
  }

  /** permutation(out.length) written into `out` (no allocation: a new order every epoch). */
  permutationInto(out: Int32Array): Int32Array {
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }
}
