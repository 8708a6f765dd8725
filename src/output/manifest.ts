// manifest.json: everything needed to know what ran and to run it again — the experiment as
// given, every resolved run with its hash, versions, the command line and timings.
import type { Experiment, RunSpec } from '../experiment/types.js';
import { dependencyVersions, TOOL_VERSION } from '../package-info.js';
import type { RunRecord } from '../sweep/run-record.js';
import { writeFileAtomic } from './atomic.js';
import type { SummaryRow } from './csv.js';

export interface ManifestRun {
  run: number;
  params: Record<string, unknown>;
  hash: string;
  status: RunRecord['status'] | null;
  epochs: number | null;
  final_cost: number | string | null;
  reused: boolean;
  wall_ms: number | null;
  experiment: RunSpec['experiment'];
}

export interface Manifest {
  tool: { name: 'gradgrid'; version: string; engine: string };
  node: string;
  platform: string;
  packages: Record<string, string>;
  command: string[];
  experiment: { file: string; source: string; parsed: Experiment };
  sweepKeys: string[];
  points?: { x: number[][]; y: number[] };
  runs: ManifestRun[];
  complete: boolean;
  started_at: string;
  finished_at: string;
  wall_ms: number;
  workers: number;
}

export interface ManifestInput {
  engineVersion: string;
  command: string[];
  file: string;
  source: string;
  parsed: Experiment;
  sweepKeys: string[];
  points?: { x: number[][]; y: number[] };
  runs: RunSpec[];
  /** The runs that finished (in any order). */
  finished: SummaryRow[];
  complete: boolean;
  startedAt: Date;
  finishedAt: Date;
  workers: number;
}

export function buildManifest(input: ManifestInput): Manifest {
  const finishedByIndex = new Map(input.finished.map((row) => [row.index, row]));
  return {
    tool: { name: 'gradgrid', version: TOOL_VERSION, engine: input.engineVersion },
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    packages: dependencyVersions(),
    command: input.command,
    experiment: { file: input.file, source: input.source, parsed: input.parsed },
    sweepKeys: input.sweepKeys,
    ...(input.points ? { points: input.points } : {}),
    runs: input.runs.map((spec) => {
      const outcome = finishedByIndex.get(spec.index);
      return {
        run: spec.index,
        params: Object.fromEntries(spec.params),
        hash: spec.hash,
        status: outcome?.record.status ?? null,
        epochs: outcome?.record.epochs ?? null,
        final_cost: outcome?.record.finalCost ?? null,
        reused: outcome?.reused ?? false,
        wall_ms: outcome ? Math.round(outcome.record.wallMs * 1000) / 1000 : null,
        experiment: spec.experiment,
      };
    }),
    complete: input.complete,
    started_at: input.startedAt.toISOString(),
    finished_at: input.finishedAt.toISOString(),
    wall_ms: input.finishedAt.getTime() - input.startedAt.getTime(),
    workers: input.workers,
  };
}

export async function writeManifest(path: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`);
}
