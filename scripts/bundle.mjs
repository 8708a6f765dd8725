// Bundles the built command line (dist/src/cli.js and the training worker's entry) into dist/cli/:
// a few files instead of some 140 modules (yaml alone is 72), which Node would otherwise find,
// read and compile one by one at every start: `gradgrid validate` takes about 60 ms less. The
// commands each command line loads on demand stay in chunks of their own, so `--version` loads
// nothing of the sweep. The library (dist/src/index.js) stays unbundled.
//
//     node scripts/bundle.mjs     (run by `npm run build`, after tsc)
//
// BullMQ and ioredis stay outside: only queue sweeps and workers load them, from node_modules.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const OUT = 'dist/cli';

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: ['dist/src/cli.js', 'dist/src/sweep/worker.js'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: OUT,
  // Flat: the pool finds the worker's entry as ./worker.js beside its own chunk, as in dist/src/sweep/.
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  external: ['bullmq', 'ioredis'],
  // The CommonJS packages inside (commander, cli-progress) call require() for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
