#!/usr/bin/env node
// dist/cli/cli.js, the `gradgrid` command: runs the command line's bundle (built from src/cli.ts)
// through the code cache. For what looks like a local sweep it first starts the sweep's first
// training worker, whose start-up then overlaps the loading of everything else.
import { fileURLToPath } from 'node:url';
import { startFirstPoolWorker } from '../sweep/worker-pool.js';
import { runCachedBundle } from './cached-bundle.js';

declare const GRADGRID_BUNDLE_DIGESTS: Record<string, string>;

/** `gradgrid sweep ...` training on this machine (not --queue, nor help); a wrong guess costs an unused thread. */
function localSweep(args: string[], env: NodeJS.ProcessEnv): boolean {
  if (args[0] !== 'sweep') return false;
  if (args.some((arg) => arg.startsWith('--queue') || arg === '--help' || arg === '-h')) return false;
  const workersGiven = args.some((arg) => arg.startsWith('--workers') || /^-w/.test(arg));
  return !(env.GRADGRID_QUEUE && !workersGiven);
}

if (localSweep(process.argv.slice(2), process.env)) startFirstPoolWorker(Number(process.env.GRADGRID_WORKER_MEMORY_MB) || undefined);
runCachedBundle(fileURLToPath(new URL('./cli.bundle.js', import.meta.url)), GRADGRID_BUNDLE_DIGESTS['cli.bundle.js'], fileURLToPath(new URL('./cache', import.meta.url)));
