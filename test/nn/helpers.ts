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
