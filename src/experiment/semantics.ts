// Rules that span several settings, which JSON Schema cannot state: the model must have a linear
// layer, a fused loss needs its final node (bce a sigmoid, cross_entropy a softmax) and softmax
// needs cross_entropy, explicit weights must fit the layer, an optimizer or schedule takes only
// its own settings; and the searches' rules (stability-rules.ts, search-rules.ts). Checking them
// here reports them at load time, located in the file, instead of as failed runs.

import { losses } from '../nn/losses.js';
import { SOFTMAX } from '../nn/softmax.js';
import { trainingDynamicsProblems } from './dynamics-problems.js';
import type { LossName } from './types.js';
import { formatValue } from './describe.js';
import type { Problem } from './problem.js';
import { searchProblems } from './search-rules.js';
import { stabilityLimitProblems } from './stability-rules.js';

/** Runs after the schema passed; tolerant of settings left out because a sweep provides them. */
export function semanticProblems(data: Record<string, unknown>): Problem[] {
  return [...modelProblems(data), ...stabilityLimitProblems(data), ...searchProblems(data)];
}

function modelProblems(data: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const model = data.model;
  if (!Array.isArray(model)) return problems;

  if (!model.some((node) => typeof node === 'object' && node !== null)) {
    problems.push({
      path: ['model'],
      at: 'value',
      anchor: ['model'],
      message: 'the model needs at least one linear layer, e.g. { linear: 1 }',
      expected: 'at least one linear layer',
    });
  }

  const lossName = data.loss;
  const loss = typeof lossName === 'string' && Object.hasOwn(losses, lossName) ? losses[lossName as LossName] : undefined;
  const last = model[model.length - 1];
  const fused = loss?.fusedWith ?? null;
  if (fused !== null && last !== fused) {
    const otherwise = fused === 'sigmoid' ? 'use squared_error otherwise' : 'add softmax after the last linear layer';
    problems.push({
      path: ['loss'],
      at: 'value',
      anchor: ['loss'],
      message: `${lossName} works on the logits of a final ${fused}, so the model must end with ${fused} (it ends with ${
        typeof last === 'string' ? last : 'a linear layer'
      }); ${otherwise}`,
      expected: `a model that ends with ${fused}`,
    });
  }
  model.forEach((node, index) => {
    if (node !== SOFTMAX) return;
    const notLast = index !== model.length - 1;
    if (!notLast && fused === 'softmax') return;
    problems.push({
      path: ['model', index],
      at: 'value',
      anchor: ['model', index],
      message: notLast
        ? 'softmax can only be the last node of the model'
        : `softmax goes with the loss cross_entropy, which is fused with it; the loss is ${String(lossName)}`,
      expected: notLast ? 'softmax as the last node' : 'loss: cross_entropy',
    });
  });
  const dataset = data.dataset as { positive?: unknown } | undefined;
  if (fused === 'softmax' && dataset?.positive !== undefined) {
    problems.push({
      path: ['dataset', 'positive'],
      at: 'key',
      anchor: ['dataset', 'positive'],
      message: `positive makes one-vs-rest 0/1 targets for one output, but ${lossName} trains on every class (one-hot targets); remove positive, or use bce with a final sigmoid`,
    });
  }
  problems.push(...trainingDynamicsProblems(data.train));

  let previousUnits: number | undefined;
  model.forEach((node, index) => {
    if (typeof node !== 'object' || node === null) return;
    const layer = node as { linear: number; weights?: unknown; bias?: unknown };
    if (Array.isArray(layer.weights)) {
      problems.push(...matrixShapeProblems(['model', index, 'weights'], layer.weights, layer.linear, previousUnits, 'weights'));
    }
    if (Array.isArray(layer.bias)) {
      problems.push(...matrixShapeProblems(['model', index, 'bias'], layer.bias, layer.linear, 1, 'bias'));
    }
    previousUnits = layer.linear;
  });
  return problems;
}

/** `rows` rows, all of `columns` numbers when known, else all of one length. */
function matrixShapeProblems(
  path: (string | number)[],
  matrix: unknown[],
  rows: number,
  columns: number | undefined,
  what: 'weights' | 'bias',
): Problem[] {
  const shape = what === 'bias' ? `${rows} row${rows === 1 ? '' : 's'} of 1 number (one per unit)` : `${rows} row${rows === 1 ? '' : 's'} (one per unit)`;
  if (matrix.length !== rows) {
    return [
      {
        path,
        at: 'value',
        anchor: path,
        message: `expected ${shape}, found ${formatValue(matrix).replace('entries', 'rows').replace('entry', 'row')}; the layer has linear: ${rows}`,
        expected: shape,
        found: `${matrix.length} rows`,
      },
    ];
  }
  const lengths = matrix.map((row) => (Array.isArray(row) ? row.length : 0));
  const wanted = columns ?? lengths[0];
  const bad = lengths.findIndex((length) => length !== wanted);
  if (bad === -1) return [];
  const reason =
    columns === undefined
      ? `every row must have the same length as row 0 (${wanted})`
      : what === 'bias'
        ? 'every bias row holds 1 number'
        : `every row must have ${wanted} numbers, the units of the previous linear layer`;
  const rowPath = [...path, bad];
  return [
    {
      path: rowPath,
      at: 'value',
      anchor: rowPath,
      message: `${reason}; found ${lengths[bad]}`,
      expected: `${wanted} numbers`,
      found: `${lengths[bad]} numbers`,
    },
  ];
}
