// --set key=value overrides: they change exactly the settings they name, are validated like the
// file, and every problem they cause is reported at the override ("--set #2: ...").
import { describe, expect, it } from 'vitest';
import { ExperimentError, expandGrid, formatIssues, parseExperiment, type LoadedExperiment } from '../../src/experiment/index.js';
import { FILE, MINIMAL } from './helpers.js';

const load = (source: string, overrides: string[]): LoadedExperiment => parseExperiment(source, FILE, { baseDir: '/work/exp', overrides });

function problems(source: string, overrides: string[]): string {
  try {
    expandGrid(load(source, overrides));
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentError);
    return formatIssues((error as ExperimentError).issues);
  }
  throw new Error('expected the overrides to be rejected');
}

describe('--set overrides', () => {
  it('change exactly the settings they name, and nothing else', () => {
    const plain = load(MINIMAL, []).experiment;
    const overrides = ['train.epochs=200', 'model.0.linear=5', 'model.1=tanh', 'dataset={ builtin: or, shuffle: 3 }', 'divergence.max_cost=2.5e3', 'seed=7'];
    const changed = load(MINIMAL, overrides).experiment;
    const expected = structuredClone(plain);
    expected.train.epochs = 200;
    expected.model[0] = { linear: 5, init: 'xavier' };
    expected.model[1] = 'tanh';
    expected.dataset = { builtin: 'or', shuffle: 3 };
    expected.divergence.max_cost = 2500;
    expected.seed = 7;
    expect(changed).toEqual(expected);
  });

  it('set sweep axes, whose keys are dotted paths themselves, and searches', () => {
    const loaded = load(MINIMAL, ['sweep.train.learning_rate=[0.1, 1]', 'sweep.model.0.init=[he, zeros]']);
    expect(loaded.experiment.sweep).toEqual({ 'train.learning_rate': [0.1, 1], 'model.0.init': ['he', 'zeros'] });
    expect(expandGrid(loaded).map((run) => run.params.map(([, value]) => value))).toEqual([[0.1, 'he'], [0.1, 'zeros'], [1, 'he'], [1, 'zeros']]);
    const sampled = load(`${MINIMAL}sweep:\n  seed: { int_uniform: [1, 1000] }\nsearch:\n  random: { samples: 3 }\n`, ['search.random.samples=7', 'search.random.seed=2']);
    expect(sampled.experiment.search).toEqual({ random: { samples: 7, seed: 2 } });
    expect(sampled.overrides).toEqual(['search.random.samples=7', 'search.random.seed=2']);
    // A later override wins; the value is YAML.
    expect(load(MINIMAL, ['train.epochs=5', 'train.epochs=6']).experiment.train.epochs).toBe(6);
    expect(load(MINIMAL, ['train.batch_size=2']).experiment.train.batch_size).toBe(2);
  });

  it('gives the same run hash as a file that says the same', () => {
    const [fromOverride] = expandGrid(load(MINIMAL, ['train.epochs=20']));
    const [fromFile] = expandGrid(load(MINIMAL.replace('epochs: 10', 'epochs: 20'), []));
    expect(fromOverride.hash).toBe(fromFile.hash);
  });

  it('report a typo at the override, with a suggestion', () => {
    expect(problems(MINIMAL, ['train.epochs=5', 'train.learning_rte=1'])).toBe('--set #2: train.learning_rte: unknown setting; did you mean "learning_rate"?');
  });

  it('report a bad value at the override, and problems in the file at the file', () => {
    expect(problems(MINIMAL.replace('sigmoid\nloss', 'sigmod\nloss'), ['train.epochs=-5'])).toBe(
      [
        '--set #1: train.epochs: expected an integer from 1 to 1e7, found -5',
        'experiments/test.yaml:8:5  model.3: expected one of sigmoid, tanh, relu, leaky_relu, identity, softmax, found "sigmod"; did you mean "sigmoid"?',
      ].join('\n'),
    );
  });

  it('report swept values and sweep keys that came from an override at the override', () => {
    expect(problems(MINIMAL, ['seed=1', 'sweep.train.learning_rate=[0.1, -1]'])).toBe(
      '--set #2: train.learning_rate: expected a number > 0 and <= 1e12, found -1',
    );
    expect(problems(MINIMAL, ['sweep.train.learning_rte=[1]'])).toBe(
      '--set #1: sweep.train.learning_rte: unknown setting "learning_rte" in train; did you mean "train.learning_rate"?',
    );
    expect(problems(MINIMAL, ['sweep.seed={ uniform: [1, 2] }'])).toMatch(/^--set #1: sweep\.seed: \{ uniform: \[\.\.\.\] \} is a distribution/);
  });

  it('report a problem with a setting at the override that set something inside it', () => {
    expect(problems(MINIMAL, ['dataset.csv=points.csv'])).toBe('--set #1: dataset: builtin and csv are both set; set exactly one of builtin or csv');
    expect(problems(MINIMAL, ['model.0=sigmoid', 'model.2=relu'])).toBe('--set #2: model: the model needs at least one linear layer, e.g. { linear: 1 }');
  });

  it('refuse what is not key=value, values that are not YAML, and paths that cannot exist', () => {
    expect(problems(MINIMAL, ['train.epochs'])).toBe('--set #1: expected key=value (e.g. train.epochs=200), found "train.epochs"');
    expect(problems(MINIMAL, ['train..epochs=3', '=3'])).toBe(
      [
        '--set #1: expected a dotted setting path before "=", such as train.epochs or sweep.train.learning_rate, found "train..epochs"',
        '--set #2: expected a dotted setting path before "=", such as train.epochs or sweep.train.learning_rate, found ""',
      ].join('\n'),
    );
    expect(problems(MINIMAL, ['train.epochs=[1'])).toMatch(/^--set #1: train\.epochs: the value is not valid YAML: /);
    expect(problems(MINIMAL, ['model.9.init=he'])).toBe('--set #1: model.9.init: model has no entry 9; its entries are model.0 to model.3');
    expect(problems(MINIMAL, ['train.epochs.value=3'])).toBe('--set #1: train.epochs.value: train.epochs is 10, which has no setting value');
    expect(problems(MINIMAL, ['train.epochs='])).toBe('--set #1: train.epochs: expected an integer from 1 to 1e7, found an empty value');
  });

  it('cannot reach an object prototype', () => {
    expect(problems(MINIMAL, ['train.__proto__.polluted=1'])).toMatch(/^--set #1: train\.__proto__: unknown setting/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
