// Which run the report points at: the converged run with the lowest final cost. A run that ended
// lower but did not converge (it still bounced, or was still falling) is named beside it rather
// than instead of it: a low cost at the last epoch of an unstable run is luck, not a setting to use.
import type { ReportRun } from './result-folder.js';

export interface BestRun {
  run: ReportRun;
  /** 'converged': the best converged run; 'lowest': no run converged, the lowest final cost. */
  kind: 'converged' | 'lowest';
  /** A run that did not converge with a lower final cost than `run`, if any. */
  lower: ReportRun | null;
}

const hasCost = (run: ReportRun) => run.finalCost !== null && Number.isFinite(run.finalCost);

function lowest(runs: ReportRun[]): ReportRun | null {
  return runs.reduce<ReportRun | null>((best, run) => (best === null || run.finalCost! < best.finalCost! ? run : best), null);
}

/** The run to point at, or null when no run has a final cost (diverged and failed runs never count). */
export function bestRun(runs: ReportRun[]): BestRun | null {
  const settled = runs.filter((run) => run.status !== 'diverged' && run.status !== 'failed' && hasCost(run));
  const overall = lowest(settled);
  if (overall === null) return null;
  const converged = lowest(settled.filter((run) => run.status === 'converged'));
  if (converged === null) return { run: overall, kind: 'lowest', lower: null };
  return { run: converged, kind: 'converged', lower: overall.finalCost! < converged.finalCost! ? overall : null };
}
