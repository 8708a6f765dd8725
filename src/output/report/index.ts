// The HTML report of a result folder: `buildReportHtml` returns the page, `writeReport` writes it
// to <dir>/report.html atomically (a temporary file renamed into place).
import { join } from 'node:path';
import { writeFileAtomic } from '../../files/atomic.js';
import { renderReportPage } from './page.js';
import { readResultFolder } from './read-folder.js';

export { ReportInputError } from './read-folder.js';

export const REPORT_FILE = 'report.html';

/** Told what the report is doing while it reads long curves ("reading curves.csv: ..."). */
export type ReportProgress = (what: string) => void;

/** The report page of the result folder `dir` (summary.csv, curves.csv, manifest.json, runs/). */
export async function buildReportHtml(dir: string, onProgress?: ReportProgress): Promise<string> {
  return renderReportPage(await readResultFolder(dir, onProgress));
}

/** Writes `<dir>/report.html` and returns its path. */
export async function writeReport(dir: string, onProgress?: ReportProgress): Promise<string> {
  const html = await buildReportHtml(dir, onProgress);
  const path = join(dir, REPORT_FILE);
  await writeFileAtomic(path, html);
  return path;
}
