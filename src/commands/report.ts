// `gradgrid report DIR`: rebuilds report.html from the files of a result folder.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { writeReport } from '../output/report/index.js';
import { EXIT_INVALID, EXIT_OK } from './input-errors.js';

export async function reportCommand(dir: string): Promise<number> {
  for (const name of ['manifest.json', 'summary.csv', 'curves.csv']) {
    try {
      await access(join(dir, name));
    } catch {
      process.stderr.write(`error: ${join(dir, name)} not found; is ${dir} a gradgrid result folder?\n`);
      return EXIT_INVALID;
    }
  }
  const path = await writeReport(dir);
  process.stdout.write(`Report written to ${path}\n`);
  return EXIT_OK;
}
