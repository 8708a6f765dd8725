import { describe, expect, it } from 'vitest';
import { failedRecord, factsOf, type FinishedRun } from '../../src/run/index.js';
import { formatFailures } from '../../src/terminal/failures.js';

const row = (index: number, error: string | null): FinishedRun => {
  const facts = error === null ? { ...factsOf(failedRecord('h', '1', '')), status: 'converged' as const, error: null } : factsOf(failedRecord('h', '1', error));
  return { index, params: [['train.learning_rate', index / 10]], facts, reused: false };
};

describe('formatFailures', () => {
  it('says nothing when no run failed', () => {
    expect(formatFailures([row(1, null)])).toBeNull();
  });

  it("prints the first failed run's message and how many others failed the same way or differently", () => {
    const text = formatFailures([
      row(1, null),
      row(2, 'injected failure in run 2'),
      row(3, 'injected failure in run 3'),
      row(4, 'out of memory in the worker'),
      row(5, 'injected failure in run 5'),
    ]);
    expect(text).toBe(
      '4 of 5 runs failed. Run 2 (train.learning_rate=0.2) failed: injected failure in run 2\n' +
        '2 other runs failed the same way, 1 run failed differently; see the error column of summary.csv.',
    );
  });

  it('a single failure points at summary.csv for the rest', () => {
    expect(formatFailures([row(1, 'out of memory in the worker'), row(2, null)])).toBe(
      '1 of 2 runs failed. Run 1 (train.learning_rate=0.1) failed: out of memory in the worker\n' +
        'See the error column of summary.csv.',
    );
  });
});
