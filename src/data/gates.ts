// The six two-input logic gates of the blog: inputs (0,0), (0,1), (1,0), (1,1) in that order.

import type { LabelledData } from './types.js';

const GATE_OUTPUTS = {
  and: [0, 0, 0, 1],
  or: [0, 1, 1, 1],
  xor: [0, 1, 1, 0],
  nand: [1, 1, 1, 0],
  nor: [1, 0, 0, 0],
  xnor: [1, 0, 0, 1],
} as const satisfies Record<string, readonly [number, number, number, number]>;

/** The gate names: the keys of the truth tables above. */
export type GateName = keyof typeof GATE_OUTPUTS;

export const GATE_NAMES = Object.keys(GATE_OUTPUTS) as GateName[];

export function gateData(gate: GateName): LabelledData {
  // Row-major (2 x 4): first row is x1 of the four examples, second row x2.
  const x = Float64Array.of(0, 0, 1, 1, 0, 1, 0, 1);
  return {
    x: { rows: 2, cols: 4, data: x },
    y: { rows: 1, cols: 4, data: Float64Array.from(GATE_OUTPUTS[gate]) },
    featureNames: ['x1', 'x2'],
  };
}
