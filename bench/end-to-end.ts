// 4. end to end: wall time of `npm run sweep -- experiments/xor-lr.yaml`, process start included,
// against a NumPy script doing the same eight runs (peers/numpy_xor_lr.py), and where the time goes:
// the same sweep through node alone (without npm's own start-up), without its report, `gradgrid
// validate` (start-up, loading the modules, reading and checking the file), `gradgrid --version`
// (Node and the command line's entry) and `node -e 0` (Node alone). Each step's share is the
// difference to the step before it. The commands, the NumPy script among them, are timed in turn,
// round after round, so that a change in the machine's load hits all of them alike; the ratio to
// NumPy is the median of the rounds' ratios.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeFailure, runChild, type ChildRun } from './child.js';
import type { Outcome } from './outcome.js';
import { PEERS_DIR, REPO_ROOT } from './paths.js';
import { numpyEnv } from './peers.js';
import { median } from './stats.js';

export const E2E_EXPERIMENT = 'experiments/xor-lr.yaml';
export const E2E_REPEATS = 5;

export interface EndToEndResult {
  experiment: string;
  /** Median wall time of `npm run sweep -- <file> --out <tmp>`. */
  npmMs: number;
  /** Median wall time of `node dist/cli/cli.js sweep <file> --out <tmp>`. */
  nodeMs: number;
  npmRepeatsMs: number[];
  nodeRepeatsMs: number[];
  /** The medians of the steps towards the whole command (see above). */
  breakdown: {
    nodeStartMs: number;
    versionMs: number;
    validateMs: number;
    noReportMs: number;
  };
  breakdownRepeatsMs: Record<keyof EndToEndResult['breakdown'], number[]>;
  /** The NumPy script doing the same eight runs, timed the same way; null with a note when it cannot run. */
  numpy: { ms: number; repeatsMs: number[] } | { note: string };
  /** The median of the rounds' npm time / the NumPy script's time (lower is better; the target is 0.35 at most). */
  ratioToNumpy: number | null;
  ratioPerRound: number[];
}

/** `npm run sweep -- args` in `root`, through the npm that runs the benchmark when there is one. */
function npmRunSweep(root: string, args: readonly string[]): ChildRun {
  const npmCli = process.env.npm_execpath;
  return npmCli
    ? runChild(process.execPath, [npmCli, 'run', 'sweep', '--', ...args], { cwd: root })
    : runChild('npm', ['run', 'sweep', '--', ...args], { cwd: root });
}

interface Step {
  name: string;
  run: (round: number) => ChildRun;
}

/**
 * Times xor-lr end to end with the gradgrid in `root` (by default this repository; the benchmark's
 * README compares builds this way).
 */
export function measureEndToEnd(tmp: string, root: string = REPO_ROOT): Outcome<EndToEndResult> {
  // The bundled command line, or an older build's unbundled one.
  const cli = [join(root, 'dist/cli/cli.js'), join(root, 'dist/src/cli.js')].find((path) => existsSync(path)) ?? join(root, 'dist/cli/cli.js');
  if (!existsSync(cli)) return { ok: false, note: `the CLI is not built (${cli} missing); run npm run build` };
  const file = join(root, E2E_EXPERIMENT);
  if (!existsSync(file)) return { ok: false, note: `${E2E_EXPERIMENT} does not exist yet` };
  const node = (args: readonly string[]) => runChild(process.execPath, [cli, ...args], { cwd: root });
  const numpyScript = join(PEERS_DIR, 'numpy_xor_lr.py');

  const steps: Step[] = [
    { name: 'npm', run: (r) => npmRunSweep(root, [E2E_EXPERIMENT, '--out', join(tmp, `e2e-npm-${r}`)]) },
    { name: 'node', run: (r) => node(['sweep', E2E_EXPERIMENT, '--out', join(tmp, `e2e-node-${r}`)]) },
    { name: 'noReportMs', run: (r) => node(['sweep', E2E_EXPERIMENT, '--out', join(tmp, `e2e-noreport-${r}`), '--no-report']) },
    { name: 'validateMs', run: () => node(['validate', E2E_EXPERIMENT]) },
    { name: 'versionMs', run: () => node(['--version']) },
    { name: 'nodeStartMs', run: () => runChild(process.execPath, ['-e', '0']) },
  ];
  const times = new Map<string, number[]>(steps.map((step) => [step.name, []]));
  let numpy: { note: string } | null = null;
  const numpyMs: number[] = [];
  const ratioPerRound: number[] = [];
  // Round 0 warms the file cache and is not counted.
  for (let round = 0; round <= E2E_REPEATS; round++) {
    for (const step of steps) {
      const run = step.run(round);
      if (run.code !== 0) return { ok: false, note: `${step.name}: ${describeFailure(run)}` };
      if (round > 0) times.get(step.name)!.push(run.wallMs);
    }
    if (numpy !== null) continue;
    const script = timeNumpyScript(numpyScript, join(tmp, `e2e-numpy-${round}`));
    if ('note' in script) numpy = script;
    else if (round > 0) {
      numpyMs.push(script.ms);
      ratioPerRound.push(times.get('npm')!.at(-1)! / script.ms);
    }
  }
  const npmMs = median(times.get('npm')!);
  const at = (name: keyof EndToEndResult['breakdown']) => median(times.get(name)!);
  return {
    ok: true,
    experiment: E2E_EXPERIMENT,
    npmMs,
    nodeMs: median(times.get('node')!),
    npmRepeatsMs: times.get('npm')!,
    nodeRepeatsMs: times.get('node')!,
    breakdown: { nodeStartMs: at('nodeStartMs'), versionMs: at('versionMs'), validateMs: at('validateMs'), noReportMs: at('noReportMs') },
    breakdownRepeatsMs: {
      nodeStartMs: times.get('nodeStartMs')!,
      versionMs: times.get('versionMs')!,
      validateMs: times.get('validateMs')!,
      noReportMs: times.get('noReportMs')!,
    },
    numpy: numpy ?? { ms: median(numpyMs), repeatsMs: numpyMs },
    ratioToNumpy: numpy === null ? median(ratioPerRound) : null,
    ratioPerRound,
  };
}

/** One whole run of the NumPy script (interpreter start and `import numpy` included). */
function timeNumpyScript(script: string, out: string): { ms: number } | { note: string } {
  const run = runChild('python3', [script, '--out', out], { env: numpyEnv() });
  if (run.error?.includes('ENOENT')) return { note: 'python3 not found' };
  if (/No module named .?numpy/.test(run.stderr)) return { note: 'numpy is not installed for python3' };
  if (run.code !== 0) return { note: `numpy_xor_lr.py: ${describeFailure(run)}` };
  return { ms: run.wallMs };
}
