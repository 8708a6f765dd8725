import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ExperimentError,
  MAX_FILE_BYTES,
  formatIssues,
  loadExperimentFile,
  parseExperiment,
} from '../../src/experiment/index.js';
import { DESIGN_EXAMPLE, FILE, MINIMAL, issuesOf, onlyIssue } from './helpers.js';

const withLine = (source: string, lineNumber: number, replacement: string): string => {
  const lines = source.split('\n');
  lines[lineNumber - 1] = replacement;
  return lines.join('\n');
};

describe('valid experiments', () => {
  it('loads the reference example experiment (xor-lr) with every setting as written', () => {
    const loaded = parseExperiment(DESIGN_EXAMPLE, 'experiments/xor-lr.yaml');
    expect(loaded.experiment).toEqual({
      name: 'xor-lr',
      description: "Learning-rate sweep of the blog's 2-layer XOR network",
      seed: 48,
      dataset: { builtin: 'xor' },
      model: [{ linear: 3, init: 'xavier' }, 'sigmoid', { linear: 1, init: 'xavier' }, 'sigmoid'],
      loss: 'squared_error',
      train: { epochs: 5000, learning_rate: 1, batch_size: 'full', record_every: 1 },
      divergence: { max_cost: 1e6 },
      sweep: { 'train.learning_rate': [0.01, 0.1, 0.5, 1, 2, 5, 10, 50] },
    });
    expect(loaded.file).toBe('experiments/xor-lr.yaml');
    expect(loaded.source).toBe(DESIGN_EXAMPLE);
  });

  it('fills the schema defaults', () => {
    const { experiment } = parseExperiment(MINIMAL, FILE);
    expect(experiment.seed).toBe(0);
    expect(experiment.model[0]).toEqual({ linear: 2, init: 'xavier' });
    expect(experiment.train.batch_size).toBe('full');
    expect(experiment.train.record_every).toBe(1);
    expect(experiment.divergence).toEqual({ max_cost: 1e6 });
    expect(experiment.sweep).toBeUndefined();
  });

  it('accepts explicit weights of the right shape, a csv dataset and every optional dataset setting', () => {
    const source = MINIMAL.replace('  builtin: xor', '  csv: data/points.csv\n  features: [x1, x2]\n  target: y\n  positive: yes\n  feature_crosses: [[0, 1]]\n  shuffle: 48\n  test_fraction: 0.25')
      .replace('  - { linear: 2 }', '  - { linear: 2, init: he, weights: [[1, 2, 3], [4, 5, 6]], bias: [[0], [1]] }')
      .replace('  - { linear: 1 }', '  - { linear: 1, weights: [[-10, 60]] }');
    const { experiment } = parseExperiment(source, FILE);
    expect(experiment.dataset.csv).toBe('data/points.csv');
    expect(experiment.model[2]).toEqual({ linear: 1, init: 'xavier', weights: [[-10, 60]] });
  });

  it('accepts anchors and aliases used sparingly', () => {
    const source = MINIMAL.replace('  - sigmoid\n  - { linear: 1 }\n  - sigmoid', '  - &act sigmoid\n  - { linear: 1 }\n  - *act');
    expect(parseExperiment(source, FILE).experiment.model[3]).toBe('sigmoid');
  });

  it('accepts a byte order mark and raw UTF-8 bytes', () => {
    const bytes = new TextEncoder().encode(`\uFEFF${MINIMAL}description: café\n`);
    expect(parseExperiment(bytes, FILE).experiment.description).toBe('café');
  });

  it('lets a sweep provide a required setting the file leaves out', () => {
    const source = `${withLine(MINIMAL, 12, '')}sweep:\n  train.learning_rate: [0.1, 1]\n`;
    const { experiment } = parseExperiment(source, FILE);
    expect(experiment.train.learning_rate).toBeUndefined();
  });

  it('accepts safe names', () => {
    for (const name of ['a', 'xor-lr', 'v1.2_final', 'a.b.c']) {
      expect(parseExperiment(withLine(MINIMAL, 1, `name: ${name}`), FILE).experiment.name).toBe(name);
    }
    expect(parseExperiment(withLine(MINIMAL, 1, 'name: "0"'), FILE).experiment.name).toBe('0');
  });
});

describe('located errors', () => {
  it('names the file, line, column and a near setting for a misspelt key', () => {
    const issues = issuesOf(withLine(MINIMAL, 12, '  learning_rte: 0.5'));
    expect(formatIssues(issues)).toBe(
      [
        'experiments/test.yaml:10:1  train.learning_rate: required setting is missing; expected a number > 0 and <= 1e12',
        'experiments/test.yaml:12:3  train.learning_rte: unknown setting; did you mean "learning_rate"?',
      ].join('\n'),
    );
    expect(issues[1]).toMatchObject({ file: FILE, line: 12, column: 3, path: 'train.learning_rte', suggestion: 'learning_rate' });
  });

  it('reports an unknown activation with the allowed names and a suggestion', () => {
    const issue = onlyIssue(withLine(MINIMAL, 6, '  - sigmod'));
    expect(formatIssues([issue])).toBe(
      'experiments/test.yaml:6:5  model.1: expected one of sigmoid, tanh, relu, leaky_relu, identity, softmax, found "sigmod"; did you mean "sigmoid"?',
    );
    expect(issue).toMatchObject({ expected: 'one of sigmoid, tanh, relu, leaky_relu, identity, softmax', found: '"sigmod"', suggestion: 'sigmoid' });
  });

  it('reports a misspelt init inside a flow mapping at the value', () => {
    const issue = onlyIssue(withLine(MINIMAL, 5, '  - { linear: 2, init: xavir }'));
    expect(issue).toMatchObject({ line: 5, column: 24, path: 'model.0.init', suggestion: 'xavier' });
  });

  it('decides from its type whether a model entry is an activation or a linear layer', () => {
    const number = onlyIssue(withLine(MINIMAL, 6, '  - 5'));
    expect(number).toMatchObject({ line: 6, column: 5, path: 'model.1', found: '5' });
    expect(number.message).toBe(
      'expected an activation name (sigmoid, tanh, relu, leaky_relu, identity, softmax) or a linear layer such as { linear: 3, init: xavier }, found 5',
    );
    const extra = onlyIssue(withLine(MINIMAL, 5, '  - { linear: 2, int: he }'));
    expect(extra).toMatchObject({ line: 5, column: 18, path: 'model.0.int', message: 'unknown setting', suggestion: 'init' });
    const missing = onlyIssue(withLine(MINIMAL, 5, '  - { init: he }'));
    expect(missing).toMatchObject({ line: 5, column: 5, path: 'model.0.linear' });
    expect(missing.message).toBe('required setting is missing; expected an integer from 1 to 4096');
  });

  it('says the range of an out-of-range number', () => {
    expect(formatIssues([onlyIssue(withLine(MINIMAL, 11, '  epochs: -5'))])).toBe(
      'experiments/test.yaml:11:11  train.epochs: expected an integer from 1 to 1e7, found -5',
    );
    expect(onlyIssue(withLine(MINIMAL, 11, '  epochs: 2.5')).message).toBe('expected an integer from 1 to 1e7, found 2.5');
    expect(onlyIssue(withLine(MINIMAL, 12, '  learning_rate: 0')).message).toBe('expected a number > 0 and <= 1e12, found 0');
    expect(onlyIssue(withLine(MINIMAL, 12, '  learning_rate: -1')).message).toBe('expected a number > 0 and <= 1e12, found -1');
    expect(onlyIssue(withLine(MINIMAL, 5, '  - { linear: 100000 }')).message).toBe('expected an integer from 1 to 4096, found 100000');
    expect(onlyIssue(`${MINIMAL}seed: 4294967296\n`).message).toBe('expected an integer from 0 to 4294967295, found 4294967296');
  });

  it('rejects .nan and .inf with a location', () => {
    for (const [text, found] of [['.nan', '.nan'], ['.inf', '.inf'], ['-.inf', '-.inf'], ['.NaN', '.nan'], ['1e400', '.inf']]) {
      const issue = onlyIssue(withLine(MINIMAL, 12, `  learning_rate: ${text}`));
      expect(issue).toMatchObject({ line: 12, column: 18, path: 'train.learning_rate', found });
    }
    expect(onlyIssue(`${MINIMAL}divergence: { max_cost: .inf }\n`)).toMatchObject({ line: 13, column: 25, path: 'divergence.max_cost' });
    expect(onlyIssue(withLine(MINIMAL, 5, '  - { linear: 2, weights: [[1, .nan]] }'))).toMatchObject({ line: 5, path: 'model.0.weights.0.1', found: '.nan' });
  });

  it('reports a missing required setting at the mapping that lacks it', () => {
    const issue = onlyIssue(withLine(MINIMAL, 9, ''));
    expect(formatIssues([issue])).toBe(
      'experiments/test.yaml:1:1  loss: required setting is missing; expected one of squared_error, bce, bce_keras, cross_entropy',
    );
    expect(onlyIssue(withLine(MINIMAL, 11, ''))).toMatchObject({ line: 10, column: 1, path: 'train.epochs' });
  });

  it('explains batch_size: full or an integer', () => {
    expect(onlyIssue(`${MINIMAL}  batch_size: fulll\n`)).toMatchObject({ line: 13, column: 15, message: 'expected "full", found "fulll"', suggestion: 'full' });
    expect(onlyIssue(`${MINIMAL}  batch_size: 0\n`).message).toBe('expected an integer from 1 to 1e8, found 0');
    expect(onlyIssue(`${MINIMAL}  batch_size: true\n`).message).toBe('expected "full" or an integer from 1 to 1e8, found true');
  });

  it('asks for exactly one of builtin and csv', () => {
    expect(formatIssues([onlyIssue(withLine(MINIMAL, 3, '  builtin: xor\n  csv: a.csv'))])).toBe(
      'experiments/test.yaml:2:1  dataset: builtin and csv are both set; set exactly one of builtin or csv',
    );
    expect(onlyIssue(withLine(MINIMAL, 3, '  shuffle: 1'))).toMatchObject({ line: 2, column: 1, message: 'set exactly one of builtin or csv' });
    expect(onlyIssue(withLine(MINIMAL, 3, '  builtin: xorr'))).toMatchObject({ line: 3, column: 12, suggestion: 'xor' });
  });

  it('reports a wrong type with what was expected', () => {
    expect(onlyIssue(MINIMAL.replace(/train:\n(  .*\n)+/, 'train: fast\n'))).toMatchObject({
      line: 10,
      column: 8,
      message: 'expected a mapping (epochs, learning_rate, batch_size, record_every, optimizer, weight_decay, l1, schedule, warmup_epochs, shuffle, shuffle_seed), found "fast"',
    });
    expect(onlyIssue(MINIMAL.replace(/model:\n(  - .*\n)+/, 'model: []\n'))).toMatchObject({ line: 4, column: 8, found: 'an empty list' });
    expect(onlyIssue(withLine(MINIMAL, 3, '  builtin:'))).toMatchObject({ line: 3, column: 3, found: 'an empty value' });
    expect(onlyIssue(withLine(MINIMAL, 3, '  builtin: xor\n  positive: 2'))).toMatchObject({ path: 'dataset.positive', line: 4, column: 13 });
  });

  it('suggests nothing for a name that is nowhere near a setting, but lists the settings', () => {
    const issue = onlyIssue(`${MINIMAL}  zzzzzz: 1\n`);
    expect(issue.suggestion).toBeUndefined();
    expect(issue.message).toBe('unknown setting; the settings here are epochs, learning_rate, batch_size, record_every, optimizer, weight_decay, l1, schedule, warmup_epochs, shuffle, shuffle_seed');
  });

  it('collects every problem of a file at once, in reading order', () => {
    const source = MINIMAL.replace('name: tiny', 'name: Tiny').replace('  - sigmoid\n  - { linear: 1 }', '  - sigmod\n  - { linear: 1 }').replace('  epochs: 10', '  epochs: 0');
    const issues = issuesOf(source);
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [1, 'name'],
      [6, 'model.1'],
      [11, 'train.epochs'],
    ]);
  });

  it('checks settings that depend on each other', () => {
    const rows = onlyIssue(withLine(MINIMAL, 5, '  - { linear: 2, weights: [[1, 2]] }'));
    expect(rows).toMatchObject({ line: 5, column: 27, path: 'model.0.weights' });
    expect(rows.message).toBe('expected 2 rows (one per unit), found a list of 1 row; the layer has linear: 2');
    const columns = onlyIssue(withLine(MINIMAL, 7, '  - { linear: 1, weights: [[1, 2, 3]] }'));
    expect(columns).toMatchObject({ line: 7, path: 'model.2.weights.0', message: 'every row must have 2 numbers, the units of the previous linear layer; found 3' });
    const bias = onlyIssue(withLine(MINIMAL, 7, '  - { linear: 1, bias: [[1, 2]] }'));
    expect(bias).toMatchObject({ path: 'model.2.bias.0', message: 'every bias row holds 1 number; found 2' });
    const bce = onlyIssue(withLine(MINIMAL, 8, '  - identity').replace('loss: squared_error', 'loss: bce'));
    expect(bce).toMatchObject({ line: 9, column: 7, path: 'loss' });
    expect(bce.message).toContain('must end with sigmoid (it ends with identity)');
    expect(onlyIssue(MINIMAL.replace(/model:\n(  - .*\n)+/, 'model: [sigmoid]\n'))).toMatchObject({ path: 'model', message: 'the model needs at least one linear layer, e.g. { linear: 1 }' });
  });
});

describe('names that could escape the results folder', () => {
  const cases: [string, string][] = [
    ['../etc', '"../etc"'],
    ['a/b', '"a/b"'],
    ['a..b', '"a..b"'],
    ['.hidden', '".hidden"'],
    ['"a\\\\b"', '"a\\\\b"'],
    ['Upper', '"Upper"'],
    ['"with space"', '"with space"'],
    ['"-dash"', '"-dash"'],
    ['""', '""'],
  ];
  for (const [written, found] of cases) {
    it(`rejects name: ${written}`, () => {
      const issue = onlyIssue(withLine(MINIMAL, 1, `name: ${written}`));
      expect(issue).toMatchObject({ line: 1, column: 7, path: 'name', found });
    });
  }
  it('rejects names longer than 100 characters', () => {
    expect(parseExperiment(withLine(MINIMAL, 1, `name: ${'a'.repeat(100)}`), FILE).experiment.name).toHaveLength(100);
    expect(onlyIssue(withLine(MINIMAL, 1, `name: ${'a'.repeat(101)}`)).path).toBe('name');
  });
  it('rejects a name that is not a string', () => {
    expect(onlyIssue(withLine(MINIMAL, 1, 'name: 12')).found).toBe('12');
  });
});

describe('YAML hazards', () => {
  it('rejects duplicate keys at the second occurrence', () => {
    const issue = onlyIssue(withLine(MINIMAL, 12, '  learning_rate: 0.5\n  epochs: 20'));
    expect(formatIssues([issue])).toBe('experiments/test.yaml:13:3  duplicate key "epochs"; it is already set on line 11');
  });

  it('rejects duplicate keys inside flow mappings too', () => {
    expect(onlyIssue(withLine(MINIMAL, 5, '  - { linear: 2, linear: 3 }'))).toMatchObject({ line: 5, column: 18 });
  });

  it('refuses an alias bomb (billion laughs) with a location instead of expanding it', () => {
    const lol = (name: string, ref: string): string => `${name}: &${name} [${Array(9).fill(ref).join(', ')}]`;
    const source = [
      'name: lol',
      lol('a', '"lol"'),
      lol('b', '*a'),
      lol('c', '*b'),
      lol('d', '*c'),
      lol('e', '*d'),
      lol('f', '*e'),
      lol('g', '*f'),
      lol('h', '*g'),
      lol('i', '*h'),
      lol('j', '*i'),
      lol('k', '*j'),
      lol('l', '*k'),
    ].join('\n');
    // 9^12 (about 3e11) values could never be built in memory: that this returns at all shows
    // the expansion is cut off early.
    const issue = onlyIssue(source);
    expect(issue).toMatchObject({ line: 3, column: 8 }); // the first alias, *a
    expect(issue.message).toMatch(/^aliases expand to too many values/);
  });

  it('refuses an alias that contains itself', () => {
    expect(onlyIssue(MINIMAL.replace(/model:\n(  - .*\n)+/, 'model: &m [*m]\n'))).toMatchObject({ line: 4, column: 12, message: 'the alias *m refers to a value that contains it' });
  });

  it('refuses deep nesting before yaml recurses into it', () => {
    const issue = onlyIssue(`${'['.repeat(100)}${']'.repeat(100)}`);
    expect(issue).toMatchObject({ line: 1, column: 65, message: 'lists and mappings are nested more than 64 levels deep' });
    // 20 000 levels are enough to bring down a process that hands them to yaml (it runs out of memory).
    expect(issuesOf('['.repeat(20_000))[0].message).toMatch(/nested more than 64 levels/);
    expect(issuesOf('- '.repeat(20_000))[0].message).toMatch(/nested more than 64 levels/);
  });

  it('refuses files above 1 MiB before parsing them', () => {
    const padding = `# ${'x'.repeat(MAX_FILE_BYTES)}\n`;
    const issue = onlyIssue(MINIMAL + padding);
    expect(issue).toMatchObject({ line: 1, column: 1 });
    expect(issue.message).toMatch(/experiment files are limited to 1048576 bytes \(1 MiB\)/);
    expect(onlyIssue(new Uint8Array(MAX_FILE_BYTES + 1).fill(0x20)).message).toMatch(/limited to 1048576 bytes/);
  });

  it('reports invalid UTF-8 at the offending byte', () => {
    const encode = (text: string): number[] => [...new TextEncoder().encode(text)];
    const lines = MINIMAL.split('\n');
    const before = encode(`${lines.slice(0, 2).join('\n')}\n  builtin: x`);
    const bytes = new Uint8Array([...before, 0xff, ...encode(`or\n${lines.slice(3).join('\n')}`)]);
    const issue = onlyIssue(bytes);
    expect(issue).toMatchObject({ line: 3, column: 13, path: '' });
    expect(issue.message).toBe(`the file is not valid UTF-8 (byte ${before.length} cannot start or continue a character); save it as UTF-8`);

    const accented = new Uint8Array([...encode('description: café '), 0xc3, 0x28]);
    expect(onlyIssue(accented)).toMatchObject({ line: 1, column: 19 });
    const cut = new Uint8Array([...encode('name: a\n'), 0xe2, 0x82]);
    expect(onlyIssue(cut)).toMatchObject({ line: 2, column: 1 });
    const surrogate = new Uint8Array([...encode('name: '), 0xed, 0xa0, 0x80]);
    expect(onlyIssue(surrogate)).toMatchObject({ line: 1, column: 7 });
    const overlong = new Uint8Array([...encode('name: '), 0xc0, 0xaf]);
    expect(onlyIssue(overlong)).toMatchObject({ line: 1, column: 7 });
  });

  it('rejects an empty file, a comment-only file and a bare null', () => {
    for (const source of ['', '# nothing here\n', '---\n', '~\n']) {
      const issue = onlyIssue(source);
      expect(issue).toMatchObject({ line: 1, column: 1 });
      expect(issue.message).toMatch(/^the file is empty/);
    }
  });

  it('rejects a root that is not a mapping', () => {
    expect(onlyIssue('- a\n- b\n')).toMatchObject({ line: 1, column: 1, message: 'expected a mapping of settings (name, dataset, model, loss, train), found a list' });
    expect(onlyIssue('# comment\nhello\n')).toMatchObject({ line: 2, column: 1, message: 'expected a mapping of settings (name, dataset, model, loss, train), found the value "hello"' });
  });

  it('rejects several documents in one file', () => {
    expect(onlyIssue(`${MINIMAL}---\nname: other\n`)).toMatchObject({ line: 13, message: 'the file holds more than one YAML document (---); an experiment file holds exactly one' });
  });

  it('rejects unknown tags and syntax errors with a location', () => {
    expect(onlyIssue(withLine(MINIMAL, 1, 'name: !secret tiny'))).toMatchObject({ line: 1, column: 7, message: 'unsupported tag: !secret; experiment files use plain YAML values' });
    const unclosed = issuesOf(withLine(MINIMAL, 5, '  - { linear: 2'));
    expect(unclosed.length).toBeGreaterThan(0);
    for (const issue of unclosed) {
      expect(issue.message).toMatch(/^invalid YAML: /);
      expect(issue.line).toBeGreaterThanOrEqual(5);
    }
  });

  it('reports a tab in the indentation once, as the cause, instead of its knock-on errors', () => {
    // A tab before a list item: yaml reports the tab and three consequences of reading the line as a key.
    const issue = onlyIssue(withLine(MINIMAL, 6, '\t- sigmoid'));
    expect(issue).toMatchObject({ line: 6, column: 1, path: '' });
    expect(issue.message).toBe('the line is indented with a tab; YAML indents with spaces only: replace the tabs with spaces');
    // Several tab-indented lines: still one issue, naming the other lines.
    const train = MINIMAL.replace('  epochs: 10\n  learning_rate: 0.5', '\tepochs: 10\n\tlearning_rate: 0.5');
    expect(onlyIssue(train)).toMatchObject({ line: 11, message: expect.stringContaining('indented with a tab (and line 12)') });
    // A tab inside a value is not indentation.
    expect(() => parseExperiment(MINIMAL.replace('name: tiny', 'name: tiny\ndescription: "a\tb"'), FILE)).not.toThrow();
  });

  it('rejects mapping keys that are lists or mappings', () => {
    expect(issuesOf(`${MINIMAL}? [a, b]\n: 1\n`)[0]).toMatchObject({ line: 13, column: 3, message: 'a key must be a plain name, not a list or a mapping' });
  });

  it('treats a __proto__ key as an unknown setting, not as a prototype', () => {
    const issue = onlyIssue(`${MINIMAL}__proto__: { polluted: true }\n`);
    expect(issue).toMatchObject({ line: 13, column: 1, path: '__proto__', message: expect.stringMatching(/^unknown setting/) });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('loadExperimentFile', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gradgrid-load-'));

  it('reads a file and resolves against its folder', () => {
    mkdirSync(join(folder, 'exp'), { recursive: true });
    const path = join(folder, 'exp', 'tiny.yaml');
    writeFileSync(path, MINIMAL);
    const loaded = loadExperimentFile(path);
    expect(loaded.file).toBe(path);
    expect(loaded.baseDir).toBe(join(folder, 'exp'));
    expect(loaded.experiment.name).toBe('tiny');
  });

  it('names the file as given in every issue', () => {
    const path = join(folder, 'bad.yaml');
    writeFileSync(path, withLine(MINIMAL, 6, '  - sigmod'));
    expect(() => loadExperimentFile(path)).toThrow(ExperimentError);
    try {
      loadExperimentFile(path);
    } catch (error) {
      expect(formatIssues((error as ExperimentError).issues)).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:5  model\\.1: `));
    }
  });

  it('reports a missing file, a folder and an oversized file as located issues', () => {
    const cases: [string, RegExp][] = [
      [join(folder, 'nope.yaml'), /cannot read the experiment file: no such file \(tried .*nope\.yaml\)$/],
      [folder, /it is a folder, not a file \(tried /],
    ];
    const big = join(folder, 'big.yaml');
    writeFileSync(big, `${MINIMAL}#${'x'.repeat(MAX_FILE_BYTES)}\n`);
    cases.push([big, /limited to 1048576 bytes/]);
    for (const [path, message] of cases) {
      try {
        loadExperimentFile(path);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ExperimentError);
        const [issue] = (error as ExperimentError).issues;
        expect(issue).toMatchObject({ file: path, line: 1, column: 1 });
        expect(issue.message).toMatch(message);
      }
    }
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));
});
