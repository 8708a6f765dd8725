// The whole report page: header with the sweep's outcome in one sentence, the chart sections,
// the summary table, the experiment file as given and the manifest's facts. One HTML file with
// inline CSS and inline SVG; its Content-Security-Policy forbids loading anything from anywhere.
import { bestRun } from './best-run.js';
import { boundariesSection, curvesSection, finalCostSection, learningRateSection, sharpnessSection, stabilitySection, type Section } from './chart-sections.js';
import { experimentDescription, experimentFactsHtml, experimentName, isComplete, runFactsHtml, statusCounts } from './facts.js';
import { escapeHtml } from './html.js';
import { asString, asStringArray, at } from './json.js';
import { formatNumber } from './numbers.js';
import type { ResultFolder, StabilityPoint } from './result-folder.js';
import { PAGE_CSS } from './style.js';
import { summaryTableHtml } from './table.js';

const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

function outcomeSentence(folder: ResultFolder): string {
  if (folder.stability) return searchSentence(folder, folder.stability);
  const count = folder.runs.length;
  const swept = folder.sweepKeys.length ? ` sweeping ${folder.sweepKeys.join(' × ')}` : '';
  let sentence = `${count} run${count === 1 ? '' : 's'}${swept}: ${statusCounts(folder) || 'none finished'}.`;
  const best = bestRun(folder.runs);
  if (best && folder.sweepKeys.length > 0) {
    const { run, lower } = best;
    if (best.kind === 'converged') {
      sentence += ` Best converged run: final cost ${formatNumber(run.finalCost!)} with ${run.label}.`;
      if (lower) sentence += ` ${lower.label} ended lower (${formatNumber(lower.finalCost!)}) but is ${lower.status}, not converged.`;
    } else {
      sentence += ` No run converged; lowest final cost ${formatNumber(run.finalCost!)} with ${run.label} (${run.status}).`;
    }
  }
  return sentence;
}

/** A search's outcome: how many runs, and the limit found (for one grid point) or how many found one. */
function searchSentence(folder: ResultFolder, points: StabilityPoint[]): string {
  const count = folder.runs.length;
  const key = points[0]?.key ?? folder.sweepKeys.at(-1) ?? '';
  const runs = `${count} run${count === 1 ? '' : 's'} searching the stability limit of ${key}`;
  if (points.length === 1) {
    const [point] = points;
    const limit =
      point.outcome === 'bracketed' && point.stableMax !== null && point.unstableMin !== null
        ? `the largest stable value lies between ${formatNumber(point.stableMax, 6)} and ${formatNumber(point.unstableMin, 6)}.`
        : `${point.note || point.outcome}.`;
    return `${runs}: ${limit}`;
  }
  const found = points.filter((point) => point.outcome === 'bracketed').length;
  return `${runs} at ${points.length} grid points: a limit found at ${found} of them.`;
}

function tableSection(folder: ResultFolder): Section {
  const order = folder.stability
    ? 'one row per run, grid point by grid point and by the searched value, as in summary.csv; beyond_limit tells whether the run went beyond the limit.'
    : 'one row per run in grid order, as in summary.csv.';
  return {
    id: 'runs',
    title: 'Runs',
    html: `<p class="how-to-read"><strong>How to read this:</strong> ${order} The status word sums up each cost curve (see docs/status.md): converged and stalled runs have settled, slow ones were still learning when the epochs ran out, unstable ones bounced, diverged ones blew up. The highlighted row is the best converged run (the lowest final cost among the converged runs, or among all that did not diverge or fail when none converged); hover a shortened number to see it in full.</p>\n${summaryTableHtml(folder)}`,
  };
}

/** A word for a POSIX shell: as it is when safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.,:=/+@%-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The output folder of the sweep that made this folder: its --out, else the default results/<name>. */
function outputFolderOf(folder: ResultFolder): string {
  const command = asStringArray(at(folder.manifest, 'command')) ?? [];
  for (let i = 0; i < command.length; i++) {
    const word = command[i];
    if ((word === '--out' || word === '-o') && i + 1 < command.length) return command[i + 1];
    if (word.startsWith('--out=')) return word.slice('--out='.length);
    if (word.startsWith('-o') && word.length > 2 && !word.startsWith('--')) return word.slice(2);
  }
  return `results/${experimentName(folder)}`;
}

function sourceSection(folder: ResultFolder): Section | null {
  const source = asString(at(folder.manifest, 'experiment', 'source'));
  if (source === undefined) return null;
  const file = asString(at(folder.manifest, 'experiment', 'file'));
  const overrides = asStringArray(at(folder.manifest, 'experiment', 'overrides')) ?? [];
  const command = [
    'npm run sweep --',
    shellWord(file ?? 'experiment.yaml'),
    ...overrides.flatMap((text) => ['--set', shellWord(text)]),
    '--out',
    shellWord(outputFolderOf(folder)),
  ].join(' ');
  const changed = overrides.length
    ? ` with ${overrides.length === 1 ? 'this change' : 'these changes'} from the command line: ${overrides.map((text) => `<code>${escapeHtml(text)}</code>`).join(', ')}`
    : '';
  return {
    id: 'experiment',
    title: 'Experiment file',
    html: `<p class="how-to-read">The experiment exactly as given${file ? ` (${escapeHtml(file)})` : ''}${changed}: run it again with <code>${escapeHtml(command)}</code>.</p>\n<pre class="source">${escapeHtml(source)}</pre>`,
  };
}

function aboutSection(folder: ResultFolder): Section {
  return {
    id: 'about',
    title: 'About this sweep',
    html: `<div class="columns">\n<div><h3>Experiment</h3>\n${experimentFactsHtml(folder)}</div>\n<div><h3>Run</h3>\n${runFactsHtml(folder)}</div>\n</div>`,
  };
}

export function renderReportPage(folder: ResultFolder): string {
  const name = experimentName(folder);
  const description = experimentDescription(folder);
  const charts = [
    stabilitySection(folder),
    curvesSection(folder, 'cost'),
    folder.hasTestCost ? curvesSection(folder, 'testCost') : null,
    learningRateSection(folder),
    sharpnessSection(folder),
    finalCostSection(folder),
    boundariesSection(folder),
  ];
  const sections = [...charts, tableSection(folder), sourceSection(folder), aboutSection(folder)].filter(
    (section): section is Section => section !== null,
  );
  const tool = [asString(at(folder.manifest, 'tool', 'name')) ?? 'gradgrid', asString(at(folder.manifest, 'tool', 'version'))].filter(Boolean).join(' ');
  const incomplete = isComplete(folder)
    ? ''
    : `<p class="warning"><strong>Incomplete sweep.</strong> ${folder.runs.length} of ${folder.plannedRuns} runs have results; the charts show only those.</p>`;
  const notes = folder.notes.length ? `<ul class="notes">${folder.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>` : '';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="generator" content="${escapeHtml(tool)}">
<title>${escapeHtml(name)} · gradgrid report</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<main>
<header>
<h1><span class="tool">gradgrid report</span>${escapeHtml(name)}</h1>
${description ? `<p class="description">${escapeHtml(description)}</p>\n` : ''}<p class="lead">${escapeHtml(outcomeSentence(folder))}</p>
${incomplete}${notes}<nav aria-label="Sections">${sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('')}</nav>
</header>
${sections.map((s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`).join('\n')}
<footer>Made by ${escapeHtml(tool)} from summary.csv, curves.csv, manifest.json and runs/ in this folder. Regenerate it with <code>gradgrid report &lt;folder&gt;</code>.</footer>
</main>
</body>
</html>
`;
}
