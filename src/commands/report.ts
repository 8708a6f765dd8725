// `gradgrid report DIR`: rebuilds report.html from the files of a result folder.
import { ReportInputError, writeReport } from '../output/report/index.js';
import { EXIT_INVALID, EXIT_OK } from './input-errors.js';

export async function reportCommand(dir: string): Promise<number> {
  try {
    const path = await writeReport(dir);
    process.stdout.write(`Report written to ${path}\n`);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof ReportInputError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_INVALID;
  }
}
