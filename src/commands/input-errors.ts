// Mistakes in the user's input (the experiment file, its data, the arguments) are reported as
// located messages with exit code 2 — never as a stack trace.
import { ExperimentError, formatIssues } from '../experiment/index.js';
import { DatasetError } from '../data/index.js';
import { EXIT_INVALID } from './exit-codes.js';

export { EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, EXIT_RUNS_FAILED } from './exit-codes.js';

/** Prints an input error and returns its exit code, or rethrows what is not an input error. */
export function reportInputError(error: unknown): number {
  if (error instanceof ExperimentError) {
    process.stderr.write(`${formatIssues(error.issues)}\n`);
    return EXIT_INVALID;
  }
  if (error instanceof DatasetError) {
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_INVALID;
  }
  throw error;
}
