// Sharp edges of the sweep command: warnings, unusable output folders, failed runs.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startCli, workspace, type CliResult } from '../helpers/cli.js';
import { sweepCaptured } from '../helpers/in-process-commands.js';
import { xorExperiment } from '../helpers/xor-experiment.js';

const xorSweep = (name: string, rates: number[], epochs: number) => xorExperiment(name, epochs, 'train.learning_rate', rates);

const rates = (n: number) => Array.from({ length: n }, (_, i) => Number((0.1 * (i + 1)).toFixed(1)));

describe('sweep output', () => {
  it('a sweep of 12 runs of 1000 epochs prints no warning (no listener leak while curves.csv streams)', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('many', rates(12), 1000));
    const result = await runCli(['sweep', 'e.yaml', '--out', 'out', '--quiet', '--no-report', '--workers', '2'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  });
});

/** The CLI's result, or a failure after `ms` (the command is killed) instead of hanging the suite. */
async function runWithin(ms: number, args: string[], cwd: string): Promise<CliResult> {
  const { child, done } = startCli(args, { cwd });
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const result = await done;
  clearTimeout(timer);
  if (result.signal === 'SIGKILL') throw new Error(`gradgrid ${args.join(' ')} did not finish within ${ms} ms`);
  return result;
}

describe('unusable output folders exit 2 with the reason, before any training', () => {
  // The sweep command's refusals in-process (the folder made absolute there), but for an empty
  // name, which only the command line can give it.
  it.each([
    ['/proc/nope', /cannot use \/proc\/nope as the output folder: cannot create the folder \/proc\/nope: this file system does not allow creating it/],
    ['/dev/null/out', /\/dev\/null is a file, not a folder/],
    ['e.yaml/out', /e\.yaml is a file, not a folder/],
    ['', /the output folder name is empty/],
    ['taken', /taken\/summary\.csv is a folder, and the sweep writes a file of that name there/],
  ])('--out %j', async (out, reason) => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('out', [1], 10));
    mkdirSync(join(dir, 'taken/summary.csv'), { recursive: true });
    const result = out === '' ? await runWithin(30_000, ['sweep', 'e.yaml', '--out', out, '--no-report'], dir) : await sweepCaptured(dir, 'e.yaml', { out });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(join(dir, 'taken'))).toEqual(['summary.csv']);
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });
});

describe('the folder lock through the CLI', () => {
  it('refuses a folder locked by a sweep on another host, exit 2, and leaves the lock alone', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('hosts', [1], 10));
    mkdirSync(join(dir, 'out'));
    const lock = JSON.stringify({ pid: 99, host: 'cluster-node-3' });
    writeFileSync(join(dir, 'out/.gradgrid.lock'), lock);
    const result = await runCli(['sweep', 'e.yaml', '--out', 'out', '--no-report'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/out is locked by a gradgrid sweep on host cluster-node-3 \(pid 99\)\..*delete out\/\.gradgrid\.lock and run again/s);
    expect(readFileSync(join(dir, 'out/.gradgrid.lock'), 'utf8')).toBe(lock);
    expect(existsSync(join(dir, 'out/summary.csv'))).toBe(false);
  });
});

describe('failed runs in the terminal', () => {
  it("prints the first failed run's message and how many others failed the same way", async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xorSweep('failing', rates(4), 50));
    const result = await runCli(['sweep', 'e.yaml', '--out', 'out', '--no-report', '--workers', '2'], {
      cwd: dir,
      env: { GRADGRID_FAILPOINT: 'throw@2,throw@4' },
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(
      '2 of 4 runs failed. Run 2 (train.learning_rate=0.2) failed: injected failure in run 2\n' +
        '1 other run failed the same way; see the error column of summary.csv.\n',
    );
  });
});

describe('the report of a CSV experiment', () => {
  it('keeps the column names and class labels in the manifest and labels the decision boundaries with them', async () => {
    const dir = workspace();
    const rows = ['length,width,kind'];
    for (let i = 0; i < 40; i++) {
      const [x, y] = [Math.cos(i * 0.7) * (1 + (i % 2)), Math.sin(i * 0.7) * (1 + (i % 2))];
      rows.push(`${x.toFixed(3)},${y.toFixed(3)},${i % 2 ? 'outer' : 'inner'}`);
    }
    writeFileSync(join(dir, 'rings.csv'), `${rows.join('\n')}\n`);
    writeFileSync(
      join(dir, 'e.yaml'),
      `name: rings
dataset: { csv: rings.csv, target: kind, positive: outer }
model:
  - { linear: 4, init: xavier }
  - tanh
  - { linear: 1, init: xavier }
  - sigmoid
loss: bce
train: { epochs: 200, learning_rate: 0.5 }
sweep:
  seed: [1, 2]
`,
    );
    // Through the CLI: the report's "run it again" names the file and folder as typed.
    const result = await runCli(['sweep', 'e.yaml', '--out', 'out', '--workers', '1'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'out/manifest.json'), 'utf8'));
    expect(manifest.point_sets[0].features).toEqual(['length', 'width']);
    expect(manifest.point_sets[0].classes).toEqual(['inner', 'outer']);
    const html = readFileSync(join(dir, 'out/report.html'), 'utf8');
    const boundaries = html.slice(html.indexOf('data-chart="boundaries"'), html.indexOf('</figure>', html.indexOf('data-chart="boundaries"')));
    expect(boundaries).toContain('>length</text>');
    expect(boundaries).toContain('>width</text>');
    expect(boundaries).toContain('>outer</text>');
    expect(boundaries).toContain('>inner</text>');
    expect(html).toContain('<code>npm run sweep -- e.yaml --out out</code>');
  });
});
