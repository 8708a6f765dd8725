// Shards for cluster job arrays: `--shard i/n` processes run at the same time into one folder,
// then a plain sweep assembles every output from the stored runs without training anything.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { sweepInProcess } from '../helpers/in-process.js';
import { sweepCaptured } from '../helpers/in-process-commands.js';

const sweepYaml = `name: sharded
seed: 48
dataset: { builtin: xor }
model: [{ linear: 3, init: xavier }, sigmoid, { linear: 1, init: xavier }, sigmoid]
loss: squared_error
train: { epochs: 2000, learning_rate: 1 }
sweep:
  train.learning_rate: [0.1, 0.5, 1, 2, 5, 10, 50]
`;

describe('--shard i/n', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shards 0/3, 1/3, 2/3 side by side in one folder, then a plain sweep: identical bytes, zero runs trained in the last step', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradgrid-shards-'));
    writeFileSync(join(dir, 'e.yaml'), sweepYaml);
    const shards = await Promise.all(
      [0, 1, 2].map((i) => runCli(['sweep', 'e.yaml', '--shard', `${i}/3`, '--out', 'out', '--workers', '1'], { cwd: dir })),
    );
    // 7 runs: shard 0 trains runs 1, 4, 7; shard 1 runs 2, 5; shard 2 runs 3, 6.
    shards.forEach((shard, i) => {
      expect(shard.code, shard.stderr).toBe(0);
      expect(shard.stdout).toContain(`shard ${i}/3: ${i === 0 ? 3 : 2} trained, 0 already stored, 0 failed`);
    });
    // A shard writes its runs and nothing else: no lock, no summary, no temporary files.
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['runs']);
    const stored = readdirSync(join(dir, 'out/runs'));
    expect(stored.filter((file) => file.endsWith('.json'))).toHaveLength(7);
    expect(stored.filter((file) => file.endsWith('.curve.csv'))).toHaveLength(7);
    expect(stored).toHaveLength(14);

    const assembled = await runCli(['sweep', 'e.yaml', '--out', 'out', '--no-report'], { cwd: dir });
    expect(assembled.code, assembled.stderr).toBe(0);
    expect(assembled.stdout).toContain('7 runs reused');
    expect(await sweepInProcess(dir, 'e.yaml', { out: 'local' })).toBe(0);
    for (const name of ['summary.csv', 'curves.csv', ...stored.filter((file) => file.endsWith('.curve.csv')).map((file) => `runs/${file}`)]) {
      expect(readFileSync(join(dir, 'out', name)).equals(readFileSync(join(dir, 'local', name))), name).toBe(true);
    }

    // A shard run again finds its runs stored and trains nothing.
    const again = await sweepCaptured(dir, 'e.yaml', { shard: '1/3', out: 'out' });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('shard 1/3: 0 trained, 2 already stored, 0 failed');
  });

  it('refuses a shard index outside 0..n-1 and a malformed shard, exit 2, nothing written', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradgrid-shards-'));
    writeFileSync(join(dir, 'e.yaml'), sweepYaml);
    for (const [shard, message] of [
      ['3/3', /the index counts from 0 and must be below 3/],
      ['1-3', /--shard expects i\/n/],
    ] as const) {
      const result = await runCli(['sweep', 'e.yaml', '--shard', shard, '--out', 'out'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('refuses to shard (or queue) a stability-limit search, which chooses its runs as it goes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradgrid-shards-'));
    cpSync(join(ROOT, 'experiments'), join(dir, 'experiments'), { recursive: true });
    const shard = await runCli(['sweep', 'experiments/regression-limit.yaml', '--shard', '0/2', '--out', 'out'], { cwd: dir });
    expect(shard.code).toBe(2);
    expect(shard.stderr).toMatch(/cannot be split into shards/);
    // Refused before any connection is tried (nothing listens on port 1).
    const queued = await sweepCaptured(dir, 'experiments/regression-limit.yaml', { queue: 'redis://127.0.0.1:1', out: 'out' });
    expect(queued.code).toBe(2);
    expect(queued.stderr).toMatch(/--queue takes grids/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
