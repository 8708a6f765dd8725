// `gradgrid validate FILE`: every check a sweep makes before it starts, without running anything.
import { EXIT_OK, reportInputError } from './input-errors.js';
import { prepareSweep } from './prepare-sweep.js';

export function validateCommand(file: string): number {
  try {
    const { loaded, runs } = prepareSweep(file);
    process.stdout.write(`${file}: ok — ${loaded.experiment.name}, ${runs.length} run${runs.length === 1 ? '' : 's'}\n`);
    return EXIT_OK;
  } catch (error) {
    return reportInputError(error);
  }
}
