// Runs finish in any order; curves.csv must not. A run that finishes while an earlier one is still
// training waits here as its summary facts and the name of its curve file (the curve itself is on
// disk, in runs/); when its turn comes, its curve file is copied into curves.csv a piece at a time.
// A fresh run may also bring its curve as numbers (for the report's sketch): those wait too, up to
// a bound, past which a run waits without them.
// Not the run layer's index: that loads the engine, which the sweep's main thread never trains with.
import type { PlainCurve } from '../run/curve-file.js';
import { factsOf, type FinishedRun } from '../run/run-record.js';
import type { RunOutcome } from './launcher.js';

/** Where the curves go, in grid order (curves.csv). */
export interface CurveWriter {
  /** Copies `curveFile` (null: a failed run, no curve); `onRows` hears the rows written so far; `curve`: the same curve as numbers, when known. */
  append(run: FinishedRun, curveFile: string | null, onRows?: (rows: number) => void, curve?: PlainCurve | null): Promise<void>;
}

/** Curve points held as numbers by runs waiting for their turn, at most (12 bytes each: 48 MB). */
const HELD_POINTS_LIMIT = 4_000_000;

/** Told what is being written, for progress. */
export type WritingListener = (run: FinishedRun, rowsWritten: number) => void;

interface Waiting {
  run: FinishedRun;
  curveFile: string | null;
  curve: PlainCurve | null;
}

export class OrderedSink {
  private readonly waiting = new Map<number, Waiting>();
  private nextIndex = 1;
  /** Finished runs in grid order, as written. */
  readonly rows: FinishedRun[] = [];
  private chain: Promise<void> = Promise.resolve();
  private heldPoints = 0;

  constructor(
    private readonly curves: CurveWriter,
    private readonly onWriting?: WritingListener,
  ) {}

  /**
   * Accepts one finished run; writes it and any runs it was holding back. The returned promise
   * settles when that is done; a failure also surfaces at flushAll.
   */
  add({ spec, record, reused, curveFile, curve }: RunOutcome): Promise<void> {
    const run: FinishedRun = { index: spec.index, params: spec.params, facts: factsOf(record), reused };
    const points = curve?.costs.length ?? 0;
    const kept = curve && this.heldPoints + points <= HELD_POINTS_LIMIT ? curve : null;
    if (kept) this.heldPoints += points;
    this.chain = this.chain.then(async () => {
      this.waiting.set(run.index, { run, curveFile, curve: kept });
      await this.flushReady();
    });
    return this.chain;
  }

  private async flushReady(): Promise<void> {
    for (let next = this.waiting.get(this.nextIndex); next; next = this.waiting.get(this.nextIndex)) {
      this.waiting.delete(this.nextIndex);
      await this.emit(next);
      this.nextIndex++;
    }
  }

  /** After an interrupt: writes what finished, in grid order, skipping runs that never ran. */
  async flushAll(): Promise<void> {
    await this.chain;
    const rest = [...this.waiting.keys()].sort((a, b) => a - b);
    for (const index of rest) {
      const next = this.waiting.get(index)!;
      this.waiting.delete(index);
      await this.emit(next);
    }
  }

  private async emit({ run, curveFile, curve }: Waiting): Promise<void> {
    const onRows = this.onWriting ? (rows: number) => this.onWriting!(run, rows) : undefined;
    try {
      await this.curves.append(run, run.facts.status === 'failed' ? null : curveFile, onRows, curve);
    } finally {
      this.heldPoints -= curve?.costs.length ?? 0;
    }
    this.rows.push(run);
  }
}
