// 6. report: size of report.html for a 100-run and a 1 000-run XOR sweep that record every epoch
// (written by the real CLI), and how long headless Chromium takes to open it from a file:// URL:
// from the start of page.goto until the load event has fired and every chart's SVG is in the page.

import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { cliMissing, describeFailure, runChild, runSweep, writeExperiment } from './child.js';
import { xorLogLearningRateSweepYaml } from './experiment-files.js';
import { firstLine, type Outcome } from './outcome.js';
import { median } from './stats.js';

export const REPORT_RUNS = 100;
export const REPORT_EPOCHS = 5000;
/** The large report: 100 learning rates x 10 seeds (coloured by learning rate, a panel per seed). */
export const LARGE_REPORT_SEEDS = 10;
/** Learning rates from 0.01 to 1000, evenly spaced on a log scale. */
const LEARNING_RATES = { from: 0.01, to: 1000 };
/** Page loads after the first, each in a fresh page of the same browser. */
export const REPORT_OPEN_REPEATS = 5;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The flags of test/report/browser.test.ts. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** A laptop screen, as in the browser test. */
const VIEWPORT = { width: 1366, height: 768 };
const LOAD_TIMEOUT_MS = 60_000;

/** True once the page has at least one chart and every chart holds its SVG. */
const CHARTS_DRAWN = `(() => {
  const figures = [...document.querySelectorAll('figure[data-chart]')];
  return figures.length > 0 && figures.every((figure) => figure.querySelector('svg') !== null);
})()`;

export interface ReportOpenTimes {
  /** From `chromium --version`, else the major version of the user agent. */
  chromium: string;
  /** figure[data-chart] elements found, each with its SVG. */
  charts: number;
  /** The first load in a fresh browser (cold caches), in milliseconds. */
  firstLoadMs: number;
  /** Median of the REPORT_OPEN_REPEATS loads after the first: the number the target is about. */
  medianMs: number;
  repeatsMs: number[];
  /** The page's own load event end (PerformanceNavigationTiming) of each repeat, without playwright's round trips. */
  loadEventRepeatsMs: number[];
}

export interface ReportOpenResult {
  runs: number;
  epochs: number;
  /** Wall time of the whole CLI sweep, report.html included. */
  sweepWallMs: number;
  /** report.html in MB (10^6 bytes). */
  reportMB: number;
  open: ReportOpenTimes | { note: string };
}

/** `seeds` 1: REPORT_RUNS learning rates; more: each learning rate with seeds 1..seeds. */
export async function measureReportOpen(tmp: string, seeds = 1): Promise<Outcome<ReportOpenResult>> {
  const missing = cliMissing();
  if (missing) return { ok: false, note: missing };
  const yaml = xorLogLearningRateSweepYaml(REPORT_EPOCHS, LEARNING_RATES.from, LEARNING_RATES.to, REPORT_RUNS, seeds);
  const name = seeds === 1 ? 'bench-report' : 'bench-report-large';
  const file = writeExperiment(tmp, name, yaml);
  const out = join(tmp, name);
  const sweep = runSweep(file, out, ['--quiet']);
  if (sweep.code !== 0) return { ok: false, note: `report sweep: ${describeFailure(sweep)}` };
  const report = join(out, 'report.html');
  if (!existsSync(report)) return { ok: false, note: `the sweep wrote no ${report}` };

  return {
    ok: true,
    runs: REPORT_RUNS * seeds,
    epochs: REPORT_EPOCHS,
    sweepWallMs: sweep.wallMs,
    reportMB: statSync(report).size / 1e6,
    open: await timeOpening(pathToFileURL(report).href, tmp),
  };
}

/** Opens the report REPORT_OPEN_REPEATS + 1 times in one headless Chromium; a note when it cannot. */
async function timeOpening(url: string, tmp: string): Promise<ReportOpenTimes | { note: string }> {
  if (!existsSync(CHROMIUM)) return { note: `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)` };
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (error) {
    return { note: `playwright-core is not installed (${firstLine(error instanceof Error ? error.message : String(error))})` };
  }

  let context: BrowserContext;
  try {
    // A persistent context is the way playwright takes a user-data-dir of our own: fresh and empty.
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmp, 'chromium-profile-')), {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      viewport: VIEWPORT,
    });
  } catch (error) {
    return { note: `Chromium did not start: ${firstLine(error instanceof Error ? error.message : String(error))}` };
  }
  try {
    const first = await loadOnce(context, url);
    const repeats: typeof first[] = [];
    for (let r = 0; r < REPORT_OPEN_REPEATS; r++) repeats.push(await loadOnce(context, url));
    return {
      chromium: chromiumVersion() ?? first.userAgentVersion,
      charts: first.charts,
      firstLoadMs: first.ms,
      medianMs: median(repeats.map((load) => load.ms)),
      repeatsMs: repeats.map((load) => load.ms),
      loadEventRepeatsMs: repeats.map((load) => load.loadEventMs),
    };
  } catch (error) {
    return { note: `Chromium: ${firstLine(error instanceof Error ? error.message : String(error))}` };
  } finally {
    await context.close();
  }
}

/** One load of the report in a new page, closed afterwards. */
async function loadOnce(context: BrowserContext, url: string) {
  const page = await context.newPage();
  try {
    const start = performance.now();
    await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    await page.waitForFunction(CHARTS_DRAWN, undefined, { timeout: LOAD_TIMEOUT_MS });
    const ms = performance.now() - start;
    const charts = await page.evaluate<number>(`document.querySelectorAll('figure[data-chart]').length`);
    const loadEventMs = await page.evaluate<number>(`performance.getEntriesByType('navigation')[0].loadEventEnd`);
    const userAgent = await page.evaluate<string>('navigator.userAgent');
    const userAgentVersion = /Chrome\/([\d.]+)/.exec(userAgent)?.[1] ?? 'unknown version';
    return { ms, charts, loadEventMs, userAgentVersion };
  } finally {
    await page.close();
  }
}

/** The full version Chromium reports (its user agent shows only the major one), or null. */
function chromiumVersion(): string | null {
  const run = runChild(CHROMIUM, ['--version'], { timeoutMs: 10_000 });
  return /Chromium ([\d.]+)/.exec(run.stdout)?.[1] ?? null;
}
