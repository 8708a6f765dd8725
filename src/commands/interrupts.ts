// Ctrl-C during a sweep: the first SIGINT or SIGTERM lets the running runs finish and starts no
// more, the second aborts them too; either way what finished is written.
import type { Progress } from '../terminal/progress.js';

/** What the signal handler needs of a launch, grid or search. */
export interface Stoppable {
  stopDispatch(): void;
  abort(): Promise<void>;
  running(): number;
}

/**
 * Runs `work` with Ctrl-C handling: the first SIGINT/SIGTERM stops dispatch (running runs finish;
 * `firstNote` says otherwise where that differs), the second aborts the running runs.
 */
export async function withSignals<T>(
  launch: Stoppable,
  progress: Progress,
  work: () => Promise<T>,
  firstNote?: (signal: NodeJS.Signals) => string,
): Promise<T> {
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      launch.stopDispatch();
      progress.note(
        firstNote?.(signal) ??
          `${signal}: no new runs will start; waiting for ${launch.running()} running run(s) to finish. Press Ctrl-C again to abort them.`,
      );
    } else {
      progress.note(`${signal}: aborting running runs; writing what has finished.`);
      void launch.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
