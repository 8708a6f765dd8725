// Shared by the engine tests: fixture reading and a relative-difference measure.
import { readFileSync } from 'node:fs';

export function readFixture(relative: string): string {
  return readFileSync(new URL(`../fixtures/${relative}`, import.meta.url), 'utf8');
}

/** Rows of an `epoch,cost[,test_cost]` CSV (NaN and Infinity spelled as JavaScript prints them). */
export function readCurve(relative: string): { epoch: number[]; cost: number[]; testCost: number[] | null } {
  const [header, ...lines] = readFixture(relative).trim().split('\n');
  const hasTest = header.split(',').includes('test_cost');
  const rows = lines.map((line) => line.split(',').map(Number));
  return {
    epoch: rows.map((r) => r[0]),
    cost: rows.map((r) => r[1]),
    testCost: hasTest ? rows.map((r) => r[2]) : null,
  };
}

/** |a - b| / |b|; 0 when both are the same number (NaN and Infinity included). */
export function relativeDifference(a: number, b: number): number {
  if (Object.is(a, b) || a === b) return 0;
  return Math.abs(a - b) / Math.abs(b);
}

/** The largest relative difference between two equally long series, and where it is. */
export function worstRelative(actual: ArrayLike<number>, expected: ArrayLike<number>): { worst: number; at: number } {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = relativeDifference(actual[i], expected[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  return { worst, at };
}

/**
 * Every eigenvalue of a small symmetric matrix, ascending, by cyclic Jacobi rotations: a method
 * of its own, independent of the engine's Lanczos, for checking it.
 */
export function jacobiEigenvalues(matrix: readonly (readonly number[])[]): number[] {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue;
        // The rotation that zeroes a[p][q] (Rutishauser's formulas).
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((row, i) => row[i]).sort((x, y) => x - y);
}
