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

const SWEPT = 'swept (see the table)';

/** Whether the sweep sets `path`, something inside it, or something it lies in. */
type Swept = (path: string) => boolean;

function sweptBy(sweepKeys: string[]): Swept {
  return (path) => sweepKeys.some((key) => key === path || key.startsWith(`${path}.`) || path.startsWith(`${key}.`));
}

/** Whether the sweep sets `path` as a whole (the key is `path` or something that holds it). */
function sweptWhole(sweepKeys: string[]): Swept {
  return (path) => sweepKeys.some((key) => key === path || path.startsWith(`${key}.`));
}

/** A layer as text; what the sweep sets in it reads "swept", since no run used the value written. */
function layerText(layer: Json, index: number, swept: Swept, whole: Swept): string {
  const path = `model.${index}`;
  if (whole(path)) return 'swept';
  if (typeof layer === 'string') return layer;
  const linear = asNumber(at(layer, 'linear'));
  if (linear === undefined) return JSON.stringify(layer);
  const init = swept(`${path}.init`) ? 'init swept' : asString(at(layer, 'init'));
  const explicit = swept(`${path}.weights`) || swept(`${path}.bias`) ? 'explicit start swept' : at(layer, 'weights') !== undefined ? 'explicit start' : undefined;
  const details = [init, explicit].filter(Boolean);
  return `linear ${swept(`${path}.linear`) ? 'swept' : linear}${details.length ? ` (${details.join(', ')})` : ''}`;
}

function datasetText(dataset: Json, swept: Swept): string | undefined {
  const spec = asRecord(dataset);
  if (!spec) return undefined;
  // A swept source (or the whole dataset): no single dataset to name.
  if (swept('dataset.builtin') || swept('dataset.csv')) return SWEPT;
  const source = asString(spec.builtin) ?? (asString(spec.csv) ? basename(asString(spec.csv)!) : undefined);
  const detail = (key: string, text: string | undefined) => (swept(`dataset.${key}`) ? `${key.replace('_', ' ')} swept` : text);
  const details = [
    detail('features', asStringArray(spec.features) ? `features ${asStringArray(spec.features)!.join(', ')}` : undefined),
    detail('samples', asNumber(spec.samples) !== undefined ? `${asNumber(spec.samples)} samples` : undefined),
    detail('noise', asNumber(spec.noise) !== undefined ? `noise ${asNumber(spec.noise)}` : undefined),
    detail('test_fraction', asNumber(spec.test_fraction) ? `test fraction ${asNumber(spec.test_fraction)}` : undefined),
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
  const swept = sweptBy(folder.sweepKeys);
  const whole = sweptWhole(folder.sweepKeys);
  const unlessSwept = (key: string, value: Json) => (swept(key) ? SWEPT : valueText(value));
  const model = asArray(at(parsed, 'model'));
  return [
    ['Dataset', datasetText(at(parsed, 'dataset'), swept)],
    ['Model', whole('model') ? SWEPT : model ? model.map((layer, i) => layerText(layer, i, swept, whole)).join(' → ') : undefined],
    ['Loss', unlessSwept('loss', at(parsed, 'loss'))],
    ['Epochs', unlessSwept('train.epochs', at(parsed, 'train', 'epochs'))],
    ['Learning rate', unlessSwept('train.learning_rate', at(parsed, 'train', 'learning_rate'))],
    ['Batch size', unlessSwept('train.batch_size', at(parsed, 'train', 'batch_size'))],
    ['Seed', unlessSwept('seed', at(parsed, 'seed'))],
    ['Divergence limit', swept('divergence.max_cost') ? SWEPT : numberText(at(parsed, 'divergence', 'max_cost'))],
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
