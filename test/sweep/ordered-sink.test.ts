// The sink writes curves in grid order whatever order runs finish in, and says what it is writing.
import { describe, expect, it } from 'vitest';
import type { RunSpec } from '../../src/experiment/types.js';
import { failedRecord, type FinishedRun, type RunRecord } from '../../src/run/index.js';
import type { RunOutcome } from '../../src/sweep/launcher.js';
import { OrderedSink, type CurveWriter } from '../../src/sweep/ordered-sink.js';

const outcome = (index: number, status: RunRecord['status'] = 'converged'): RunOutcome => ({
  spec: { index, params: [['seed', index]], hash: `h${index}` } as unknown as RunSpec,
  record: { ...failedRecord(`h${index}`, '1', status === 'failed' ? 'boom' : ''), status, points: 10 * index },
  reused: false,
  curveFile: status === 'failed' ? null : `runs/h${index}.curve.csv`,
});

describe('OrderedSink', () => {
  it('copies curves in grid order, none for failed runs, and reports the rows it writes', async () => {
    const appended: [number, string | null][] = [];
    const writer: CurveWriter = {
      async append(run, curveFile, onRows) {
        appended.push([run.index, curveFile]);
        if (curveFile) {
          onRows?.(run.facts.points / 2);
          onRows?.(run.facts.points);
        }
      },
    };
    const heard: string[] = [];
    const sink = new OrderedSink(writer, (run: FinishedRun, rows) => heard.push(`${run.index}:${rows}/${run.facts.points}`));
    await sink.add(outcome(3));
    await sink.add(outcome(2, 'failed'));
    expect(appended).toEqual([]);
    await sink.add(outcome(1));
    await sink.flushAll();
    expect(appended).toEqual([[1, 'runs/h1.curve.csv'], [2, null], [3, 'runs/h3.curve.csv']]);
    expect(sink.rows.map((row) => row.index)).toEqual([1, 2, 3]);
    expect(heard).toEqual(['1:5/10', '1:10/10', '3:15/30', '3:30/30']);
  });
});
