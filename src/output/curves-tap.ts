// What curves.csv's writer hands on besides the file: each run's point count before its rows, and
// the file's text in order, as written, or for a run whose curve came as numbers from its worker,
// those numbers instead of its rows' text. The report sketches its curves from it while the runs
// train (report/live-curves.ts) instead of reading curves.csv back afterwards. Its module loads
// while the first runs train, so what is written before it is there waits here, up to a limit.
import type { PlainCurve } from '../run/curve-file.js';

export interface CurvesTap {
  /** The next rows are run `run`'s, `points` of them. */
  expect(run: number, points: number): void;
  /** The next piece of curves.csv. */
  write(text: string): void;
  /** Run `run`'s rows, written to curves.csv without being passed to write(), as numbers (a plain curve in a file of plain curves). */
  curve(run: number, curve: PlainCurve): void;
}

/** Characters held for a tap not yet attached; past this the tap gives up (the report reads the file). */
const HOLD_LIMIT = 8_000_000;

/** A tap that holds what it hears until attach(), then passes it on. */
export class HeldCurvesTap implements CurvesTap {
  private held: ([run: number, points: number] | [run: number, curve: PlainCurve] | string)[] = [];
  private heldChars = 0;
  private target: CurvesTap | null = null;
  private droppedAny = false;

  expect(run: number, points: number): void {
    if (this.target) this.target.expect(run, points);
    else if (!this.droppedAny) this.held.push([run, points]);
  }

  write(text: string): void {
    if (this.target) return this.target.write(text);
    if (this.droppedAny) return;
    this.held.push(text);
    this.hold(text.length);
  }

  curve(run: number, curve: PlainCurve): void {
    if (this.target) return this.target.curve(run, curve);
    if (this.droppedAny) return;
    this.held.push([run, curve]);
    // A point's row is some 25 characters of text: counted as such against the limit.
    this.hold(25 * curve.costs.length);
  }

  private hold(chars: number): void {
    this.heldChars += chars;
    if (this.heldChars > HOLD_LIMIT) {
      this.droppedAny = true;
      this.held = [];
    }
  }

  /** Passes on what was held and everything after; false (and nothing passed on) when some was dropped. */
  attach(target: CurvesTap): boolean {
    if (this.droppedAny) return false;
    for (const item of this.held) {
      if (typeof item === 'string') target.write(item);
      else if (typeof item[1] === 'number') target.expect(item[0], item[1]);
      else target.curve(item[0], item[1]);
    }
    this.held = [];
    this.target = target;
    return true;
  }
}
