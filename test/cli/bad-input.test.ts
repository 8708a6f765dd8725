// Bad input through the real CLI: always a located message, exit 2, no stack trace, no output.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, workspace } from '../helpers/cli.js';

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

async function expectRejected(dir: string, file: string, pattern?: RegExp) {
  const result = await runCli(['sweep', file, '--no-report'], { cwd: dir });
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(2);
  expect(result.stderr).toMatch(new RegExp(`${file.replace('.', '\\.')}(:\\d+:\\d+|, row \\d+)`));
  if (pattern) expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(result.stderr).not.toMatch(/internal error/);
  expect(existsSync(join(dir, 'results'))).toBe(false);
  return result;
}

describe('bad input through the CLI', () => {
  it('YAML hazards: duplicate keys, alias bombs, oversized files, invalid UTF-8', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'dup.yaml'), VALID.replace('seed: 1\n', 'seed: 1\nseed: 2\n'));
    await expectRejected(dir, 'dup.yaml', /dup\.yaml:3:1/);
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const current = String.fromCharCode(97 + level);
      bomb.push(`${current}: &${current} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    writeFileSync(join(dir, 'bomb.yaml'), `${bomb.join('\n')}\n${VALID}`);
    await expectRejected(dir, 'bomb.yaml', /alias/i);
    writeFileSync(join(dir, 'huge.yaml'), `${VALID}description: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
    await expectRejected(dir, 'huge.yaml', /MiB|size|large/i);
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.concat([Buffer.from(VALID.replace('name: ok', 'name: ok\ndescription: caf')), Buffer.from([0xe9, 0x0a])]));
    await expectRejected(dir, 'latin1.yaml', /UTF-8/);
  });

  it('a name cannot lead output outside the results folder', async () => {
    const dir = workspace();
    for (const name of ['../escape', 'a/b', '..', '/abs']) {
      writeFileSync(join(dir, 'n.yaml'), VALID.replace('name: ok', `name: "${name}"`));
      await expectRejected(dir, 'n.yaml', /name/);
    }
    expect(readdirSync(dir).sort()).toEqual(['experiments', 'n.yaml']);
  });

  it('CSV problems name the row and the column', async () => {
    const dir = workspace();
    const experiment = (csv: string) =>
      `name: csvtest\ndataset: { csv: ${csv}, target: y }\nmodel: [{ linear: 1 }, sigmoid]\nloss: squared_error\ntrain: { epochs: 5, learning_rate: 1 }\n`;
    const cases: [string, string, RegExp][] = [
      ['ragged.csv', 'a,b,y\n1,2,0\n3,1\n', /row 3/],
      ['word.csv', 'a,b,y\n1,2,0\n3,four,1\n', /row 3, column "b"/],
      ['nan.csv', 'a,b,y\n1,NaN,0\n', /row 2, column "b"/],
      ['empty.csv', '', /empty/i],
    ];
    for (const [name, content, pattern] of cases) {
      writeFileSync(join(dir, name), content);
      writeFileSync(join(dir, 'e.yaml'), experiment(name));
      const result = await runCli(['sweep', 'e.yaml'], { cwd: dir });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(name);
      expect(result.stderr).toMatch(pattern);
      expect(existsSync(join(dir, 'results'))).toBe(false);
    }
    writeFileSync(join(dir, 'e.yaml'), experiment('missing.csv'));
    const missing = await runCli(['sweep', 'e.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing.csv');
  });

  it('an output folder that cannot be written is an error, not a hang or a stack trace', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'afile'), '');
    for (const out of ['afile', 'afile/sub']) {
      const result = await runCli(['sweep', 'experiments/or-gate.yaml', '--out', out], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`error: cannot use ${out} as the output folder: .*afile is a file, not a folder`));
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('report and verify on a damaged result folder explain instead of crashing', async () => {
    const dir = workspace();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad/manifest.json'), '{');
    const report = await runCli(['report', 'bad'], { cwd: dir });
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/^error: .*manifest\.json/);
    writeFileSync(join(dir, 'bad/manifest.json'), '{}');
    const verify = await runCli(['verify', 'bad'], { cwd: dir });
    expect(verify.code).toBe(2);
    expect(verify.stderr).toMatch(/not a gradgrid result folder/);
  });

  it('editing a CSV file retrains instead of reusing stored runs', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'd.csv'), 'a,y\n0,0\n1,1\n');
    writeFileSync(join(dir, 'e.yaml'), 'name: edits\ndataset: { csv: d.csv }\nmodel: [{ linear: 1 }, sigmoid]\nloss: squared_error\ntrain: { epochs: 5, learning_rate: 1 }\n');
    expect((await runCli(['sweep', 'e.yaml', '--no-report'], { cwd: dir })).code).toBe(0);
    const same = await runCli(['sweep', 'e.yaml', '--no-report'], { cwd: dir });
    expect(same.stdout).toMatch(/1 run reused/);
    writeFileSync(join(dir, 'd.csv'), 'a,y\n0,1\n1,0\n');
    const edited = await runCli(['sweep', 'e.yaml', '--no-report'], { cwd: dir });
    expect(edited.code).toBe(0);
    expect(edited.stdout).not.toMatch(/reused/);
  });

  it('mutated experiments (a sample through the CLI) are located errors with exit 2', async () => {
    const dir = workspace();
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
    const texts = [...mutations.map(([from, to]) => VALID.replace(from, to)), emptyModel];
    // Plus a handful of random documents from fast-check (fixed seed: the same cases every run).
    const random = fc.sample(fc.dictionary(fc.constantFrom('name', 'seed', 'model', 'loss', 'train', 'extra'), fc.jsonValue()), { numRuns: 8, seed: 42 });
    for (const doc of random) texts.push(JSON.stringify(doc));
    for (const [i, text] of texts.entries()) {
      const file = `m${i}.yaml`;
      writeFileSync(join(dir, file), text);
      await expectRejected(dir, file);
    }
  });
});
