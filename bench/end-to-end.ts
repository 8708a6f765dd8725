// 4. end to end: wall time of `npm run sweep -- experiments/xor-lr.yaml`, process start included,
// and of the same sweep through node alone (without npm's own start-up).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cliMissing, describeFailure, runChild, runSweep, type ChildRun } from './child.js';
import type { Outcome } from './outcome.js';
import { REPO_ROOT } from './paths.js';
import { median } from './stats.js';

export const E2E_EXPERIMENT = 'experiments/xor-lr.yaml';
export const E2E_REPEATS = 5;

export interface EndToEndResult {
  experiment: string;
  /** Median wall time of `npm run sweep -- <file> --out <tmp>`. */
  npmMs: number;
  /** Median wall time of `node dist/src/cli.js sweep <file> --out <tmp>`. */
  nodeMs: number;
  npmRepeatsMs: number[];
  nodeRepeatsMs: number[];
}

/** `npm run sweep -- args`, through the npm that runs the benchmark when there is one. */
function npmRunSweep(args: readonly string[]): ChildRun {
  const npmCli = process.env.npm_execpath;
  return npmCli
    ? runChild(process.execPath, [npmCli, 'run', 'sweep', '--', ...args])
    : runChild('npm', ['run', 'sweep', '--', ...args]);
}

export function measureEndToEnd(tmp: string): Outcome<EndToEndResult> {
  const missing = cliMissing();
  if (missing) return { ok: false, note: missing };
  if (!existsSync(join(REPO_ROOT, E2E_EXPERIMENT))) return { ok: false, note: `${E2E_EXPERIMENT} does not exist yet` };

  const npmTimes: number[] = [];
  const nodeTimes: number[] = [];
  // Repeat 0 warms the file cache and is not counted.
  for (let r = 0; r <= E2E_REPEATS; r++) {
    const viaNpm = npmRunSweep([E2E_EXPERIMENT, '--out', join(tmp, `e2e-npm-${r}`)]);
    if (viaNpm.code !== 0) return { ok: false, note: `npm run sweep: ${describeFailure(viaNpm)}` };
    const viaNode = runSweep(E2E_EXPERIMENT, join(tmp, `e2e-node-${r}`));
    if (viaNode.code !== 0) return { ok: false, note: `node dist/src/cli.js sweep: ${describeFailure(viaNode)}` };
    if (r > 0) {
      npmTimes.push(viaNpm.wallMs);
      nodeTimes.push(viaNode.wallMs);
    }
  }
  return {
    ok: true,
    experiment: E2E_EXPERIMENT,
    npmMs: median(npmTimes),
    nodeMs: median(nodeTimes),
    npmRepeatsMs: npmTimes,
    nodeRepeatsMs: nodeTimes,
  };
}
