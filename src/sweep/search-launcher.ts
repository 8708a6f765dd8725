// Runs a stability-limit search (src/search) on the local launcher: round after round, every grid
// point's probes of a round are dispatched together onto one worker pool that stays up across the
// rounds; each finished run is stored at once (runs/<hash>.json) and reused by hash on the next
// sweep, like any run of a grid. The outcome lists the probes in their final, deterministic order.
import type { RunSpec } from '../experiment/types.js';
import { decodeCost, factsOf, type FinishedRun, type RunRecord } from '../run/index.js';
import { probeVerdict, type Probe, type ProbeVerdict, type StabilityRow, type StabilitySearch } from '../search/index.js';
import { launchRuns, type Launch, type LaunchOptions, type RunOutcome } from './launcher.js';
import type { WorkerPool } from './worker-pool.js';

export interface SearchLaunchOptions extends Omit<LaunchOptions, 'onOutcome' | 'pool'> {
  /** Kept across the rounds; the caller terminates it. */
  pool: WorkerPool;
  /** Each probe as it finishes (in completion order), with its verdict. */
  onOutcome?: (outcome: RunOutcome, verdict: ProbeVerdict) => Promise<void> | void;
}

export interface SearchOutcome {
  /** Every probe proposed, in the final order, numbered 1, 2, ... (search.ordered()). */
  runs: RunSpec[];
  /** The probes that finished, in the same order and with the same numbers. */
  finished: FinishedRun[];
  /** Each finished probe's verdict, by its final number. */
  verdicts: Map<number, ProbeVerdict>;
  /** One row per grid point (stability.csv). */
  rows: StabilityRow[];
  /** True when every grid point's search ran to its end. */
  complete: boolean;
}

export interface SearchLaunch {
  done: Promise<SearchOutcome>;
  /** Start no new runs and no new round; runs in flight finish. */
  stopDispatch(): void;
  /** Abort runs in flight too. */
  abort(): Promise<void>;
  running(): number;
}

/** A probe is beyond the limit when its run diverged or ended above its cost at epoch 0. */
export function verdictOf(record: RunRecord): ProbeVerdict {
  return probeVerdict({
    status: record.status,
    initialCost: record.initialCost === null ? NaN : decodeCost(record.initialCost),
    finalCost: record.finalCost === null ? NaN : decodeCost(record.finalCost),
  });
}

export function launchStabilitySearch(search: StabilitySearch, options: SearchLaunchOptions): SearchLaunch {
  let stopped = false;
  let current: Launch | null = null;
  /** What each finished probe gave, by its id. */
  const results = new Map<number, { run: Omit<FinishedRun, 'index' | 'params'>; verdict: ProbeVerdict }>();

  const done = (async (): Promise<SearchOutcome> => {
    for (let round = search.nextRound(); round.length > 0 && !stopped; ) {
      // Grid points that resolve to the same settings share one run.
      const byHash = new Map<string, Probe[]>();
      for (const probe of round) byHash.set(probe.spec.hash, [...(byHash.get(probe.spec.hash) ?? []), probe]);
      current = launchRuns(
        [...byHash.values()].map((probes) => probes[0].spec),
        {
          ...options,
          async onOutcome(outcome) {
            const verdict = verdictOf(outcome.record);
            for (const probe of byHash.get(outcome.spec.hash)!) {
              search.record(probe, verdict, outcome.record.error ?? '');
              results.set(probe.id, { run: { facts: factsOf(outcome.record), reused: outcome.reused }, verdict });
            }
            await options.onOutcome?.(outcome, verdict);
          },
        },
      );
      await current.done;
      if (stopped) break;
      round = search.nextRound();
    }
    const complete = !stopped && search.done;
    if (!complete) search.stop();

    const ordered = search.ordered();
    const runs = ordered.map((probe) => probe.spec);
    const finished: FinishedRun[] = [];
    const verdicts = new Map<number, ProbeVerdict>();
    ordered.forEach((probe, i) => {
      const result = results.get(probe.id);
      if (result === undefined) return;
      finished.push({ index: runs[i].index, params: runs[i].params, ...result.run });
      verdicts.set(runs[i].index, result.verdict);
    });
    return { runs, finished, verdicts, rows: search.rows(), complete };
  })();

  return {
    done,
    stopDispatch() {
      stopped = true;
      current?.stopDispatch();
    },
    async abort() {
      stopped = true;
      await current?.abort();
    },
    running: () => current?.running() ?? 0,
  };
}
