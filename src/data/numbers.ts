// Strict reading of a numeric cell: decimal or scientific notation only. Number() alone would
// accept "", " ", "0x10", "Infinity" and "1_000"-like surprises; a data file should not.

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

export type CellReading =
  | { ok: true; value: number }
  | { ok: false; kind: 'empty' | 'non-finite' | 'not-a-number'; problem: string };

export function readNumber(text: string): CellReading {
  const cell = text.trim();
  if (cell === '') return { ok: false, kind: 'empty', problem: 'the cell is empty' };
  if (NON_FINITE.test(cell)) return { ok: false, kind: 'non-finite', problem: `"${cell}" is not a finite number (NaN and Infinity are not allowed)` };
  if (!DECIMAL.test(cell)) return { ok: false, kind: 'not-a-number', problem: `"${cell}" is not a number` };
  const value = Number(cell);
  if (!Number.isFinite(value)) return { ok: false, kind: 'non-finite', problem: `"${cell}" is too large for a double` };
  return { ok: true, value };
}
