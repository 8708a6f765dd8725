// dist/cli/worker.js, a training worker thread of the command line: runs the worker's bundle (built
// from src/sweep/worker.ts) through the code cache.
import { fileURLToPath } from 'node:url';
import { runCachedBundle } from './cached-bundle.js';

declare const GRADGRID_BUNDLE_DIGESTS: Record<string, string>;

runCachedBundle(fileURLToPath(new URL('./worker.bundle.js', import.meta.url)), GRADGRID_BUNDLE_DIGESTS['worker.bundle.js'], fileURLToPath(new URL('./cache', import.meta.url)));
