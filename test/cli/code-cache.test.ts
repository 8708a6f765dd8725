// The command line and its worker run through V8's code cache (src/launch/cached-bundle.ts): written
// once a whole sweep has run, used by the next start, never trusted when damaged, and never a
// reason for other bytes in the results.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, workspace } from '../helpers/cli.js';

/** The code cache lines the CLI printed, as `<bundle> <state>`. */
const traced = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('code cache: ')).map((line) => line.slice(12));

describe('the code cache of the command line', () => {
  it('is written after a first sweep, used by the next, and changes no byte of the results', async () => {
    const dir = workspace();
    const cache = join(dir, 'code-cache');
    const env = { GRADGRID_CODE_CACHE: cache, GRADGRID_CODE_CACHE_TRACE: '1' };
    const run = (args: string[]) => runCli(args, { cwd: dir, env });

    // Starting the command line compiles little: that is not what the cache should keep.
    const version = await run(['--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(traced(version.stderr)).toEqual(['cli.bundle.js none']);
    expect(readdirSync(dir)).not.toContain('code-cache');

    const sweep = (out: string) => run(['sweep', 'experiments/xor-lr.yaml', '--out', out, '--quiet', '--workers', '1']);
    const first = await sweep('first');
    expect(first.code, first.stderr).toBe(0);
    expect(traced(first.stderr).sort()).toEqual(['cli.bundle.js none', 'worker.bundle.js none']);
    const files = readdirSync(cache).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(new RegExp(`^cli\\.bundle\\.js-[0-9a-f]{16}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.bin$`));
    expect(files[1]).toMatch(/^worker\.bundle\.js-/);

    const second = await sweep('second');
    expect(second.code, second.stderr).toBe(0);
    expect(traced(second.stderr).sort()).toEqual(['cli.bundle.js used', 'worker.bundle.js used']);
    for (const file of ['curves.csv', 'summary.csv']) {
      expect(readFileSync(join(dir, 'second', file), 'utf8') === readFileSync(join(dir, 'first', file), 'utf8'), file).toBe(true);
    }

    // A damaged cache (V8 itself would abort on it) is left aside, and the next sweep writes a good one.
    const cliCache = join(cache, files[0]);
    const bytes = readFileSync(cliCache);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(cliCache, bytes);
    const damaged = await run(['validate', 'experiments/xor-lr.yaml']);
    expect(damaged.code, damaged.stderr).toBe(0);
    expect(traced(damaged.stderr)).toEqual(['cli.bundle.js damaged']);
    const third = await sweep('third');
    expect(third.code, third.stderr).toBe(0);
    expect(traced(third.stderr).sort()).toEqual(['cli.bundle.js damaged', 'worker.bundle.js used']);
    const fourth = await run(['validate', 'experiments/xor-lr.yaml']);
    expect(traced(fourth.stderr)).toEqual(['cli.bundle.js used']);
  });

  it('is only slower when its folder cannot be written', async () => {
    const dir = workspace();
    // A file where the folder would be: mkdir fails, as on a read-only installation.
    writeFileSync(join(dir, 'not-a-folder'), '');
    const env = { GRADGRID_CODE_CACHE: join(dir, 'not-a-folder', 'cache'), GRADGRID_CODE_CACHE_TRACE: '1' };
    for (const out of ['a', 'b']) {
      const result = await runCli(['sweep', 'experiments/xor-lr.yaml', '--out', out, '--quiet', '--workers', '1'], { cwd: dir, env });
      expect(result.code, result.stderr).toBe(0);
      expect(traced(result.stderr).sort()).toEqual(['cli.bundle.js none', 'worker.bundle.js none']);
    }
    expect(readdirSync(dir).sort()).toEqual(['a', 'b', 'experiments', 'not-a-folder']);
  });

  it('can be turned off', async () => {
    const dir = workspace();
    const result = await runCli(['sweep', 'experiments/xor-lr.yaml', '--out', 'out', '--quiet', '--workers', '1'], {
      cwd: dir,
      env: { GRADGRID_CODE_CACHE: 'off', GRADGRID_CODE_CACHE_TRACE: '1' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(traced(result.stderr).sort()).toEqual(['cli.bundle.js none (off)', 'worker.bundle.js none (off)']);
    expect(readdirSync(dir).sort()).toEqual(['experiments', 'out']);
  });
});
