// The HTML report of a result folder: `buildReportHtml` returns the page, `writeReport` writes it
// to <dir>/report.html atomically (a temporary file renamed into place).
import { join } from 'node:path';
import { writeFileAtomic } from '../../files/atomic.js';
import { renderReportPage } from './page.js';
import { LiveCurveSketches } from './live-curves.js';
import { readResultFolder } from './read-folder.js';

export { ReportInputError } from './read-folder.js';
export { LiveCurveSketches };

export const REPORT_FILE = 'report.html';

/** Told what the report is doing while it reads long curves ("reading curves.csv: ..."). */
export type ReportProgress = (what: string) => void;

/**
 * The report page of the result folder `dir` (summary.csv, curves.csv, manifest.json, runs/);
 * `live`: its curves as the sweep wrote them, if it sketched them (live-curves.ts).
 */
export async function buildReportHtml(dir: string, onProgress?: ReportProgress, live?: LiveCurveSketches): Promise<string> {
  return renderReportPage(await readResultFolder(dir, onProgress, live));
}

/** Writes `<dir>/report.html` and returns its path. */
export async function writeReport(dir: string, onProgress?: ReportProgress, live?: LiveCurveSketches): Promise<string> {
  const html = await buildReportHtml(dir, onProgress, live);
  const path = join(dir, REPORT_FILE);
  await writeFileAtomic(path, html);
  return path;
}
