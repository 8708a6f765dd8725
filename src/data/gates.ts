// The six two-input logic gates of the blog: inputs (0,0), (0,1), (1,0), (1,1) in that order.

import type { LabelledData } from './types.js';

export type GateName = 'and' | 'or' | 'xor' | 'nand' | 'nor' | 'xnor';

const GATE_OUTPUTS: Record<GateName, readonly [number, number, number, number]> = {
  and: [0, 0, 0, 1],
  or: [0, 1, 1, 1],
  xor: [0, 1, 1, 0],
  nand: [1, 1, 1, 0],
  nor: [1, 0, 0, 0],
  xnor: [1, 0, 0, 1],
};

export function gateData(gate: GateName): LabelledData {
  // Row-major (2 x 4): first row is x1 of the four examples, second row x2.
  const x = Float64Array.of(0, 0, 1, 1, 0, 1, 0, 1);
  return {
    x: { rows: 2, cols: 4, data: x },
    y: { rows: 1, cols: 4, data: Float64Array.from(GATE_OUTPUTS[gate]) },
    featureNames: ['x1', 'x2'],
  };
}
