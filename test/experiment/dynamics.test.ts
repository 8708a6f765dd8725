// The training-dynamics settings in the experiment file: located errors, sweeps over whole values
// and single fields, and run hashes to which the defaults add nothing.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, expandGrid, formatIssues, parseExperiment, type LoadedExperiment } from '../../src/experiment/index.js';
import { ENGINE_VERSION } from '../../src/nn/version.js';
import { FILE, issuesOf, MINIMAL, onlyIssue } from './helpers.js';

const load = (source: string): LoadedExperiment => parseExperiment(source, FILE, { baseDir: '/work/exp' });
const hashOf = (source: string): string => expandGrid(load(source))[0].hash;
const withTrain = (lines: string): string => `${MINIMAL}${lines}`;

describe('run hashes with the training dynamics', () => {
  it('of an experiment without them are what they always were: the settings alone, hashed', () => {
    // The resolved run as it was hashed before these settings existed (defaults of the schema filled in).
    const settings = {
      dataset: { builtin: 'xor' },
      model: [{ linear: 2, init: 'xavier' }, 'sigmoid', { linear: 1, init: 'xavier' }, 'sigmoid'],
      loss: 'squared_error',
      train: { epochs: 10, learning_rate: 0.5, batch_size: 'full', record_every: 1 },
      seed: 0,
      divergence: { max_cost: 1e6 },
    };
    const expected = createHash('sha256').update(canonicalJson({ engine: ENGINE_VERSION, experiment: settings })).digest('hex');
    expect(hashOf(MINIMAL)).toBe(expected);
  });

  it('add nothing when written at their defaults', () => {
    const defaults = withTrain(
      '  optimizer: sgd\n  weight_decay: 0\n  l1: 0\n  schedule: constant\n  warmup_epochs: 0\n  shuffle: false\n  shuffle_seed: 0\n',
    );
    expect(hashOf(defaults)).toBe(hashOf(MINIMAL));
    expect(hashOf(withTrain('  optimizer: { name: sgd }\n  schedule: { name: constant }\n'))).toBe(hashOf(MINIMAL));
  });

  it('resolve an optimizer or schedule fully: a name and its defaults written out are one run', () => {
    expect(hashOf(withTrain('  optimizer: adam\n'))).toBe(hashOf(withTrain('  optimizer: { name: adam, beta1: 0.9, epsilon: 1.0e-8 }\n')));
    expect(hashOf(withTrain('  schedule: cosine\n'))).toBe(hashOf(withTrain('  schedule: { name: cosine, min_learning_rate: 0 }\n')));
    expect(hashOf(withTrain('  optimizer: adam\n'))).not.toBe(hashOf(MINIMAL));
    expect(hashOf(withTrain('  optimizer: adam\n'))).not.toBe(hashOf(withTrain('  optimizer: adamw\n')));
    expect(hashOf(withTrain('  optimizer: { name: adam, beta1: 0.8 }\n'))).not.toBe(hashOf(withTrain('  optimizer: adam\n')));
    expect(hashOf(withTrain('  shuffle: true\n'))).toBe(hashOf(withTrain('  shuffle: true\n  shuffle_seed: 0\n')));
    expect(hashOf(withTrain('  shuffle: true\n'))).not.toBe(hashOf(withTrain('  shuffle: true\n  shuffle_seed: 1\n')));
    expect(hashOf(withTrain('  weight_decay: 0.01\n'))).not.toBe(hashOf(MINIMAL));
  });
});

describe('located errors', () => {
  it('an unknown optimizer or schedule name, with a suggestion', () => {
    expect(formatIssues([onlyIssue(withTrain('  optimizer: adamm\n'))])).toBe(
      'experiments/test.yaml:13:14  train.optimizer: expected one of sgd, momentum, nesterov, rmsprop, adagrad, adam, adamw, found "adamm"; did you mean "adam"?',
    );
    expect(onlyIssue(withTrain('  optimizer: { name: nesterow }\n'))).toMatchObject({ line: 13, path: 'train.optimizer.name', suggestion: 'nesterov' });
    expect(onlyIssue(withTrain('  schedule: cosin\n'))).toMatchObject({ line: 13, column: 13, path: 'train.schedule', suggestion: 'cosine' });
  });

  it('a setting that belongs to another optimizer or schedule, at its key', () => {
    const issue = onlyIssue(withTrain('  optimizer:\n    name: momentum\n    beta1: 0.5\n'));
    expect(issue).toMatchObject({ line: 15, column: 5, path: 'train.optimizer.beta1' });
    expect(issue.message).toBe('momentum takes no beta1; its settings are beta');
    expect(onlyIssue(withTrain('  optimizer: { name: sgd, epsilon: 0.1 }\n')).message).toBe('sgd takes no epsilon; it has no settings');
    expect(onlyIssue(withTrain('  schedule: { name: cosine, gamma: 0.9 }\n'))).toMatchObject({
      path: 'train.schedule.gamma',
      message: 'the cosine schedule takes no gamma; its settings are min_learning_rate',
    });
    expect(onlyIssue(withTrain('  optimizer: { name: adam, beta_1: 0.5 }\n'))).toMatchObject({ path: 'train.optimizer.beta_1', suggestion: 'beta1' });
  });

  it('a schedule without the settings it needs', () => {
    const issues = issuesOf(withTrain('  schedule: step\n'));
    expect(issues.map((i) => [i.line, i.column, i.path])).toEqual([
      [13, 13, 'train.schedule.every'],
      [13, 13, 'train.schedule.factor'],
    ]);
    expect(issues[0].message).toBe('the step schedule needs every and factor: write { name: step, every: ..., factor: ... }');
    expect(onlyIssue(withTrain('  schedule: { name: step, every: 10 }\n'))).toMatchObject({ line: 13, path: 'train.schedule.factor' });
  });

  it('values out of range', () => {
    expect(onlyIssue(withTrain('  optimizer: { name: adam, beta2: 1 }\n')).message).toBe('expected a number >= 0 and < 1, found 1');
    expect(onlyIssue(withTrain('  weight_decay: -0.1\n'))).toMatchObject({ path: 'train.weight_decay', found: '-0.1' });
    expect(onlyIssue(withTrain('  warmup_epochs: 2.5\n'))).toMatchObject({ path: 'train.warmup_epochs' });
    expect(onlyIssue(withTrain('  schedule: { name: step, every: 0, factor: 0.5 }\n'))).toMatchObject({ path: 'train.schedule.every' });
    expect(onlyIssue(withTrain('  shuffle: yes\n'))).toMatchObject({ path: 'train.shuffle', found: '"yes"' });
  });

  it('softmax and cross_entropy need each other, and cross_entropy no `positive`', () => {
    const withModel = (model: string, loss: string) => MINIMAL.replace(/model:\n(  - .*\n)+/, `model:\n${model}`).replace('loss: squared_error', `loss: ${loss}`);
    const softmaxModel = '  - { linear: 2 }\n  - tanh\n  - { linear: 2 }\n  - softmax\n';
    expect(issuesOf(withModel(softmaxModel, 'bce')).map((issue) => issue.path).sort()).toEqual(['loss', 'model.3']);
    expect(onlyIssue(withModel(softmaxModel, 'squared_error'))).toMatchObject({
      line: 8,
      path: 'model.3',
      message: 'softmax goes with the loss cross_entropy, which is fused with it; the loss is squared_error',
    });
    expect(onlyIssue(withModel('  - { linear: 2 }\n  - sigmoid\n', 'cross_entropy')).message).toBe(
      'cross_entropy works on the logits of a final softmax, so the model must end with softmax (it ends with sigmoid); add softmax after the last linear layer',
    );
    expect(onlyIssue(withModel('  - { linear: 2 }\n  - softmax\n  - { linear: 2 }\n  - softmax\n', 'cross_entropy'))).toMatchObject({
      path: 'model.1',
      message: 'softmax can only be the last node of the model',
    });
    const positive = withModel(softmaxModel, 'cross_entropy').replace('builtin: xor', 'builtin: iris\n  positive: setosa');
    expect(onlyIssue(positive)).toMatchObject({ line: 4, column: 3, path: 'dataset.positive' });
  });
});

describe('sweeps over the training dynamics', () => {
  it('whole optimizers by name, and named optimizers with settings', () => {
    const runs = expandGrid(load(`${MINIMAL}sweep:\n  train.optimizer: [sgd, momentum, adam]\n`));
    expect(runs.map((run) => run.experiment.train.optimizer)).toEqual(['sgd', 'momentum', 'adam']);
    expect(new Set(runs.map((run) => run.hash)).size).toBe(3);
    expect(runs[0].hash).toBe(hashOf(MINIMAL));
    const named = expandGrid(load(`${MINIMAL}sweep:\n  train.optimizer:\n    named:\n      slow: { name: momentum, beta: 0.5 }\n      fast: { name: momentum, beta: 0.99 }\n`));
    expect(named.map((run) => run.params)).toEqual([[['train.optimizer', 'slow']], [['train.optimizer', 'fast']]]);
  });

  it('a single field of an optimizer written by name: the name takes its { name } form', () => {
    const runs = expandGrid(load(`${withTrain('  optimizer: adam\n')}sweep:\n  train.optimizer.beta1: [0.8, 0.95]\n`));
    expect(runs.map((run) => run.experiment.train.optimizer)).toEqual([
      { name: 'adam', beta1: 0.8 },
      { name: 'adam', beta1: 0.95 },
    ]);
    expect(runs[1].hash).toBe(hashOf(withTrain('  optimizer: { name: adam, beta1: 0.95 }\n')));
  });

  it('a schedule setting the file leaves to the sweep', () => {
    const runs = expandGrid(load(`${withTrain('  schedule: { name: step, factor: 0.5 }\n')}sweep:\n  train.schedule.every: [10, 100]\n`));
    expect(runs.map((run) => run.experiment.train.schedule)).toEqual([
      { name: 'step', factor: 0.5, every: 10 },
      { name: 'step', factor: 0.5, every: 100 },
    ]);
  });

  it('refuses a field the optimizer does not take, at the sweep, naming the grid point', () => {
    const loaded = load(`${withTrain('  optimizer: momentum\n')}sweep:\n  train.optimizer.beta2: [0.9]\n`);
    expect(() => expandGrid(loaded)).toThrow(/train\.optimizer\.beta2: momentum takes no beta2; its settings are beta/);
    const unset = load(`${MINIMAL}sweep:\n  train.optimizer.beta1: [0.9]\n`);
    expect(() => expandGrid(unset)).toThrow(/train\.optimizer is not set, so train\.optimizer\.beta1 cannot be swept; set it first/);
  });
});
