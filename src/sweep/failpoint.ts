// Fault injection for the reliability tests, off unless GRADGRID_FAILPOINT is set:
//   GRADGRID_FAILPOINT=throw@3   run 3 raises an error
//   GRADGRID_FAILPOINT=exit@3    the worker running run 3 exits abruptly
//   GRADGRID_FAILPOINT=oom@3     the worker running run 3 allocates until it runs out of memory
//   GRADGRID_FAILPOINT=slow@3    run 3 waits 60 s first (to interrupt a sweep mid-run)
//   GRADGRID_FAILPOINT=hold@3    run 3 waits until the file GRADGRID_FAILPOINT_RELEASE exists
//                                (at most 60 s), so a test decides when a held run may go on
// Several may be given, separated by commas.
import { existsSync } from 'node:fs';

const spec = process.env.GRADGRID_FAILPOINT ?? '';
const points = spec
  .split(',')
  .map((entry) => entry.trim().match(/^(throw|exit|oom|slow|hold)@(\d+)$/))
  .filter((match): match is RegExpMatchArray => match !== null)
  .map((match) => ({ kind: match[1], run: Number(match[2]) }));

const HOLD_LIMIT_MS = 60_000;
const HOLD_POLL_MS = 10;

/** Blocks the calling thread for `ms` milliseconds. */
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export function applyFailpoint(runIndex: number): void {
  for (const point of points) {
    if (point.run !== runIndex) continue;
    switch (point.kind) {
      case 'throw':
        throw new Error(`injected failure in run ${runIndex}`);
      case 'exit':
        process.exit(3);
      case 'oom': {
        // Plain arrays live on the V8 heap, so the worker's heap limit stops this (typed arrays would not).
        const hog: number[][] = [];
        for (;;) hog.push(new Array<number>(1 << 16).fill(runIndex + 0.5));
      }
      case 'slow':
        sleep(HOLD_LIMIT_MS);
        break;
      case 'hold': {
        const release = process.env.GRADGRID_FAILPOINT_RELEASE;
        if (!release) throw new Error('hold@N needs GRADGRID_FAILPOINT_RELEASE, the file that releases held runs');
        for (let waited = 0; waited < HOLD_LIMIT_MS && !existsSync(release); waited += HOLD_POLL_MS) sleep(HOLD_POLL_MS);
        break;
      }
    }
  }
}
