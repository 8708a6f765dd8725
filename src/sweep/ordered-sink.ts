// Runs finish in any order; the CSV files must not. Outcomes wait here until every earlier
// run has been written, then go to curves.csv in grid order. Only the summary rows stay in memory.
import type { CurvesCsvWriter, SummaryRow } from '../output/csv.js';
import { withoutBulk } from './run-record.js';

export class OrderedSink {
  private readonly waiting = new Map<number, SummaryRow>();
  private nextIndex = 1;
  readonly rows: SummaryRow[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly curves: CurvesCsvWriter) {}

  /** Accepts one finished run; writes it and any runs it was holding back. */
  add(row: SummaryRow): Promise<void> {
    this.waiting.set(row.index, row);
    this.chain = this.chain.then(() => this.flushReady());
    return this.chain;
  }

  private async flushReady(): Promise<void> {
    for (let row = this.waiting.get(this.nextIndex); row; row = this.waiting.get(this.nextIndex)) {
      await this.emit(row);
      this.nextIndex++;
    }
  }

  /** After an interrupt: writes what finished, in grid order, skipping runs that never ran. */
  async flushAll(): Promise<void> {
    await this.chain;
    const rest = [...this.waiting.keys()].sort((a, b) => a - b);
    for (const index of rest) await this.emit(this.waiting.get(index)!);
  }

  private async emit(row: SummaryRow): Promise<void> {
    this.waiting.delete(row.index);
    await this.curves.append(row);
    // Keep the summary facts, drop the heavy curve and parameters from memory.
    this.rows.push({ ...row, record: withoutBulk(row.record) });
  }
}
