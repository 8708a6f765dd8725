// `search.stability_limit` in the experiment file: defaults, a searched key left out of the file,
// and located errors for a key that is not a positive number setting, a reversed range, a
// non-positive low, and a key that is also swept.
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/experiment/index.js';
import { FILE, issuesOf, MINIMAL, onlyIssue } from './helpers.js';

const load = (source: string) => parseExperiment(source, FILE, { baseDir: '/work/exp' });
const withSearch = (search: string, base = MINIMAL) => `${base}search:\n  stability_limit: ${search}\n`;

describe('search.stability_limit', () => {
  it('fills in the tolerance and lets the file leave out the searched setting', () => {
    const { experiment } = load(withSearch('{ key: train.learning_rate, low: 0.01, high: 10 }'));
    expect(experiment.search).toEqual({ stability_limit: { key: 'train.learning_rate', low: 0.01, high: 10, tolerance: 0.01 } });
    const without = MINIMAL.replace('  learning_rate: 0.5\n', '');
    expect(() => load(withSearch('{ key: train.learning_rate, low: 0.01, high: 10 }', without))).not.toThrow();
    expect(onlyIssue(without).path).toBe('train.learning_rate');
  });

  it('reports a key that is not a number setting, or not a setting at all, at the key', () => {
    const epochs = onlyIssue(withSearch('{ key: train.epochs, low: 1, high: 100 }'));
    expect(epochs).toMatchObject({ path: 'search.stability_limit.key', line: 14, column: 27 });
    expect(epochs.message).toMatch(/train\.epochs takes an integer .* needs a setting that takes positive numbers/);
    expect(onlyIssue(withSearch('{ key: loss, low: 1, high: 2 }')).message).toMatch(/loss takes one of squared_error/);
    const typo = onlyIssue(withSearch('{ key: train.learning_rte, low: 1, high: 2 }'));
    expect(typo).toMatchObject({ path: 'search.stability_limit.key', suggestion: 'train.learning_rate' });
    expect(onlyIssue(withSearch('{ key: name, low: 1, high: 2 }')).message).toMatch(/cannot be swept/);
  });

  it('reports low >= high at high, a non-positive low at low, and ends outside the setting\'s range', () => {
    expect(onlyIssue(withSearch('{ key: train.learning_rate, low: 2, high: 2 }'))).toMatchObject({
      path: 'search.stability_limit.high',
      message: expect.stringMatching(/high \(2\) must be above low \(2\)/),
    });
    expect(onlyIssue(withSearch('{ key: train.learning_rate, low: 0, high: 2 }'))).toMatchObject({ path: 'search.stability_limit.low' });
    expect(onlyIssue(withSearch('{ key: train.learning_rate, low: -1, high: 2 }'))).toMatchObject({ path: 'search.stability_limit.low' });
    expect(onlyIssue(withSearch('{ key: train.learning_rate, low: 1, high: 1.0e13 }'))).toMatchObject({
      path: 'search.stability_limit.high',
      message: expect.stringMatching(/takes a number > 0 and <= 1e12, so the search cannot try 1e13/),
    });
    expect(onlyIssue(withSearch('{ key: dataset.test_fraction, low: 0.1, high: 1 }')).path).toBe('search.stability_limit.high');
  });

  it('refuses a swept searched key, at the sweep, and a second kind of search', () => {
    const swept = onlyIssue(`${withSearch('{ key: train.learning_rate, low: 0.01, high: 10 }')}sweep:\n  train.learning_rate: [0.1, 1]\n`);
    expect(swept).toMatchObject({ path: 'sweep.train.learning_rate', line: 16, column: 3 });
    expect(swept.message).toMatch(/searched setting .* cannot be swept as well/);
    const issues = issuesOf(`${MINIMAL}search:\n  stability_limit: { key: train.learning_rate, low: 0.01, high: 10 }\n  grid: {}\n`);
    expect(issues.map((issue) => issue.path)).toContain('search.grid');
  });
});
