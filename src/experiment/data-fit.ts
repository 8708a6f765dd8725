// Whether a run's model and loss fit its data, checked once the data is prepared and before any
// run starts: the first layer's explicit weights take the data's features, the last layer gives
// one output per target value, and the loss can learn from the targets (each loss names the kind
// of targets it needs: nn/targets.ts). Anything that fails here would fail or mislead every run.

import { BUILTIN_DATASETS, isBuiltinDatasetName, type PreparedData } from '../data/index.js';
import type { Matrix } from '../nn/matrix.js';
import { losses, lossNames } from '../nn/losses.js';
import { targetKinds, type TargetKind } from '../nn/targets.js';
import { sourceSetting } from './dataset-problems.js';
import type { Problem } from './problem.js';
import type { PathSegment } from './yaml-source.js';
import type { RunSpec } from './types.js';
import { plural } from '../text/plural.js';

type RunExperiment = RunSpec['experiment'];

export function dataFitProblems(experiment: RunExperiment, data: PreparedData): Problem[] {
  return [...shapeProblems(experiment, data), ...targetProblems(experiment, data)];
}

function shapeProblems({ model }: RunExperiment, data: PreparedData): Problem[] {
  const problems: Problem[] = [];
  const linearIndices = model.flatMap((node, index) => (typeof node === 'object' ? [index] : []));
  if (linearIndices.length === 0) return problems;
  const scope: PathSegment[][] = [['model'], ['dataset']];

  const first = linearIndices[0];
  const weights = (model[first] as { weights?: number[][] }).weights;
  const features = data.featureNames.length;
  const badRow = weights?.findIndex((row) => row.length !== features) ?? -1;
  if (weights !== undefined && badRow >= 0) {
    const path: PathSegment[] = ['model', first, 'weights', badRow];
    const names = data.featureNames.map((name) => JSON.stringify(name)).join(', ');
    problems.push({
      path,
      at: 'value',
      anchor: path,
      message:
        `the first linear layer takes the data's ${plural(features, 'input feature')} (${names}), so every row of ` +
        `weights needs ${plural(features, 'number')}; found ${weights[badRow].length}`,
      expected: plural(features, 'number'),
      found: `${weights[badRow].length} numbers`,
      scope,
    });
  }

  const last = linearIndices[linearIndices.length - 1];
  const outputs = (model[last] as { linear: number }).linear;
  const targets = data.train.y.rows;
  if (outputs !== targets) {
    const path: PathSegment[] = ['model', last, 'linear'];
    problems.push({
      path,
      at: 'value',
      anchor: path,
      message:
        `the last linear layer gives ${plural(outputs, 'output')} per example, but the data has ` +
        `${plural(targets, 'target value')} per example; use linear: ${targets}`,
      expected: `${targets}`,
      found: `${outputs}`,
      scope,
    });
  }
  return problems;
}

function targetProblems(experiment: RunExperiment, data: PreparedData): Problem[] {
  const loss = losses[experiment.loss];
  if (loss === undefined) return [];
  const splits = data.test === null ? [data.train.y] : [data.train.y, data.test.y];
  if (splits.every((y) => fits(y, loss.targets))) return [];

  const dataset = experiment.dataset;
  const found = describeValues(splits);
  const source = isBuiltinDatasetName(String(dataset.builtin)) ? BUILTIN_DATASETS[dataset.builtin!] : undefined;
  const takesPositive = dataset.csv !== undefined || (source?.settings.includes('positive') ?? false);
  const what =
    dataset.csv !== undefined
      ? `the targets (column "${data.targetName ?? '?'}"${dataset.target === undefined ? ', the last column by default' : ''}) are ${found.text}`
      : source?.classes !== undefined
        ? `the ${dataset.builtin} targets are the class indices ${found.text} (${source.classes.join(', ')})`
        : `the ${dataset.builtin ?? ''} targets are ${found.text}`;

  const fixes: string[] = [];
  // `positive` turns class labels into 0/1 targets; other kinds of targets need other remedies.
  if (loss.targets === 'binary' && takesPositive && dataset.positive === undefined && found.distinct.length <= MAX_LABELS) {
    const labels = source?.classes ?? found.distinct.map(String);
    fixes.push(`set dataset.positive to the ${source?.classes ? 'class' : 'label'} that maps to 1 (${orList(labels)})`);
  }
  const others = lossNames.filter((name) => name !== experiment.loss && splits.every((y) => fits(y, losses[name].targets)));
  if (others.length > 0) fixes.push(`use a loss that takes these targets: ${orList(others)}`);

  const expected = `targets that are ${targetKinds[loss.targets].description}`;
  const targetSetting: PathSegment[] = dataset.target !== undefined ? ['target'] : sourceSetting(dataset);
  return [
    {
      path: ['loss'],
      at: 'value',
      anchor: ['loss'],
      message: `${experiment.loss} needs ${expected}, but ${what}${fixes.length > 0 ? `; ${fixes.join(', or ')}` : ''}`,
      expected,
      found: found.text,
      scope: [['loss'], ['dataset']],
      related: [{ path: ['dataset', ...targetSetting], at: 'value', anchor: ['dataset', ...targetSetting], note: 'the targets come from here' }],
    },
  ];
}

/** Up to this many distinct target values are offered as `positive` labels. */
const MAX_LABELS = 10;

/** Whether targets fit a kind; remembered per matrix, since a sweep checks the same data many times. */
const fitted = new WeakMap<Matrix, Map<TargetKind, boolean>>();
function fits(y: Matrix, kind: TargetKind): boolean {
  let known = fitted.get(y);
  if (!known) fitted.set(y, (known = new Map()));
  let result = known.get(kind);
  if (result === undefined) known.set(kind, (result = targetKinds[kind].holds(y)));
  return result;
}

/** "0, 1 and 2", or "values from 12.5 to 830" when there are many. */
function describeValues(splits: Matrix[]): { text: string; distinct: number[] } {
  const distinct = new Set<number>();
  let low = Infinity;
  let high = -Infinity;
  for (const y of splits) {
    for (const v of y.data) {
      if (distinct.size <= MAX_LABELS) distinct.add(v);
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  const values = [...distinct].sort((a, b) => a - b);
  if (values.length <= 6) return { text: andList(values.map(String)), distinct: values };
  return { text: `values from ${low} to ${high}`, distinct: values };
}

function andList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

