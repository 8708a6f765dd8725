// `gradgrid sweep --shard i/n`: one task of a cluster job array trains its share of the grid into
// <out>/runs/ and writes nothing else; a plain sweep into the same folder assembles the results
// once every shard is done, training nothing that a shard stored.
import { join, relative } from 'node:path';
import type { RunSpec } from '../experiment/types.js';
import type { Launch, RunOutcome } from '../sweep/launcher.js';
import type { Shard } from '../sweep/shard.js';
import { createProgress } from '../terminal/progress.js';
import { describeRun } from '../terminal/run-line.js';
import { plural } from '../text/plural.js';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_RUNS_FAILED } from './input-errors.js';
import { withSignals } from './interrupts.js';
import type { PreparedSweep } from './prepare-sweep.js';

/** One shard: its runs into runs/, nothing else (the assembling sweep writes the rest). */
export async function runShard(
  sweep: PreparedSweep,
  runs: RunSpec[],
  shard: Shard,
  outDir: string,
  workers: number,
  start: (onOutcome: (outcome: RunOutcome) => Promise<void>) => Launch,
  quiet: boolean,
): Promise<number> {
  const name = `shard ${shard.index}/${shard.count}`;
  if (!quiet) {
    process.stderr.write(`gradgrid: ${name}: ${plural(runs.length, 'run')} of ${sweep.runs.length} of ${sweep.loaded.experiment.name} on ${plural(workers, 'worker')} -> ${join(outDir, 'runs')}/\n`);
  }
  const progress = createProgress(runs.length, { quiet });
  const counts = { trained: 0, reused: 0, failed: 0 };
  const launch = start(async (outcome) => {
    progress.tick(describeRun(outcome, `run ${outcome.spec.index}`));
    if (outcome.record.status === 'failed') counts.failed++;
    else if (outcome.reused) counts.reused++;
    else counts.trained++;
  });
  try {
    await withSignals(launch, progress, () => launch.done);
  } finally {
    progress.stop();
  }
  const finished = counts.trained + counts.reused + counts.failed;
  process.stdout.write(
    `${name}: ${counts.trained} trained, ${counts.reused} already stored, ${counts.failed} failed -> ${join(outDir, 'runs')}/\n` +
      (finished === runs.length ? `When every shard is done: gradgrid sweep ${relative(process.cwd(), sweep.loaded.file) || sweep.loaded.file} --out ${outDir}\n` : ''),
  );
  if (finished < runs.length) {
    process.stderr.write(`Interrupted: ${finished} of ${runs.length} runs of this shard finished; run it again to resume.\n`);
    return EXIT_INTERRUPTED;
  }
  return counts.failed > 0 ? EXIT_RUNS_FAILED : EXIT_OK;
}
