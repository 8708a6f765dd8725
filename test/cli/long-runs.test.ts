// Long runs: a curve streams to disk while it trains and into curves.csv and the report a piece at
// a time, so memory does not grow with the number of recorded epochs; what a killed sweep left
// half-written is cleared by the next sweep into the folder.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createReadStream, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv, runCli, workspace } from '../helpers/cli.js';
import { xorExperiment } from '../helpers/xor-experiment.js';

const xor = (epochs: number, seeds: number[]) => xorExperiment('long', epochs, 'seed', seeds);

/** Lines and the last line of a file, read a piece at a time. */
async function lineCount(path: string): Promise<{ lines: number; last: string }> {
  let lines = 0;
  let tail = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
    for (let i = (chunk as string).indexOf('\n'); i >= 0; i = (chunk as string).indexOf('\n', i + 1)) lines++;
    tail = (tail + chunk).slice(-200);
  }
  return { lines, last: tail.trimEnd().split('\n').pop()! };
}

const temporaryFiles = (dir: string) =>
  [dir, join(dir, 'runs')].flatMap((folder) => readdirSync(folder).filter((name) => name.includes('.tmp-')));

describe('long runs', () => {
  it('500 000 recorded epochs with an 8 MB worker heap and a 32 MB main heap: curves, report and resume', async () => {
    // Held whole, this curve is 12 MB of numbers in the worker and several times that as JSON and
    // CSV rows in the main thread: both heaps are far too small for that. Streamed, they suffice.
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xor(500_000, [1]));
    const env = { NODE_OPTIONS: '--max-old-space-size=32', GRADGRID_WORKER_MEMORY_MB: '8' };
    const result = await runCli(['sweep', 'e.yaml', '--out', 'out'], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    const out = join(dir, 'out');
    const [summary] = readCsv(join(out, 'summary.csv'));
    expect(summary.status).toBe('converged');
    expect(summary.epochs).toBe('500000');
    const curves = await lineCount(join(out, 'curves.csv'));
    expect(curves.lines).toBe(500_001);
    expect(curves.last.startsWith('1,1,499999,')).toBe(true);
    expect(curves.last.split(',')[3]).toBe(summary.final_cost);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Long curves are thinned');
    expect(temporaryFiles(out)).toEqual([]);
    // The run record stays small: the curve is beside it, not in it.
    const records = readdirSync(join(out, 'runs')).filter((name) => name.endsWith('.json'));
    expect(records).toHaveLength(1);
    expect(statSync(join(out, 'runs', records[0])).size).toBeLessThan(100_000);

    const before = readFileSync(join(out, 'curves.csv'));
    const again = await runCli(['sweep', 'e.yaml', '--out', 'out', '--no-report'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/1 run reused/);
    expect(readFileSync(join(out, 'curves.csv')).equals(before)).toBe(true);
  });

  it('the next sweep into a folder removes the temporary files a dead sweep left, and no others', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'e.yaml'), xor(50, [1, 2]));
    mkdirSync(join(dir, 'out/runs'), { recursive: true });
    const dead = 2 ** 22 + 4321;
    // Temporary names carry the pid and a tag of the host (the first 8 hex digits of its name's sha256).
    const host = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
    const stale = ['curves.csv.tmp-DEAD-HOST-0-1', 'runs/abc.curve.csv.tmp-DEAD-HOST-0-7', 'runs/abc.json.tmp-DEAD-HOST-0-2'].map((name) =>
      name.replace('DEAD', String(dead)).replace('HOST', host),
    );
    // A file of a process that still runs (this test) is not stale, nor one of another host.
    const live = `summary.csv.tmp-${process.pid}-${host}-0-1`;
    const otherHost = `manifest.json.tmp-${dead}-00000000-0-1`;
    for (const name of [...stale, live, otherHost]) writeFileSync(join(dir, 'out', name), 'half-written');
    const result = await runCli(['sweep', 'e.yaml', '--out', 'out', '--no-report'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('removed 3 temporary files an earlier sweep into out left unfinished');
    expect(temporaryFiles(join(dir, 'out')).sort()).toEqual([live, otherHost].sort());
  });
});
