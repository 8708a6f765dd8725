// Mistakes that the data reveals stop validate, gradcheck and sweep before anything trains (exit 2,
// located, nothing written): the sweep through the real CLI, validate and gradcheck in-process too
// (their commands, given the file's absolute path); relative paths under `npm run` mean the user's
// folder; every help page shows its arguments and an example.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, workspace } from '../helpers/cli.js';
import { npmUserDir } from '../../src/commands/user-dir.js';
import { gradcheckCommand } from '../../src/commands/gradcheck.js';
import { validateCommand } from '../../src/commands/validate.js';
import { captured } from '../helpers/in-process-commands.js';

const folders: string[] = [];
const newWorkspace = (): string => {
  const dir = workspace();
  folders.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const IRIS_BCE = `name: iris-bce
dataset:
  builtin: iris
  features: [petal_length, petal_width]
model:
  - { linear: 1 }
  - sigmoid
loss: bce
train: { epochs: 100, learning_rate: 0.5 }
`;

/** The workspace holds only what the test put there. */
function expectNothingWritten(dir: string, files = ['e.yaml', 'experiments']): void {
  expect(readdirSync(dir).sort()).toEqual(files);
}

describe('refused before training', () => {
  it('bce on targets that are not 0/1: validate, gradcheck and sweep all refuse, naming both lines', async () => {
    const dir = newWorkspace();
    writeFileSync(join(dir, 'e.yaml'), IRIS_BCE);
    const file = join(dir, 'e.yaml');
    const results = {
      sweep: { ...(await runCli(['sweep', 'e.yaml', '--no-report'], { cwd: dir })), named: 'e.yaml' },
      validate: { ...(await captured(() => validateCommand(file))), named: file },
      gradcheck: { ...(await captured(() => gradcheckCommand(file))), named: file },
    };
    for (const [command, result] of Object.entries(results)) {
      expect(result.code, `${command}: ${result.stdout}${result.stderr}`).toBe(2);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines[0].startsWith(`${result.named}:8:7  loss: bce needs targets that are 0 or 1, but the iris targets are the class indices 0, 1 and 2`), lines[0]).toBe(true);
      expect(lines[0]).toContain('set dataset.positive');
      expect(lines[1]).toBe(`  ${result.named}:3:12  dataset.builtin: the targets come from here`);
      expect(lines).toHaveLength(2);
      expect(result.stdout).toBe('');
    }
    expectNothingWritten(dir);
  });

  it('model shapes that do not fit the data fail validate and sweep at their line, not every run', async () => {
    const dir = newWorkspace();
    const source = `name: shapes
dataset: { builtin: xor }
model:
  - { linear: 3, weights: [[1, 2, 3], [1, 2, 3], [1, 2, 3]] }
  - sigmoid
  - { linear: 2 }
  - sigmoid
loss: squared_error
train: { epochs: 10, learning_rate: 1 }
`;
    writeFileSync(join(dir, 'e.yaml'), source);
    const file = join(dir, 'e.yaml');
    const results = [
      { ...(await runCli(['sweep', 'e.yaml', '--no-report'], { cwd: dir })), named: 'e.yaml' },
      { ...(await captured(() => validateCommand(file))), named: file },
    ];
    for (const result of results) {
      expect(result.code).toBe(2);
      const lines = result.stderr.split('\n');
      expect(lines.some((line) => line.startsWith(`${result.named}:4:28  model.0.weights.0: the first linear layer takes the data's 2 input features`)), result.stderr).toBe(true);
      expect(lines.some((line) => line.startsWith(`${result.named}:6:15  model.2.linear: the last linear layer gives 2 outputs per example`)), result.stderr).toBe(true);
    }
    expectNothingWritten(dir);
  });

  it('dataset problems are located like schema errors, all at once', async () => {
    const dir = newWorkspace();
    writeFileSync(
      join(dir, 'e.yaml'),
      'name: ds\ndataset:\n  builtin: xor\n  samples: 10\n  test_fraction: 0\n  feature_crosses: [[0, 2]]\nmodel: [{ linear: 1 }, sigmoid]\nloss: squared_error\ntrain: { epochs: 10, learning_rate: 1 }\n',
    );
    const result = await runCli(['sweep', 'e.yaml', '--no-report'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'e.yaml:4:12  dataset.samples: `samples` does not apply to the builtin dataset "xor"',
      'e.yaml:5:18  dataset.test_fraction: expected a number between 0 and 1 (exclusive), e.g. 0.2, found 0',
      'e.yaml:6:25  dataset.feature_crosses.0.1: feature_crosses[0] refers to feature 2, but the features before crossing are numbered 0 to 1',
    ]);
    expectNothingWritten(dir);
  });
});

describe('relative paths under npm run', () => {
  it('are taken from the folder npm was started in (INIT_CWD), only when npm runs the script in the package folder', () => {
    const npm = { INIT_CWD: '/home/me/clone/experiments', npm_package_json: '/home/me/clone/package.json', npm_lifecycle_event: 'sweep' };
    expect(npmUserDir(npm, '/home/me/clone')).toBe('/home/me/clone/experiments');
    expect(npmUserDir({ ...npm, INIT_CWD: '/home/me/clone' }, '/home/me/clone')).toBeNull();
    // A script that changed folder on purpose, or a process that merely inherited the variables.
    expect(npmUserDir(npm, '/home/me/clone/data')).toBeNull();
    expect(npmUserDir({ INIT_CWD: npm.INIT_CWD }, '/home/me/clone')).toBeNull();
  });

  it('`cd experiments && npm run sweep -- or-gate.yaml --out out` reads and writes in experiments/', async () => {
    const dir = newWorkspace();
    const env = { INIT_CWD: join(dir, 'experiments'), npm_package_json: join(dir, 'package.json'), npm_lifecycle_event: 'sweep' };
    const result = await runCli(['sweep', 'or-gate.yaml', '--out', 'out', '--quiet', '--no-report'], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Results in out/');
    expect(existsSync(join(dir, 'experiments', 'out', 'summary.csv'))).toBe(true);
    expectNothingWritten(dir, ['experiments']);

    const missing = await runCli(['validate', 'xor-lr.yml'], { cwd: dir, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`xor-lr.yml:1:1  cannot read the experiment file: no such file (tried ${join(dir, 'experiments', 'xor-lr.yml')})\n`);
  });
});

describe('help', () => {
  it('every page has an example; validate and gradcheck describe their argument', async () => {
    const dir = newWorkspace();
    const commands = [[], ['sweep'], ['validate'], ['report'], ['verify'], ['gradcheck'], ['export']];
    const pages = await Promise.all(commands.map((command) => runCli([...command, '--help'], { cwd: dir })));
    for (const [k, command] of commands.entries()) {
      expect(pages[k].code).toBe(0);
      expect(pages[k].stdout, command.join(' ')).toMatch(/\nExamples?:\n {2}\$ npx gradgrid /);
      if (command.length > 0) expect(pages[k].stdout, command.join(' ')).toMatch(/\nArguments:\n {2}\S+ +\S/);
    }
    for (const command of ['validate', 'gradcheck']) {
      expect(pages[commands.findIndex((c) => c[0] === command)].stdout).toMatch(/Arguments:\n {2}experiment\.yaml +the experiment file/);
    }
  });
});
