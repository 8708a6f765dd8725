// Chart and table of a stability-limit search: one row per grid point, every probe of its search
// as a marker at its value (stable or beyond the limit) on a log axis, and the limit found (the
// largest stable value) as a bar, so the limits of several grid points can be compared at a glance.
import { escapeHtml } from './html.js';
import { formatSweepValue, paramsLabel, shortKeyNames } from './labels.js';
import { extent, formatNumber } from './numbers.js';
import type { ReportRun, StabilityPoint } from './result-folder.js';
import { logAxis } from './svg/axis-defs.js';
import type { AxisDef, Figure, Layer, PanelGrid, SymbolMark, TextMark } from './svg/figure.js';
import { statusStyle } from './theme.js';

export const PROBE_STABLE = 'stable';
export const PROBE_BEYOND = 'beyond the limit';
export const PROBE_FAILED = 'failed';
export const LIMIT_MARK = 'limit: largest stable value';

const MARKS = [PROBE_STABLE, PROBE_BEYOND, PROBE_FAILED, LIMIT_MARK];
const COLOURS = [statusStyle('converged').color, statusStyle('diverged').color, statusStyle('failed').color, '#1f2328'];
// A thin upright bar for the limit (Vega symbols are drawn in a unit square).
const BAR = 'M-0.12,-1L0.12,-1L0.12,1L-0.12,1Z';
const SHAPES = ['circle', 'cross', 'triangle-down', BAR];
const SIZES = [70, 70, 70, 420];

const CHART_WIDTH = 620;
/** The close-up panels show the values within this factor of the limit. */
const ZOOM = 1.3;
const ROW_HEIGHT = 34;

export interface StabilityRow {
  point: string;
  mark: string;
  value: number;
  run: number | null;
  /** The limit's value, written above its bar. */
  text?: string;
  /** Close enough to its grid point's limit for the close-up panel. */
  zoom: boolean;
}

export interface StabilityChart {
  figure: Figure;
  /** What is drawn: a row per probe and per limit found. */
  rows: StabilityRow[];
  /** The grid points drawn, in grid order. */
  points: string[];
  /** Probes drawn. */
  probes: number;
  /** Grid points with a limit bar (their search bracketed the limit). */
  limits: number;
}

/** The label of a grid point: its sweep values, or the searched key when there is no sweep. */
function pointLabels(points: StabilityPoint[], gridKeys: string[]): string[] {
  const names = shortKeyNames(gridKeys);
  return points.map((point) => (gridKeys.length === 0 ? 'search' : paramsLabel(point.cells.map((cell, i) => [gridKeys[i], cell]), names)));
}

/** The probes' grid point: the run's sweep values without the searched key (the last one). */
const pointKey = (cells: string[]) => cells.join('\u0000');

export function stabilitySpec(points: StabilityPoint[], runs: ReportRun[], gridKeys: string[]): StabilityChart | null {
  if (points.length === 0) return null;
  const labels = pointLabels(points, gridKeys);
  const labelByKey = new Map(points.map((point, i) => [pointKey(point.cells), labels[i]]));
  const limitOf = new Map(points.flatMap((point, i) => (point.outcome === 'bracketed' && point.stableMax !== null ? [[labels[i], point.stableMax] as const] : [])));
  const near = (label: string, value: number) => {
    const limit = limitOf.get(label);
    return limit !== undefined && value >= limit / ZOOM && value <= limit * ZOOM;
  };
  const rows: StabilityRow[] = [];
  for (const run of runs) {
    const value = run.params.at(-1)?.[1];
    const label = labelByKey.get(pointKey(run.params.slice(0, -1).map(([, cell]) => formatSweepValue(cell))));
    if (typeof value !== 'number' || !(value > 0) || label === undefined) continue;
    const mark = run.beyondLimit === true ? PROBE_BEYOND : run.beyondLimit === false ? PROBE_STABLE : PROBE_FAILED;
    rows.push({ point: label, mark, value, run: run.run, zoom: near(label, value) });
  }
  const probes = rows.length;
  let limits = 0;
  points.forEach((point, i) => {
    if (point.outcome !== 'bracketed' || point.stableMax === null) return;
    rows.push({ point: labels[i], mark: LIMIT_MARK, value: point.stableMax, run: null, text: formatNumber(point.stableMax), zoom: true });
    limits++;
  });
  if (rows.length === 0) return null;

  const [min, max] = extent(rows.map((row) => row.value));
  const present = MARKS.filter((mark) => rows.some((row) => row.mark === mark));
  const key = points[0].key;
  const pointOrder = [...new Set(labels)];
  // Probes first, the limit bar and its value on top of them (the probes crowd around it).
  const layersOf = (members: StabilityRow[], y: (row: StabilityRow) => string): Layer[] => {
    const symbol = (row: StabilityRow): SymbolMark => {
      const k = MARKS.indexOf(row.mark);
      const opacity = row.mark === LIMIT_MARK ? 1 : 0.85;
      const label = row.run === null ? `${row.point}: ${LIMIT_MARK} ${row.text ?? ''}` : `run ${row.run}: ${row.mark} at ${formatNumber(row.value, 6)}`;
      return { type: 'symbol', x: row.value, y: y(row), shape: SHAPES[k], size: SIZES[k], fill: COLOURS[k], opacity, label };
    };
    const limits = members.filter((row) => row.mark === LIMIT_MARK);
    const texts: TextMark[] = limits.map((row) => ({ type: 'text', x: row.value, y: y(row), dy: -15, text: row.text ?? '', size: 11, weight: 600, colour: '#1f2328', anchor: 'middle' }));
    return [
      { kind: 'symbol', marks: members.filter((row) => row.mark !== LIMIT_MARK).map(symbol) },
      { kind: 'symbol', marks: limits.map(symbol) },
      { kind: 'text', marks: texts },
    ];
  };
  const overview: PanelGrid = {
    panels: [{ layers: layersOf(rows, (row) => row.point) }],
    columns: 1,
    width: CHART_WIDTH,
    height: Math.max(ROW_HEIGHT * 2, ROW_HEIGHT * points.length),
    x: logAxis(`${key} (log scale)`, min, max, { snapToDecades: false, padding: 14 }),
    y: { title: null, scale: { type: 'point', domain: pointOrder, padding: ROW_HEIGHT / 2 }, labelLimit: 260, ...(gridKeys.length === 0 ? { labels: false } : {}) },
  };
  // Close up: the last rounds' probes of each grid point that found a limit, on an axis of its own.
  const zoomed = [...new Set(rows.filter((row) => row.zoom).map((row) => row.point))];
  const columns = Math.min(3, zoomed.length);
  const closeUpAxis = (point: string): AxisDef => {
    const [low, high] = extent(rows.filter((row) => row.zoom && row.point === point).map((row) => row.value));
    return { title: key, scale: { type: 'linear', domain: [low, high], nice: false, padding: 10 }, tickCount: 4 };
  };
  const closeUp: PanelGrid = {
    // Without a sweep there is one search: one panel, without a heading of its own.
    panels: zoomed.map((point) => ({
      ...(gridKeys.length === 0 ? {} : { title: [point] }),
      layers: layersOf(rows.filter((row) => row.zoom && row.point === point), () => ''),
      x: closeUpAxis(point),
    })),
    columns,
    width: columns <= 1 ? CHART_WIDTH : Math.floor((CHART_WIDTH + 20) / columns) - 20,
    height: 46,
    x: closeUpAxis(zoomed[0] ?? ''),
    y: { title: null, scale: { type: 'point', domain: [''] }, labels: false },
    title: `close to the limit: within a factor ${ZOOM} of it`,
    headerLimit: 200,
  };
  const legendSize = (k: number) => Math.min(SIZES[k], 200);
  const figure: Figure = {
    grids: zoomed.length > 0 ? [overview, closeUp] : [overview],
    legends: [{
      kind: 'symbols',
      title: null,
      entries: present.map((mark) => ({ label: mark, shape: SHAPES[MARKS.indexOf(mark)], fill: COLOURS[MARKS.indexOf(mark)], size: legendSize(MARKS.indexOf(mark)) })),
      columns: present.length,
    }],
    legendOrient: 'bottom',
    idPrefix: 'stability',
    description: `Stability-limit search of ${key}: every probe, and the limit found at each grid point`,
  };
  return { figure, rows, points: pointOrder, probes, limits };
}

const OUTCOME_TEXT: Record<string, string> = {
  bracketed: 'found',
  low_beyond_limit: 'below low',
  high_stable: 'above high',
  failed: 'a probe failed',
  interrupted: 'interrupted',
};

/** stability.csv as a table: grid point, the bracket, probes, how the search ended and its note. */
export function stabilityTableHtml(points: StabilityPoint[], gridKeys: string[]): string {
  const labels = pointLabels(points, gridKeys);
  const number = (value: number | null) =>
    value === null ? '<td class="num"></td>' : `<td class="num" title="${escapeHtml(String(value))}">${escapeHtml(formatNumber(value, 6))}</td>`;
  const head = `<tr>${gridKeys.length ? '<th scope="col">grid point</th>' : ''}<th scope="col" class="num">stable max</th><th scope="col" class="num">unstable min</th><th scope="col" class="num">probes</th><th scope="col">limit</th><th scope="col">note</th></tr>`;
  const body = points
    .map((point, i) => {
      const cells = [
        gridKeys.length ? `<td>${escapeHtml(labels[i])}</td>` : '',
        number(point.stableMax),
        number(point.unstableMin),
        `<td class="num">${point.probes ?? ''}</td>`,
        `<td>${escapeHtml(OUTCOME_TEXT[point.outcome] ?? point.outcome)}</td>`,
        `<td>${escapeHtml(point.note)}</td>`,
      ];
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table class="summary stability">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}
