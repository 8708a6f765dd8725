// Runs finish in any order; the CSV files must not. A run that finishes while an earlier one is
// still training waits here as its summary facts only (its whole record is already in runs/); its
// curve is read back from the run store when its turn comes. Curves go out in grid order.
import { factsOf, type FinishedRun, type RunRecord } from '../run/index.js';
import type { RunOutcome } from './launcher.js';

/** Where the curves go, in grid order (curves.csv). */
export interface CurveWriter {
  append(run: FinishedRun, curve: RunRecord['curve']): Promise<void>;
}

/** Where a held-back run's curve is read again. */
export interface CurveSource {
  readCurve(hash: string): Promise<RunRecord['curve'] | null>;
}

const NO_CURVE: RunRecord['curve'] = { epoch: [], cost: [], testCost: null };

export class OrderedSink {
  private readonly waiting = new Map<number, FinishedRun>();
  private nextIndex = 1;
  /** Finished runs in grid order, as written. */
  readonly rows: FinishedRun[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly curves: CurveWriter,
    private readonly source: CurveSource,
  ) {}

  /** Accepts one finished run; writes it and any runs it was holding back. */
  add({ spec, record, reused }: RunOutcome): Promise<void> {
    const run: FinishedRun = { index: spec.index, params: spec.params, facts: factsOf(record), reused };
    this.chain = this.chain.then(async () => {
      if (run.index === this.nextIndex) {
        await this.emit(run, record.curve);
        this.nextIndex++;
        await this.flushReady();
      } else {
        this.waiting.set(run.index, run);
      }
    });
    return this.chain;
  }

  private async flushReady(): Promise<void> {
    for (let run = this.waiting.get(this.nextIndex); run; run = this.waiting.get(this.nextIndex)) {
      this.waiting.delete(run.index);
      await this.emit(run, await this.curveOf(run));
      this.nextIndex++;
    }
  }

  /** After an interrupt: writes what finished, in grid order, skipping runs that never ran. */
  async flushAll(): Promise<void> {
    await this.chain;
    const rest = [...this.waiting.keys()].sort((a, b) => a - b);
    for (const index of rest) {
      const run = this.waiting.get(index)!;
      this.waiting.delete(index);
      await this.emit(run, await this.curveOf(run));
    }
  }

  private async curveOf(run: FinishedRun): Promise<RunRecord['curve']> {
    if (run.facts.status === 'failed') return NO_CURVE;
    const curve = await this.source.readCurve(run.facts.hash);
    if (!curve) throw new Error(`the stored record of run ${run.index} (runs/${run.facts.hash}.json) could not be read back`);
    return curve;
  }

  private async emit(run: FinishedRun, curve: RunRecord['curve']): Promise<void> {
    await this.curves.append(run, curve);
    this.rows.push(run);
  }
}
