// What ran, where and when: the experiment at a glance and the manifest's facts (versions,
// seed, timings, workers, whether the sweep completed).
import { basename } from 'node:path';
import { escapeHtml } from './html.js';
import { asArray, asBoolean, asNumber, asRecord, asString, asStringArray, at, type Json } from './json.js';
import { formatDuration, formatNumber } from './numbers.js';
import type { ResultFolder } from './result-folder.js';
import { orderedStatuses } from './theme.js';

export function experimentName(folder: ResultFolder): string {
  return asString(at(folder.manifest, 'experiment', 'parsed', 'name')) ?? basename(folder.dir);
}

export function experimentDescription(folder: ResultFolder): string | undefined {
  return asString(at(folder.manifest, 'experiment', 'parsed', 'description'));
}

/** "2 converged, 1 slow, 1 diverged" */
export function statusCounts(folder: ResultFolder): string {
  const counts = new Map<string, number>();
  for (const run of folder.runs) counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
  return orderedStatuses(counts.keys()).map((status) => `${counts.get(status)} ${status}`).join(', ');
}

/** True unless the manifest says the sweep stopped early or runs are missing from summary.csv. */
export function isComplete(folder: ResultFolder): boolean {
  return asBoolean(at(folder.manifest, 'complete')) !== false && folder.runs.length >= folder.plannedRuns;
}

function layerText(layer: Json): string {
  if (typeof layer === 'string') return layer;
  const linear = asNumber(at(layer, 'linear'));
  const init = asString(at(layer, 'init'));
  const explicit = at(layer, 'weights') !== undefined ? ', explicit start' : '';
  return linear === undefined ? JSON.stringify(layer) : `linear ${linear}${init || explicit ? ` (${[init, explicit.slice(2)].filter(Boolean).join(', ')})` : ''}`;
}

function datasetText(dataset: Json): string | undefined {
  const spec = asRecord(dataset);
  if (!spec) return undefined;
  const source = asString(spec.builtin) ?? (asString(spec.csv) ? basename(asString(spec.csv)!) : undefined);
  const details = [
    asStringArray(spec.features) ? `features ${asStringArray(spec.features)!.join(', ')}` : undefined,
    asNumber(spec.samples) !== undefined ? `${asNumber(spec.samples)} samples` : undefined,
    asNumber(spec.noise) !== undefined ? `noise ${asNumber(spec.noise)}` : undefined,
    asNumber(spec.test_fraction) ? `test fraction ${asNumber(spec.test_fraction)}` : undefined,
  ].filter(Boolean);
  return `${source ?? 'unknown'}${details.length ? ` (${details.join('; ')})` : ''}`;
}

function valueText(value: Json): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function numberText(value: Json): string | undefined {
  return typeof value === 'number' ? formatNumber(value) : valueText(value);
}

/** An ISO timestamp as "2025-11-25 11:20:03 UTC"; anything else as written. */
function dateText(value: Json): string | undefined {
  const text = asString(value);
  const match = text?.match(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/);
  return match ? `${match[1]} ${match[2]} UTC` : text;
}

/** The experiment at a glance, from the parsed experiment in the manifest. */
function experimentFacts(folder: ResultFolder): [string, string | undefined][] {
  const parsed = at(folder.manifest, 'experiment', 'parsed');
  const swept = new Set(folder.sweepKeys);
  const unlessSwept = (key: string, value: Json) => (swept.has(key) ? 'swept (see the table)' : valueText(value));
  const model = asArray(at(parsed, 'model'));
  return [
    ['Dataset', datasetText(at(parsed, 'dataset'))],
    ['Model', model ? model.map(layerText).join(' → ') : undefined],
    ['Loss', asString(at(parsed, 'loss'))],
    ['Epochs', unlessSwept('train.epochs', at(parsed, 'train', 'epochs'))],
    ['Learning rate', unlessSwept('train.learning_rate', at(parsed, 'train', 'learning_rate'))],
    ['Batch size', unlessSwept('train.batch_size', at(parsed, 'train', 'batch_size'))],
    ['Seed', unlessSwept('seed', at(parsed, 'seed'))],
    ['Divergence limit', numberText(at(parsed, 'divergence', 'max_cost'))],
    ['Swept', folder.sweepKeys.length ? folder.sweepKeys.join(', ') : 'nothing (a single run)'],
  ];
}

function runFacts(folder: ResultFolder): [string, string | undefined][] {
  const m = folder.manifest;
  const wallMs = asNumber(at(m, 'wall_ms'));
  const packages = asRecord(at(m, 'packages'));
  const command = asStringArray(at(m, 'command'));
  const complete = isComplete(folder);
  return [
    ['Runs', `${folder.runs.length} of ${folder.plannedRuns}: ${statusCounts(folder)}`],
    ['Complete', complete ? 'yes' : 'no: the sweep stopped before every run finished'],
    ['Started', dateText(at(m, 'started_at'))],
    ['Finished', dateText(at(m, 'finished_at'))],
    ['Wall time', wallMs === undefined ? undefined : formatDuration(wallMs)],
    ['Workers', valueText(at(m, 'workers'))],
    ['Experiment file', asString(at(m, 'experiment', 'file'))],
    ['Command', command ? `gradgrid ${command.join(' ')}` : undefined],
    ['Tool', [asString(at(m, 'tool', 'name')), asString(at(m, 'tool', 'version'))].filter(Boolean).join(' ') || undefined],
    ['Engine version', valueText(at(m, 'tool', 'engine'))],
    ['Node', asString(at(m, 'node'))],
    ['Platform', asString(at(m, 'platform'))],
    ['Packages', packages ? Object.entries(packages).map(([name, version]) => `${name} ${valueText(version)}`).join(', ') : undefined],
  ];
}

function definitionList(facts: [string, string | undefined][]): string {
  const items = facts
    .filter((fact): fact is [string, string] => fact[1] !== undefined && fact[1] !== '')
    .map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('\n');
  return `<dl class="facts">\n${items}\n</dl>`;
}

export function experimentFactsHtml(folder: ResultFolder): string {
  return definitionList(experimentFacts(folder));
}

export function runFactsHtml(folder: ResultFolder): string {
  return definitionList(runFacts(folder));
}
