// `search: { stability_limit: ... }` over a sweep grid: one bisection (bisection.ts) per grid
// point, all advanced round by round together, each probe an ordinary resolved run (RunSpec) of
// that grid point with the searched key set to the probed value. Pure: it proposes runs and is
// told their verdicts; where and how they run is the caller's business (src/sweep).
//
// Run numbers: probes get provisional numbers as they are proposed; once the search is over,
// ordered() numbers them for the result files grid point by grid point (in grid order), and
// within a grid point by probed value, increasing. Both orders depend only on the experiment and
// the verdicts, never on timing or the number of workers.

import { ExperimentError, expandGrid, MAX_RUNS, runHash, type ExpandGridOptions } from '../experiment/index.js';
import { setSetting } from '../experiment/setting-paths.js';
import type { LoadedExperiment, RunSpec, StabilityLimitSearch, SweepValue } from '../experiment/types.js';
import { parseYamlSource } from '../experiment/yaml-source.js';
import { ENGINE_VERSION } from '../nn/version.js';
import { LimitBisection, maxProbes, type LimitResult, type ProbeVerdict } from './bisection.js';

export interface StabilityPlan {
  settings: StabilityLimitSearch;
  /** The grid points in grid order (the searched key set to `low`; `params` hold the sweep keys only). */
  points: RunSpec[];
  /** The most probes one grid point can take. */
  maxProbesPerPoint: number;
  engineVersion: string;
}

/** One probe: a value tried at a grid point, as the run that tries it. */
export interface Probe {
  /** The probe's number in the order proposed (1, 2, ...); also its run's number until ordered(). */
  id: number;
  /** 0-based index of the grid point in plan.points. */
  point: number;
  value: number;
  spec: RunSpec;
}

/** The result of one grid point's search: a row of stability.csv. */
export interface StabilityRow extends LimitResult {
  /** The grid point's sweep keys and values, in the order written. */
  params: [string, SweepValue][];
  key: string;
}

/**
 * The grid points of a stability-limit search, each validated like a run of its own. Throws an
 * ExperimentError when the experiment has no stability-limit search or the search could need more
 * runs than `maxRuns`.
 */
export function planStabilitySearch(loaded: LoadedExperiment, options: ExpandGridOptions = {}): StabilityPlan {
  const settings = loaded.experiment.search?.stability_limit;
  if (settings === undefined) throw new Error(`${loaded.file} has no search.stability_limit`);
  const experiment = structuredClone(loaded.experiment);
  const error = setSetting(experiment as unknown as Record<string, unknown>, settings.key, settings.low);
  if (error !== null) throw new Error(`search.stability_limit.key: ${error.message}`); // the loader's rules refuse this first
  const points = expandGrid({ ...loaded, experiment }, options);
  const maxProbesPerPoint = maxProbes(settings);
  const maxRuns = options.maxRuns ?? MAX_RUNS;
  if (points.length * maxProbesPerPoint > maxRuns) {
    const at = ['search', 'stability_limit'];
    throw new ExperimentError([
      {
        file: loaded.file,
        ...keyPosition(loaded, at),
        path: at.join('.'),
        message: `${points.length} grid point${points.length === 1 ? '' : 's'} with up to ${maxProbesPerPoint} probes each could take ${points.length * maxProbesPerPoint} runs; the limit is ${maxRuns} runs`,
        expected: `at most ${maxRuns} runs: fewer grid points, a narrower range or a larger tolerance`,
      },
    ]);
  }
  return { settings, points, maxProbesPerPoint, engineVersion: options.engineVersion ?? ENGINE_VERSION };
}

export class StabilitySearch {
  private readonly bisections: LimitBisection[];
  private readonly probes: Probe[] = [];
  private nextId = 1;

  constructor(readonly plan: StabilityPlan) {
    this.bisections = plan.points.map(() => new LimitBisection(plan.settings));
  }

  /** The probes of the next round, grid point by grid point; [] once every search is over. */
  nextRound(): Probe[] {
    const round: Probe[] = [];
    this.bisections.forEach((bisection, point) => {
      for (const value of bisection.nextRound()) round.push(this.probe(point, value));
    });
    this.probes.push(...round);
    return round;
  }

  /** Records what a probe's run showed; `detail` is a failed run's message. */
  record(probe: Probe, verdict: ProbeVerdict, detail = ''): void {
    this.bisections[probe.point].record(probe.value, verdict, detail);
  }

  /** Stops every search that is not over (an interrupt). */
  stop(): void {
    for (const bisection of this.bisections) bisection.stop();
  }

  get done(): boolean {
    return this.bisections.every((bisection) => bisection.done);
  }

  /** One row per grid point, in grid order. */
  rows(): StabilityRow[] {
    return this.bisections.map((bisection, point) => ({
      params: this.plan.points[point].params,
      key: this.plan.settings.key,
      ...bisection.result(),
    }));
  }

  /**
   * Every probe proposed, its run renumbered 1, 2, ... grid point by grid point, by increasing
   * value (the probe keeps its id).
   */
  ordered(): Probe[] {
    const sorted = [...this.probes].sort((a, b) => a.point - b.point || a.value - b.value);
    return sorted.map((probe, i) => ({ ...probe, spec: { ...probe.spec, index: i + 1 } }));
  }

  private probe(point: number, value: number): Probe {
    const grid = this.plan.points[point];
    const { key } = this.plan.settings;
    const experiment = structuredClone(grid.experiment);
    const error = setSetting(experiment as unknown as Record<string, unknown>, key, value);
    if (error !== null) throw new Error(`${key}: ${error.message}`); // the grid point was built with this key set
    const id = this.nextId++;
    const spec: RunSpec = {
      index: id,
      params: [...grid.params, [key, value]],
      experiment,
      ...(grid.csvDigest === undefined ? {} : { csvDigest: grid.csvDigest }),
      hash: runHash(experiment as unknown as Record<string, unknown>, this.plan.engineVersion, grid.csvDigest),
    };
    return { id, point, value, spec };
  }
}

function keyPosition(loaded: LoadedExperiment, path: string[]): { line: number; column: number } {
  try {
    return parseYamlSource(loaded.source, loaded.file).locator.keyAt(path);
  } catch {
    return { line: 1, column: 1 };
  }
}
