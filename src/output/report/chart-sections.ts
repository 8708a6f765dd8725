// The chart sections of the page: heading, a line on how to read the chart, the chart itself
// (inline SVG in a <figure data-chart="...">) and notes on anything left out.
import { axisKindsOf, colourAxis, describeAxes, facetAxes, type SweptAxis } from './axes.js';
import { boundariesSpec, MAX_BOUNDARY_PANELS, MAX_MAP_CLASSES } from './boundaries.js';
import { curvesSpec } from './curves.js';
import { finalCostSpec } from './final-cost.js';
import { learningRateSpec } from './learning-rate.js';
import { escapeHtml } from './html.js';
import { pointsPerCurve } from './downsample.js';
import { shortKeyNames } from './labels.js';
import { formatNumber } from './numbers.js';
import type { ResultFolder } from './result-folder.js';
import { sharpnessSpec } from './sharpness.js';
import { stabilitySpec, stabilityTableHtml } from './stability.js';
import { renderFigure } from './svg/figure.js';

export interface Section {
  id: string;
  title: string;
  html: string;
}

function figure(chart: string, svg: string, notes: string[], attributes: Record<string, string | number> = {}): string {
  const extra = Object.entries(attributes).map(([name, value]) => ` ${name}="${escapeHtml(String(value))}"`).join('');
  const caption = notes.length ? `\n<figcaption>${notes.map((note) => `<p>${escapeHtml(note)}</p>`).join('')}</figcaption>` : '';
  return `<figure class="chart" data-chart="${chart}"${extra}>\n<div class="chart-svg">${svg}</div>${caption}\n</figure>`;
}

/** "a", "a and b", "a, b and c". */
function listWords(words: string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const howToRead = (text: string) => `<p class="how-to-read"><strong>How to read this:</strong> ${escapeHtml(text)}</p>`;

/** Colour runs along a ramp when the first swept value is a number (learning rates, epochs, seeds). */
function orderedColours(folder: ResultFolder): boolean {
  return folder.runs.length > 10 || (folder.runs.length > 0 && typeof folder.runs[0].params[0]?.[1] === 'number');
}

/** Above this many runs a legend that names every run stops helping: colour by a swept value. */
export const MANY_RUNS = 12;

/** How the curves of a large sweep are told apart: a colour scale and panels (none for a few runs). */
function curvesLayout(folder: ResultFolder): { colourBy: SweptAxis | null; facets: SweptAxis[] } {
  if (folder.runs.length <= MANY_RUNS) return { colourBy: null, facets: [] };
  const axes = describeAxes(folder.runs, folder.sweepKeys, axisKindsOf(folder.manifest));
  const colourBy = colourAxis(axes);
  return { colourBy, facets: facetAxes(axes, colourBy ? [colourBy.key] : []) };
}

function curveNotes(omitted: number, offScale: boolean, maxCost: number | null, longestCurve: number, runCount: number): string[] {
  const budget = pointsPerCurve(runCount);
  const notes: string[] = [];
  if (offScale) {
    notes.push(`A cost that became NaN or Infinity${maxCost !== null ? `, or rose above the divergence limit (${formatNumber(maxCost)})` : ''}, is drawn off the scale: at the top, at least one decade above the highest real cost.`);
  }
  if (omitted > 0) notes.push(`${omitted} recorded point(s) with a cost of zero or below are not drawn: a log axis cannot show them.`);
  if (longestCurve > budget) {
    notes.push(`Long curves are thinned to at most ${budget} points for drawing, keeping the start, the end, and the lowest and highest cost of every stretch; curves.csv holds every recorded epoch.`);
  }
  return notes;
}

export function curvesSection(folder: ResultFolder, which: 'cost' | 'testCost'): Section | null {
  const { colourBy, facets } = curvesLayout(folder);
  const chart = curvesSpec(folder.runs, {
    which,
    maxCost: folder.maxCost,
    orderedColours: orderedColours(folder),
    colourBy,
    facets,
    shortNames: shortKeyNames(folder.sweepKeys),
  });
  const id = which === 'cost' ? 'curves' : 'test-curves';
  if (!chart) {
    if (which === 'testCost') return null;
    return { id, title: 'Cost curves', html: `<p class="empty">No run has a cost that can be drawn${folder.runs.length ? '' : ': summary.csv lists no runs'}.</p>` };
  }
  const svg = renderFigure(chart.figure);
  const longest = Math.max(0, ...folder.runs.map((run) => run.curve.cost.points));
  const notes = curveNotes(chart.omittedPoints, chart.hasOffScale, folder.maxCost, longest, folder.runs.length);
  if (colourBy) {
    notes.unshift(`${folder.runs.length} runs: each line's colour gives its ${colourBy.key}${colourBy.scale === 'log' ? ' on a log scale' : ''}, from dark purple (lowest) to green (highest); see the scale beside the chart.`);
  }
  if (chart.panels > 1) notes.unshift(`One panel per value of ${listWords(facets.map((axis) => axis.key))}.`);
  const intro = which === 'cost'
    ? howToRead('each line is one run, its training cost after every epoch. Lower is better. The cost axis is logarithmic: each grid step down is a tenfold smaller error. A steep drop that flattens out means the run settled; a line that wobbles or climbs took steps that were too large, and a cross marks a run that blew up and was stopped there.')
    : howToRead('the same runs measured on the held-out test examples, which the network never trained on. A test cost that turns upwards while the training cost keeps falling is the network memorising its training data (overfitting).');
  return {
    id,
    title: which === 'cost' ? 'Cost curves' : 'Test cost curves',
    html: `${intro}\n${figure(id, svg, notes, {
      'data-series': chart.seriesCount,
      ...(colourBy ? { 'data-colour': colourBy.key, 'data-colour-scale': colourBy.scale } : {}),
      ...(chart.panels > 1 ? { 'data-panels': chart.panels } : {}),
    })}`,
  };
}

export function learningRateSection(folder: ResultFolder): Section | null {
  if (!folder.hasLearningRate) return null;
  const chart = learningRateSpec(folder.runs, orderedColours(folder));
  if (!chart) return null;
  const svg = renderFigure(chart.figure);
  const intro = howToRead(
    'the learning rate each run used in every epoch: its schedule (step, exponential, inverse-time or cosine decay) and its warmup, the linear ramp at the start. Read it beside the cost curves: a run that blows up at a constant rate may settle when its rate starts small or decays.',
  );
  return {
    id: 'learning-rate',
    title: 'Learning rate',
    html: `${intro}\n${figure('learning-rate', svg, [], { 'data-series': chart.seriesCount, 'data-y-scale': chart.logScale ? 'log' : 'linear' })}`,
  };
}

export function finalCostSection(folder: ResultFolder): Section | null {
  const chart = finalCostSpec(folder.runs, folder.sweepKeys, folder.maxCost, axisKindsOf(folder.manifest));
  if (!chart) return null;
  const svg = renderFigure(chart.figure);
  const isLearningRate = chart.key.split('.').pop() === 'learning_rate';
  const notes: string[] = [];
  if (chart.facetKeys.length > 0) notes.push(`One panel per value of ${listWords(chart.facetKeys)}.`);
  if (chart.sharedKeys.length > 0) {
    notes.push(`Runs that differ in ${listWords(chart.sharedKeys)} share ${chart.facetKeys.length > 0 ? 'a panel' : 'the chart'}${chart.connected ? '' : ', so the markers are not joined by a line'}.`);
  }
  if (chart.omittedRuns > 0) notes.push(`${chart.omittedRuns} run(s) without a final cost that a log axis can show (failed runs, or a cost of zero) are not drawn.`);
  const text = isLearningRate
    ? 'each marker is the cost a run ended with, placed at its learning rate; its colour and shape give its status. Too small a learning rate leaves the cost high because the steps are tiny; too large a rate makes the cost bounce or blow up (markers at the top). The best learning rates sit in the valley between the two.'
    : `each marker is the cost a run ended with, placed at its value of ${chart.key}; its colour and shape give its status. Look for the values where the cost is lowest and for the ones where training failed to settle.`;
  return {
    id: 'final-cost',
    title: isLearningRate ? 'Final cost against learning rate' : `Final cost against ${chart.key}`,
    html: `${howToRead(text)}\n${figure('final-cost', svg, notes, { 'data-x': chart.key, 'data-x-scale': chart.xScale })}`,
  };
}

/** "class 1 (virginica)", or "class 1" when the targets have no names. */
function classText(folder: ResultFolder, target: 0 | 1): string {
  return folder.classNames?.length === 2 ? `class ${target} (${folder.classNames[target]})` : `class ${target}`;
}

export function boundariesSection(folder: ResultFolder): Section | null {
  const chart = boundariesSpec(folder.runs, folder.featureNames, folder.classNames);
  const manyClasses = folder.runs.find((run) => run.boundary?.classes !== undefined && (run.classes?.length ?? 0) > MAX_MAP_CLASSES);
  if (!chart && manyClasses) {
    return {
      id: 'boundaries',
      title: 'Decision maps',
      html: `<p class="empty">The networks choose among ${manyClasses.classes!.length} classes; class maps are drawn for at most ${MAX_MAP_CLASSES}, where each class still has a colour of its own.</p>`,
    };
  }
  if (!chart) {
    if (folder.points && !folder.hasRunRecords) {
      return {
        id: 'boundaries',
        title: 'Decision boundaries',
        html: '<p class="empty">The run records (the runs/ folder) are missing, so the decision boundaries cannot be drawn.</p>',
      };
    }
    return null;
  }
  const svg = renderFigure(chart.figure);
  const notes: string[] = [];
  if (chart.runsWithBoundary > chart.shownRuns) {
    notes.push(`Showing ${chart.shownRuns} of ${chart.runsWithBoundary} runs (at most ${MAX_BOUNDARY_PANELS}), evenly spread through the grid from the first run to the last; every run's map is in its record under runs/.`);
  }
  if (chart.pointsTotal === 0) notes.push('The data points are not in the manifest, so only the maps are shown.');
  else if (chart.pointsShown < chart.pointsTotal) notes.push(`Every panel shows ${chart.pointsShown} of the ${chart.pointsTotal} data points, evenly spread through the data set.`);
  if (chart.hasNoValueCells) notes.push('Grey cells: the network output was not a number there (a run that blew up).');
  if (chart.classes !== null) {
    const text = `each square is the plane of the two input features. Every spot is coloured by the class the trained network predicts there (${chart.classes.join(', ')}), strong where it is sure and pale where it hesitates between classes, so pale bands are the borders between classes. The dots are the data, coloured by their true class; in a good run every dot lies on shading of its own colour.`;
    return {
      id: 'boundaries',
      title: 'Decision maps',
      html: `${howToRead(text)}\n${figure('boundaries', svg, notes, { 'data-panels': chart.shownRuns, 'data-classes': chart.classes.length })}`,
    };
  }
  const classes = chart.valueScale.classification;
  const text = classes
    ? `each square is the plane of the two input features${folder.featureNames[0] === 'x1' ? '' : ` (${folder.featureNames[0]} across, ${folder.featureNames[1]} up)`}. Its shading is what the trained network predicts at every spot: blue for ${classText(folder, 0)}, orange for ${classText(folder, 1)}, pale where it cannot decide, so the pale band is the decision boundary. The dots are the data, coloured by their true class; in a good run every dot lies on shading of its own colour.`
    : `each square is the plane of the two input features. Its shading is the value the trained network predicts at every spot, from blue (${formatNumber(chart.valueScale.min)} or less) through pale to orange (${formatNumber(chart.valueScale.max)} or more). The dots are the data, coloured by their true value on the same scale; where a dot's colour matches the shading under it, the prediction there is right.`;
  return {
    id: 'boundaries',
    title: classes ? 'Decision boundaries' : 'Prediction maps',
    html: `${howToRead(text)}\n${figure('boundaries', svg, notes, { 'data-panels': chart.shownRuns })}`,
  };
}

/** "How to read this" of the sharpness chart, in plain words. */
export function sharpnessHowToRead(formulas: string[]): string {
  const line = formulas.length === 1 ? formulas[0] : 'its threshold';
  return (
    `each solid line is one run's sharpness: how sharply the cost curves upward along its steepest direction in weight space ` +
    `(the largest eigenvalue of the Hessian of the training cost), measured with the weights of that epoch. ` +
    `The dashed line of the same colour is the run's stability threshold ${line}. ` +
    `Think of a valley whose walls steepen: a step of size η across a valley with curvature λ lands higher up the far wall than it started whenever λ is above 2/η, ` +
    `so along that direction every step makes things worse instead of better. Below its dashed line a run can settle; above it, it cannot stay. ` +
    `Two patterns are worth looking for. Progressive sharpening: while the cost falls, the sharpness often climbs, because training drifts towards steeper ground. ` +
    `The edge of stability (Cohen et al., 2021): when a climbing sharpness reaches its dashed line, it does not go on past it and blow up; ` +
    `it stops there and hovers around the line while the cost keeps going down, often unevenly. ` +
    `A run that starts above its line is thrown off at once, either into flatter ground (its sharpness drops below the line) or out of the valley (it diverges).`
  );
}

export function sharpnessSection(folder: ResultFolder): Section | null {
  if (!folder.hasSharpness) return null;
  const chart = sharpnessSpec(folder.runs, { orderedColours: orderedColours(folder) });
  if (!chart) return null;
  const svg = renderFigure(chart.figure);
  const notes: string[] = [];
  if (chart.farThresholds.length > 0) {
    notes.push(
      `The thresholds of ${chart.farThresholds.join(', ')} lie more than 100 times above every sharpness measured, so they are not drawn: those steps are nowhere near the limit.`,
    );
  }
  for (const reason of new Set(chart.withoutThreshold.map((run) => run.reason))) {
    const which = chart.withoutThreshold.filter((run) => run.reason === reason).map((run) => run.label);
    notes.push(`No threshold for ${which.join(', ')}: ${reason}.`);
  }
  if (chart.formulas.some((formula) => formula !== '2/η')) {
    notes.push('With momentum β the steps build up speed, which moves the limit to 2(1+β)/η (heavy ball) or 2(1+β)/((1+2β)η) (Nesterov).');
  }
  if (folder.runs.some((run) => typeof run.train?.batch_size === 'number')) {
    notes.push('For minibatch training the dashed line is only a guide: it is the limit of full-batch steps, and each minibatch has a landscape of its own.');
  }
  return {
    id: 'sharpness',
    title: 'Sharpness',
    html: `${howToRead(sharpnessHowToRead(chart.formulas))}\n${figure('sharpness', svg, notes, { 'data-series': chart.seriesCount, 'data-y-scale': chart.yScale })}`,
  };
}

/** "How to read this" of the stability-limit chart, in plain words. */
export function stabilityHowToRead(key: string, tolerance: number | null): string {
  const name = key.split('.').pop() === 'learning_rate' ? 'learning rate' : key;
  return (
    `the search looked for the largest ${name} at which training is still stable, ${tolerance === null ? 'by bisection' : `to within ${formatNumber(tolerance * 100)}%`}. ` +
    `Each row is one grid point's search and each marker one run of it at that ${name}: a dot when training was stable, ` +
    `a cross when it went beyond the limit (it diverged, or ended with a higher cost than it started with). ` +
    `The first round tries both ends of the range and three values spread evenly between them on the log scale; every later round tries three values between ` +
    `the largest stable value and the smallest one beyond the limit, so the markers crowd where the limit is. ` +
    `The bar marks the largest stable value found: the stability limit. On a quadratic cost, plain gradient descent is stable exactly while ` +
    `${name === 'learning rate' ? 'the learning rate' : 'η'} stays below 2/λmax, where λmax is the sharpness (the largest curvature of the cost); heavy-ball momentum β moves that to 2(1+β)/λmax.`
  );
}

export function stabilitySection(folder: ResultFolder): Section | null {
  if (!folder.stability) return null;
  const gridKeys = folder.sweepKeys.slice(0, -1);
  const chart = stabilitySpec(folder.stability, folder.runs, gridKeys);
  const table = stabilityTableHtml(folder.stability, gridKeys);
  const key = folder.stability[0]?.key ?? folder.sweepKeys.at(-1) ?? 'the searched setting';
  const tolerance = asNumberOrNull(folder.manifest.experiment.parsed.search?.stability_limit?.tolerance);
  const intro = howToRead(stabilityHowToRead(key, tolerance));
  if (!chart) return { id: 'stability', title: 'Stability limit', html: `${intro}\n<p class="empty">No probe has finished.</p>\n${table}` };
  const svg = renderFigure(chart.figure);
  const notes: string[] = [];
  if (chart.limits < chart.points.length) notes.push('Grid points without a bar found no limit inside the range searched, or their search ended early; the table says which.');
  return {
    id: 'stability',
    title: 'Stability limit',
    html: `${intro}\n${figure('stability', svg, notes, { 'data-points': chart.points.length, 'data-probes': chart.probes })}\n${table}`,
  };
}

function asNumberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
