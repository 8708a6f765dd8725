// Mistakes that only the data reveals are caught before anything trains, located in the file like
// schema errors: a loss that cannot learn from the targets, a model whose shapes do not fit the
// data, dataset settings the data layer refuses (all at once), a CSV whose labels are not last.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ExperimentError,
  expandGrid,
  formatIssues,
  parseExperiment,
  type LoadedExperiment,
  type ValidationIssue,
} from '../../src/experiment/index.js';
import { experimentSchema } from '../../src/experiment/schema.js';
import { TEST_FRACTION_RANGE } from '../../src/data/index.js';
import { losses, lossNames, targetKinds } from '../../src/nn/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradgrid-checks-'));
  writeFileSync(join(dir, 'houses.csv'), 'size,rooms,price\n50,2,100\n80,3,200\n120,4,310\n');
  writeFileSync(join(dir, 'labels-first.csv'), 'kind,a,b\ninner,1,2\nouter,3,4\ninner,2,2\n');
  writeFileSync(join(dir, 'labels.csv'), 'a,b,kind\n1,2,inner\n3,4,outer\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILE = 'exp.yaml';
const load = (source: string): LoadedExperiment => parseExperiment(source, FILE, { baseDir: dir });

/** The issues of a source whose problems show only once the grid reads its data. */
function gridIssues(source: string): ValidationIssue[] {
  const loaded = load(source);
  try {
    expandGrid(loaded);
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentError);
    return (error as ExperimentError).issues;
  }
  throw new Error('expected the grid to be rejected');
}

function loadIssues(source: string): ValidationIssue[] {
  try {
    load(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentError);
    return (error as ExperimentError).issues;
  }
  throw new Error('expected the file to be rejected');
}

/** 1-based line and column of the first occurrence of `text` in `source`. */
function where(source: string, text: string, occurrence = 1): { line: number; column: number } {
  let at = -1;
  for (let k = 0; k < occurrence; k++) at = source.indexOf(text, at + 1);
  if (at < 0) throw new Error(`${text} not in source`);
  const before = source.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

const experiment = (dataset: string, model: string, loss: string, extra = '') =>
  `name: checks\ndataset:\n${dataset}\nmodel: ${model}\nloss: ${loss}\ntrain: { epochs: 5, learning_rate: 0.5 }\n${extra}`;

describe('a loss and the targets it needs', () => {
  it('every loss names its kind of targets; the cross-entropies need 0/1', () => {
    for (const name of lossNames) expect(Object.keys(targetKinds)).toContain(losses[name].targets);
    expect(losses.bce.targets).toBe('binary');
    expect(losses.bce_keras.targets).toBe('binary');
    expect(losses.squared_error.targets).toBe('real');
    const y = (...values: number[]) => ({ rows: 1, cols: values.length, data: Float64Array.from(values) });
    expect(targetKinds.binary.holds(y(0, 1, 1, 0))).toBe(true);
    expect(targetKinds.binary.holds(y(0, 1, 2))).toBe(false);
    expect(targetKinds.binary.holds(y(0.5))).toBe(false);
  });

  it('refuses bce on iris without `positive`, at the loss, pointing at the dataset, saying what to do', () => {
    const source = experiment('  builtin: iris\n  features: [petal_length, petal_width]', '[{ linear: 1 }, sigmoid]', 'bce');
    const issues = gridIssues(source);
    expect(issues).toHaveLength(1);
    const [issue] = issues;
    expect(issue).toMatchObject({ path: 'loss', ...where(source, 'bce'), expected: 'targets that are 0 or 1', found: '0, 1 and 2' });
    expect(issue.message).toContain('set dataset.positive to the class that maps to 1 (setosa, versicolor or virginica)');
    expect(issue.message).toContain('squared_error');
    expect(issue.related).toEqual([{ ...where(source, 'iris'), path: 'dataset.builtin', note: 'the targets come from here' }]);
    // Both places are printed as file:line:column.
    const printed = formatIssues(issues).split('\n');
    expect(printed[0]).toMatch(/^exp\.yaml:6:7 {2}loss: bce needs targets that are 0 or 1/);
    expect(printed[1]).toBe('  exp.yaml:3:12  dataset.builtin: the targets come from here');
    // With a positive class the same data is fine.
    expect(expandGrid(load(source.replace('builtin: iris', 'builtin: iris\n  positive: virginica')))).toHaveLength(1);
  });

  it('refuses bce_keras on a CSV price target, naming the column taken as the target', () => {
    const source = experiment('  csv: houses.csv', '[{ linear: 1 }, sigmoid]', 'bce_keras');
    const [issue, ...others] = gridIssues(source);
    expect(others).toEqual([]);
    expect(issue.path).toBe('loss');
    expect(issue.message).toContain('column "price", the last column by default');
    expect(issue.message).toContain('100, 200 and 310');
    expect(issue.related?.[0]).toMatchObject({ ...where(source, 'houses.csv'), path: 'dataset.csv' });
    // squared_error learns from any numbers.
    expect(expandGrid(load(source.replace('bce_keras', 'squared_error')))).toHaveLength(1);
  });

  it('points at the swept loss value, and names the dataset target when it is set', () => {
    const source = experiment('  csv: houses.csv\n  target: price', '[{ linear: 1 }, sigmoid]', 'squared_error', 'sweep:\n  loss: [squared_error, bce]\n');
    const [issue, ...others] = gridIssues(source);
    expect(others).toEqual([]);
    expect(issue).toMatchObject({ path: 'loss', ...where(source, 'bce]') });
    expect(issue.related?.[0]).toMatchObject({ ...where(source, 'price'), path: 'dataset.target' });
  });
});

describe('model shapes against the data', () => {
  it('a last layer with more outputs than the target has values', () => {
    const source = experiment('  builtin: xor', '\n  - { linear: 3 }\n  - sigmoid\n  - { linear: 2 }\n  - sigmoid', 'squared_error');
    const [issue, ...others] = gridIssues(source);
    expect(others).toEqual([]);
    expect(issue).toMatchObject({ path: 'model.2.linear', ...where(source, '2 }'), expected: '1', found: '2' });
    expect(issue.message).toContain('use linear: 1');
  });

  it('first-layer weights with a column per feature: 2 for xor, 3 once x1*x2 is crossed in', () => {
    const model = '\n  - { linear: 1, weights: [[1, 2, 3]], bias: [[0]] }\n  - sigmoid';
    const source = experiment('  builtin: xor', model, 'squared_error');
    const [issue, ...others] = gridIssues(source);
    expect(others).toEqual([]);
    expect(issue).toMatchObject({ path: 'model.0.weights.0', ...where(source, '[1, 2, 3]'), found: '3 numbers' });
    expect(issue.message).toContain('2 input features ("x1", "x2")');
    expect(expandGrid(load(experiment('  builtin: xor\n  feature_crosses: [[0, 1]]', model, 'squared_error')))).toHaveLength(1);
  });

  it('explicit bias shapes are checked where they are written', () => {
    const source = experiment('  builtin: xor', '\n  - { linear: 2, bias: [[0], [0], [0]] }\n  - sigmoid\n  - { linear: 1, bias: [[0, 1]] }\n  - sigmoid', 'squared_error');
    const issues = loadIssues(source);
    expect(issues.map((i) => i.path)).toEqual(['model.0.bias', 'model.2.bias.0']);
    expect(issues[1]).toMatchObject(where(source, '[0, 1]'));
  });

  it('a swept layer size is reported at its sweep value, once', () => {
    const source = experiment(
      '  builtin: xor',
      '\n  - { linear: 3 }\n  - sigmoid\n  - { linear: 1 }\n  - sigmoid',
      'squared_error',
      'sweep:\n  train.learning_rate: [0.1, 1]\n  model.2.linear: [1, 2]\n',
    );
    const issues = gridIssues(source);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'model.2.linear', ...where(source, '2]') });
  });
});

describe('dataset problems, located and all at once', () => {
  it('a misspelt class, test_fraction 0, a cross out of range and a generator setting on iris in one go', () => {
    const source = experiment(
      '  builtin: iris\n  positive: virginca\n  test_fraction: 0\n  feature_crosses: [[0, 7]]\n  samples: 10',
      '[{ linear: 1 }, sigmoid]',
      'squared_error',
    );
    const issues = loadIssues(source);
    expect(issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ['dataset.positive', ...Object.values(where(source, 'virginca'))],
      ['dataset.test_fraction', ...Object.values(where(source, '0\n'))],
      ['dataset.feature_crosses.0.1', ...Object.values(where(source, '7'))],
      ['dataset.samples', ...Object.values(where(source, '10'))],
    ]);
    expect(issues[0].message).toContain('did you mean "virginica"');
    expect(issues[3].message).toContain('`samples` does not apply to the builtin dataset "iris"');
  });

  it('the schema and the data layer describe test_fraction in the same words', () => {
    const schema = (experimentSchema.$defs as Record<string, { properties: Record<string, Record<string, unknown>> }>).dataset.properties.test_fraction;
    expect(schema).toMatchObject({ exclusiveMinimum: 0, exclusiveMaximum: 1 });
    for (const fraction of ['0', '1', '-0.5']) {
      const [issue] = loadIssues(experiment(`  builtin: iris\n  test_fraction: ${fraction}`, '[{ linear: 1 }]', 'squared_error'));
      expect(issue.message).toBe(`expected ${TEST_FRACTION_RANGE}, found ${fraction}`);
    }
  });

  it('samples on a gate, at its line', () => {
    const source = experiment('  builtin: xor\n  samples: 10', '[{ linear: 1 }, sigmoid]', 'squared_error');
    const [issue, ...others] = loadIssues(source);
    expect(others).toEqual([]);
    expect(issue).toMatchObject({ path: 'dataset.samples', ...where(source, '10') });
  });

  it('a swept dataset setting is checked per run, at its sweep value', () => {
    const source = experiment('  builtin: iris', '[{ linear: 1 }, sigmoid]', 'squared_error', 'sweep:\n  dataset.positive: [virginica, virginca]\n');
    const [issue, ...others] = gridIssues(source);
    expect(others).toEqual([]);
    expect(issue).toMatchObject({ path: 'dataset.positive', ...where(source, 'virginca') });
  });

  it('a problem of the data is reported once, not once per learning rate', () => {
    const source = experiment('  csv: labels.csv\n  positive: innr', '[{ linear: 1 }, sigmoid]', 'squared_error', 'sweep:\n  train.learning_rate: [0.1, 1, 10]\n');
    const issues = gridIssues(source);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'dataset.positive', ...where(source, 'innr') });
    expect(issues[0].message).toBe('labels.csv, column "kind": `positive` "innr" never occurs in the target column (did you mean "inner"?); its values are "inner", "outer"');
  });

  it('CSV names that are not columns are all reported, each at its place', () => {
    const source = experiment('  csv: houses.csv\n  features: [size, rums]\n  target: prize', '[{ linear: 1 }]', 'squared_error');
    const issues = gridIssues(source);
    expect(issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ['dataset.features.1', ...Object.values(where(source, 'rums'))],
      ['dataset.target', ...Object.values(where(source, 'prize'))],
    ]);
  });
});

describe('a label column that is not the last one', () => {
  it('says which column was taken as the target and suggests dataset.target', () => {
    const source = experiment('  csv: labels-first.csv', '[{ linear: 1 }, sigmoid]', 'squared_error');
    const [issue, ...others] = gridIssues(source);
    expect(others).toEqual([]);
    expect(issue).toMatchObject({ path: 'dataset.target', ...where(source, 'labels-first.csv') });
    expect(issue.message).toContain('The target was taken from the last column, "b" (the default)');
    expect(issue.message).toContain('set `target: kind`');
    // The fix works: the labels become the target.
    expect(expandGrid(load(source.replace('labels-first.csv', 'labels-first.csv\n  target: kind\n  positive: inner')))).toHaveLength(1);
  });
});
