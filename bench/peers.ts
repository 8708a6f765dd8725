// 6. peers: the same tiny and medium trainings in NumPy, TensorFlow.js (CPU backend) and brain.js,
// each in its own child process printing one JSON line. A peer that is not installed is a note.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFailure, runChild, type ChildRun } from './child.js';
import { spiralData, spiralJson } from './networks.js';
import { NOT_SELECTED, type Outcome } from './outcome.js';
import { PEERS_DIR } from './paths.js';

export type PeerName = 'numpy' | 'tfjs' | 'brain.js';
export const PEER_NAMES: readonly PeerName[] = ['numpy', 'tfjs', 'brain.js'];

export interface PeerTiming {
  version: string;
  tinyUsPerEpoch: number;
  mediumMsPerEpoch: number;
  /** Everything the peer printed: epochs, repeats, BLAS, notes. */
  details: Record<string, unknown>;
}

/** Epochs and repeats per peer, chosen so each finishes in seconds (slow peers get fewer epochs). */
const WORKLOADS: Record<PeerName, string[]> = {
  numpy: ['--tiny-epochs', '20000', '--tiny-repeats', '7', '--medium-epochs', '50', '--medium-repeats', '5'],
  tfjs: ['--tiny-epochs', '2000', '--tiny-repeats', '5', '--medium-epochs', '20', '--medium-repeats', '3'],
  'brain.js': ['--tiny-epochs', '20000', '--tiny-repeats', '7', '--medium-epochs', '10', '--medium-repeats', '5'],
};

const NODE_PEERS: Record<'tfjs' | 'brain.js', { script: string; pkg: string }> = {
  tfjs: { script: 'tfjs_bench.mjs', pkg: '@tensorflow/tfjs' },
  'brain.js': { script: 'brain_bench.mjs', pkg: 'brain.js' },
};

/**
 * NumPy in one thread, with OpenBLAS left to pick its own kernel: OPENBLAS_CORETYPE and
 * OPENBLAS_L2_SIZE, which may be set on the machine and slow NumPy down, are removed for this
 * child only.
 */
const NUMPY_UNSET = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

export function numpyEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  for (const name of NUMPY_UNSET) delete env[name];
  return env;
}

/** The variables removed for the NumPy child and the values they had here (null: not set). */
function numpyUnsetValues(): Record<string, string | null> {
  return Object.fromEntries(NUMPY_UNSET.map((name) => [name, process.env[name] ?? null]));
}

function runPeer(name: PeerName, spiralFile: string, workload = WORKLOADS[name]): ChildRun | string {
  const args = ['--spiral', spiralFile, ...workload];
  if (name === 'numpy') {
    const run = runChild('python3', [join(PEERS_DIR, 'numpy_bench.py'), ...args], { env: numpyEnv() });
    if (run.error?.includes('ENOENT')) return 'python3 not found';
    if (/No module named .?numpy/.test(run.stderr)) return 'numpy is not installed for python3';
    return run;
  }
  const { script, pkg } = NODE_PEERS[name];
  if (!existsSync(join(PEERS_DIR, 'node_modules', pkg, 'package.json'))) {
    return `${pkg} is not installed: run bench/peers/install.sh`;
  }
  return runChild(process.execPath, [join(PEERS_DIR, script), ...args], { cwd: PEERS_DIR });
}

/** The peer's result: the last stdout line that is a JSON object. */
function parsePeer(run: ChildRun): Outcome<PeerTiming> {
  if (run.code !== 0) return { ok: false, note: describeFailure(run) };
  const line = run.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (!line) return { ok: false, note: 'printed no JSON result' };
  const details = JSON.parse(line) as Record<string, unknown> & {
    version: string;
    tiny: { usPerEpoch: number };
    medium: { msPerEpoch: number };
  };
  return {
    ok: true,
    version: details.version,
    tinyUsPerEpoch: details.tiny.usPerEpoch,
    mediumMsPerEpoch: details.medium.msPerEpoch,
    details,
  };
}

export function measurePeers(tmp: string, only: (name: PeerName) => boolean): Record<PeerName, Outcome<PeerTiming>> {
  // Every peer trains on exactly the spiral gradgrid trains on.
  const spiralFile = join(tmp, 'spiral.json');
  const results = {} as Record<PeerName, Outcome<PeerTiming>>;
  try {
    writeFileSync(spiralFile, spiralJson(spiralData()));
  } catch (error) {
    const note = `the spiral could not be prepared: ${error instanceof Error ? error.message : String(error)}`;
    for (const name of PEER_NAMES) results[name] = { ok: false, note };
    return results;
  }
  for (const name of PEER_NAMES) {
    if (!only(name)) {
      results[name] = { ok: false, note: NOT_SELECTED };
      continue;
    }
    try {
      const run = runPeer(name, spiralFile);
      const result = typeof run === 'string' ? { ok: false as const, note: run } : parsePeer(run);
      if (result.ok && name === 'numpy') result.details.unsetForThisPeer = numpyUnsetValues();
      results[name] = result;
    } catch (error) {
      results[name] = { ok: false, note: error instanceof Error ? error.message : String(error) };
    }
  }
  return results;
}

/**
 * One peer's tiny or medium training alone (the other cut to a single epoch), for a measurement
 * that alternates it with gradgrid's.
 */
export function peerTimeAlone(name: PeerName, which: 'tiny' | 'medium', spiralFile: string, epochs: number, repeats: number): Outcome<PeerTiming> {
  const [tinyEpochs, tinyRepeats, mediumEpochs, mediumRepeats] = which === 'tiny' ? [epochs, repeats, 1, 1] : [1, 1, epochs, repeats];
  const run = runPeer(name, spiralFile, [
    '--tiny-epochs', String(tinyEpochs), '--tiny-repeats', String(tinyRepeats),
    '--medium-epochs', String(mediumEpochs), '--medium-repeats', String(mediumRepeats),
  ]);
  return typeof run === 'string' ? { ok: false, note: run } : parsePeer(run);
}
