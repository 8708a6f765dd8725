// `gradgrid validate FILE`: every check a sweep makes before it starts, without running anything.
import { EXIT_OK, reportInputError } from './input-errors.js';
import { plural } from '../text/plural.js';
import { prepareSweep } from './prepare-sweep.js';

export function validateCommand(file: string, overrides: readonly string[] = []): number {
  try {
    const { loaded, runs, search } = prepareSweep(file, overrides);
    const samples = loaded.experiment.search?.random?.samples;
    const what = search
      ? `a stability-limit search of ${search.settings.key} at ${plural(runs.length, 'grid point')}, at most ${plural(search.maxProbesPerPoint, 'run')} each`
      : samples !== undefined
        ? `${plural(runs.length, 'run')} from ${plural(samples, 'random sample')}`
        : plural(runs.length, 'run');
    process.stdout.write(`${file}: ok — ${loaded.experiment.name}, ${what}\n`);
    return EXIT_OK;
  } catch (error) {
    return reportInputError(error);
  }
}
