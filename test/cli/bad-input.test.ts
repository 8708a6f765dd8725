// Bad input: always a located message, exit code 2, no stack trace, nothing written.
// The many mutated and random files are checked in-process by the command that makes every check
// a sweep makes before it starts (validateCommand: prepareSweep, then the CLI's printer of input
// errors); a few go through the real CLI to show the process exits 2 and writes nothing.
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_INVALID } from '../../src/commands/input-errors.js';
import { validateCommand } from '../../src/commands/validate.js';
import { runCli, workspace } from '../helpers/cli.js';
import { sweepInProcess } from '../helpers/in-process.js';
import { sweepCaptured, verifyInProcess } from '../helpers/in-process-commands.js';
import { readManifest } from '../../src/output/manifest.js';
import { tempFolder } from '../helpers/temp-folders.js';

const VALID = `name: ok
seed: 1
dataset: { builtin: xor }
model:
  - { linear: 2, init: xavier }
  - sigmoid
  - { linear: 1, init: xavier }
  - sigmoid
loss: squared_error
train: { epochs: 10, learning_rate: 1 }
`;

const csvExperiment = (csv: string) =>
  `name: csvtest\ndataset: { csv: ${csv}, target: y }\nmodel: [{ linear: 1 }, sigmoid]\nloss: squared_error\ntrain: { epochs: 5, learning_rate: 1 }\n`;

const locatedIn = (file: string) => new RegExp(`${file.replace('.', '\\.')}(:\\d+:\\d+|, row \\d+)`);

/** Checks what a user sees when a sweep refuses a file: a located message, never a stack trace. */
function expectLocatedMessage(stderr: string, file: string, pattern?: RegExp): void {
  expect(stderr).toMatch(locatedIn(file));
  if (pattern) expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(stderr).not.toMatch(/internal error/);
}

/**
 * In-process: what `gradgrid validate` (the checks `gradgrid sweep` makes before it writes
 * anything) prints on stderr and returns for `file` in `dir`. An exception that is not an input
 * error is thrown on, failing the test.
 */
function check(dir: string, file: string): { code: number; stdout: string; stderr: string } {
  const printed = { stdout: '', stderr: '' };
  const capture = (stream: 'stdout' | 'stderr') =>
    vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed[stream] += String(chunk);
      return true;
    });
  const spies = [capture('stdout'), capture('stderr')];
  try {
    return { code: validateCommand(join(dir, file)), ...printed };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

function expectRejected(dir: string, file: string, pattern?: RegExp): string {
  const before = readdirSync(dir).sort();
  const result = check(dir, file);
  expect(result.code, `${file}: ${result.stdout}${result.stderr}`).toBe(EXIT_INVALID);
  expect(result.stdout).toBe('');
  expectLocatedMessage(result.stderr, file, pattern);
  expect(readdirSync(dir).sort()).toEqual(before);
  return result.stderr;
}

describe('bad input through the real CLI: exit 2, a located message, nothing written', () => {
  it('a duplicate key', async () => {
    const dir = tempFolder();
    writeFileSync(join(dir, 'dup.yaml'), VALID.replace('seed: 1\n', 'seed: 1\nseed: 2\n'));
    const result = await runCli(['sweep', 'dup.yaml', '--no-report'], { cwd: dir });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(2);
    expectLocatedMessage(result.stderr, 'dup.yaml', /dup\.yaml:3:1/);
    expect(readdirSync(dir)).toEqual(['dup.yaml']);
  });

  it('a name that would lead output outside the results folder', async () => {
    const dir = tempFolder();
    writeFileSync(join(dir, 'n.yaml'), VALID.replace('name: ok', 'name: "../escape"'));
    const result = await runCli(['sweep', 'n.yaml', '--no-report'], { cwd: dir });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(2);
    expectLocatedMessage(result.stderr, 'n.yaml', /name/);
    expect(readdirSync(dir)).toEqual(['n.yaml']);
  });

  it('a CSV cell that is not a number names the row and the column', async () => {
    const dir = tempFolder();
    writeFileSync(join(dir, 'word.csv'), 'a,b,y\n1,2,0\n3,four,1\n');
    writeFileSync(join(dir, 'e.yaml'), csvExperiment('word.csv'));
    const result = await runCli(['sweep', 'e.yaml', '--no-report'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/word\.csv.*row 3, column "b"/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir).sort()).toEqual(['e.yaml', 'word.csv']);
  });
});

describe('bad input, checked in-process as the sweep checks it', () => {
  it('YAML hazards: duplicate keys, alias bombs, oversized files, invalid UTF-8', () => {
    const dir = tempFolder();
    writeFileSync(join(dir, 'dup.yaml'), VALID.replace('seed: 1\n', 'seed: 1\nseed: 2\n'));
    expectRejected(dir, 'dup.yaml', /dup\.yaml:3:1/);
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const current = String.fromCharCode(97 + level);
      bomb.push(`${current}: &${current} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    writeFileSync(join(dir, 'bomb.yaml'), `${bomb.join('\n')}\n${VALID}`);
    expectRejected(dir, 'bomb.yaml', /alias/i);
    writeFileSync(join(dir, 'huge.yaml'), `${VALID}description: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
    expectRejected(dir, 'huge.yaml', /MiB|size|large/i);
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.concat([Buffer.from(VALID.replace('name: ok', 'name: ok\ndescription: caf')), Buffer.from([0xe9, 0x0a])]));
    expectRejected(dir, 'latin1.yaml', /UTF-8/);
  });

  it('a name cannot lead output outside the results folder', () => {
    const dir = tempFolder();
    for (const name of ['../escape', 'a/b', '..', '/abs']) {
      writeFileSync(join(dir, 'n.yaml'), VALID.replace('name: ok', `name: "${name}"`));
      expectRejected(dir, 'n.yaml', /name/);
    }
  });

  it('CSV problems name the row and the column', () => {
    const dir = tempFolder();
    const cases: [string, string, RegExp][] = [
      ['ragged.csv', 'a,b,y\n1,2,0\n3,1\n', /row 3/],
      ['word.csv', 'a,b,y\n1,2,0\n3,four,1\n', /row 3, column "b"/],
      ['nan.csv', 'a,b,y\n1,NaN,0\n', /row 2, column "b"/],
      ['empty.csv', '', /empty/i],
    ];
    for (const [name, content, pattern] of cases) {
      writeFileSync(join(dir, name), content);
      writeFileSync(join(dir, 'e.yaml'), csvExperiment(name));
      const result = check(dir, 'e.yaml');
      expect(result.code, result.stderr).toBe(EXIT_INVALID);
      expect(result.stderr).toContain(name);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    writeFileSync(join(dir, 'e.yaml'), csvExperiment('missing.csv'));
    expect(expectRejected(dir, 'e.yaml')).toContain('missing.csv');
  });

  it('mutated experiments and random documents are located errors with exit 2', () => {
    const dir = tempFolder();
    const mutations: [string, string][] = [
      ['epochs: 10', 'epochs: -5'],
      ['epochs: 10', 'epochs: 0'],
      ['learning_rate: 1', 'learning_rate: 0'],
      ['learning_rate: 1', 'learning_rate: -0.1'],
      ['learning_rate: 1', 'learning_rate: .nan'],
      ['learning_rate: 1', 'learning_rate: .inf'],
      ['learning_rate: 1', 'learning_rate: "fast"'],
      ['linear: 2,', 'linear: 100000000,'],
      ['linear: 2,', 'linear: 2.5,'],
      ['loss: squared_error\n', ''],
      ['loss: squared_error', 'loss: mse'],
      ['builtin: xor', 'builtin: xro'],
      ['  - sigmoid\n  - { linear: 1', '  - sigmod\n  - { linear: 1'],
      ['init: xavier }\n  - sigmoid\n  - {', 'init: xaviar }\n  - sigmoid\n  - {'],
      ['seed: 1', 'seed: -1'],
      ['seed: 1', 'seed: 4294967296'],
      ['train: { epochs: 10, learning_rate: 1 }\n', 'train: { epochs: 10, learning_rate: 1 }\nsweep:\n  model:\n    named:\n      wide: [{ linear: 3 }, sigmoid, { linear: 1 }, sigmoid]\n      "3": [{ linear: 2 }, sigmoid, { linear: 1 }, sigmoid]\n'],
    ];
    const emptyModel = VALID.replace(/model:\n(  - .*\n)+/, 'model: []\n');
    const texts = [...mutations.map(([from, to]) => {
      expect(VALID, from).toContain(from);
      return VALID.replace(from, to);
    }), emptyModel];
    // Plus random documents from fast-check (fixed seed: the same cases every run).
    const random = fc.sample(fc.dictionary(fc.constantFrom('name', 'seed', 'model', 'loss', 'train', 'extra'), fc.jsonValue()), { numRuns: 40, seed: 42 });
    for (const doc of random) texts.push(JSON.stringify(doc));
    for (const [i, text] of texts.entries()) {
      const file = `m${i}.yaml`;
      writeFileSync(join(dir, file), text);
      expectRejected(dir, file);
    }
    // The unchanged file passes the same checks, so each rejection above is the mutation's doing.
    writeFileSync(join(dir, 'valid.yaml'), VALID);
    expect(check(dir, 'valid.yaml')).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('result folders the CLI cannot use', () => {
  it('an output folder that cannot be written is an error, not a hang or a stack trace', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'afile'), '');
    // Through the CLI with its worker started, which must stop for the process to end; the folder
    // below the file in-process.
    for (const out of ['afile', 'afile/sub']) {
      const cli = out === 'afile';
      const result = cli ? await runCli(['sweep', 'experiments/or-gate.yaml', '--out', out], { cwd: dir }) : await sweepCaptured(dir, 'experiments/or-gate.yaml', { out });
      expect(result.code).toBe(2);
      // The CLI names the folder as typed; in-process it was given as an absolute path.
      const named = cli ? out : join(dir, out);
      expect(result.stderr).toMatch(new RegExp(`error: cannot use ${named} as the output folder: .*afile is a file, not a folder`));
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('report and verify on a damaged result folder explain instead of crashing', async () => {
    const dir = tempFolder();
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad/manifest.json'), '{');
    const report = await runCli(['report', 'bad'], { cwd: dir });
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/^error: .*manifest\.json/);
    writeFileSync(join(dir, 'bad/manifest.json'), '{}');
    const verify = await verifyInProcess(dir, 'bad');
    expect(verify.code).toBe(2);
    expect(verify.stderr).toMatch(/not a gradgrid result folder/);
  });

  it('editing a CSV file retrains instead of reusing stored runs', async () => {
    const dir = tempFolder();
    writeFileSync(join(dir, 'd.csv'), 'a,y\n0,0\n1,1\n');
    writeFileSync(join(dir, 'e.yaml'), 'name: edits\ndataset: { csv: d.csv }\nmodel: [{ linear: 1 }, sigmoid]\nloss: squared_error\ntrain: { epochs: 5, learning_rate: 1 }\n');
    const sweep = () => sweepInProcess(dir, 'e.yaml', { out: 'results/edits' });
    const reused = async () => (await readManifest(join(dir, 'results/edits'))).runs.map((run) => run.reused);
    expect(await sweep()).toBe(0);
    expect(await sweep()).toBe(0);
    expect(await reused()).toEqual([true]);
    writeFileSync(join(dir, 'd.csv'), 'a,y\n0,1\n1,0\n');
    expect(await sweep()).toBe(0);
    expect(await reused()).toEqual([false]);
  });
});
