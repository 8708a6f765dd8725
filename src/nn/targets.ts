// What a loss can learn from. Every loss names the kind of targets it needs (losses.ts); each kind
// says in words what it is and recognises it in a (outputs x m) target matrix. The experiment
// checks a run's data against its loss's kind before anything trains; the engine itself trains
// on whatever it is given (NumPy would too).

import type { Matrix } from './matrix.js';

/**
 * `real`: any numbers (squared error fits a regression or labels alike).
 * `binary`: every target is 0 or 1 (the binary cross-entropies).
 * `one-hot`: every column holds one 1 and zeros (cross_entropy over k classes).
 */
export type TargetKind = 'real' | 'binary' | 'one-hot';

export interface TargetRule {
  /** What the targets must be, after "targets that are". */
  readonly description: string;
  holds(y: Matrix): boolean;
}

export const targetKinds: Readonly<Record<TargetKind, TargetRule>> = Object.freeze({
  real: { description: 'numbers', holds: () => true },
  binary: {
    description: '0 or 1',
    holds: (y: Matrix) => {
      const n = y.rows * y.cols;
      for (let i = 0; i < n; i++) if (y.data[i] !== 0 && y.data[i] !== 1) return false;
      return true;
    },
  },
  'one-hot': {
    description: 'one-hot class columns (one 1 per example)',
    holds: (y: Matrix) => {
      const { rows: k, cols: m, data } = y;
      for (let i = 0; i < m; i++) {
        let ones = 0;
        for (let c = 0; c < k; c++) {
          const v = data[c * m + i];
          if (v === 1) ones++;
          else if (v !== 0) return false;
        }
        if (ones !== 1) return false;
      }
      return true;
    },
  },
});
