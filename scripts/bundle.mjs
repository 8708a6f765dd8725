// Bundles the built command line (dist/src/cli.js) and the training worker's entry
// (dist/src/sweep/worker.js) into dist/cli/, one CommonJS file each, then runs a sweep of xor-lr
// once so that each keeps V8's compiled code in dist/cli/cache/ (src/launch/cached-bundle.ts).
//
//     node scripts/bundle.mjs     (run by `npm run build`, after tsc)
//
// dist/cli/cli.js (the `gradgrid` command) and dist/cli/worker.js are small entries that run
// cli.bundle.js and worker.bundle.js through that cache. Why one file and CommonJS: Node would
// otherwise find, read and compile some 140 modules one by one at every start (yaml alone is 72),
// and only a script compiled by node:vm takes a code cache on every supported Node (Node 22's
// module.enableCompileCache is not in Node 20, and keeps only the code compiled at load). Parts
// a command loads on demand stay lazy inside the bundle: they are evaluated only when imported.
// The library (dist/src/index.js) stays unbundled. BullMQ and ioredis stay outside: only queue
// sweeps and workers load them, from node_modules.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const OUT = 'dist/cli';

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // ASCII only (see below): the launcher reads the bundles as Latin-1, faster than UTF-8.
  charset: 'ascii',
  logLevel: 'warning',
};

rmSync(OUT, { recursive: true, force: true });
// The bundles are CommonJS in a package that is ES modules: this folder says so to Node.
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);

const bundles = { 'cli.bundle.js': 'dist/src/cli.js', 'worker.bundle.js': 'dist/src/sweep/worker.js' };
const digests = {};
for (const [name, entry] of Object.entries(bundles)) {
  await build({
    ...common,
    entryPoints: [entry],
    outfile: join(OUT, name),
    external: ['bullmq', 'ioredis'],
    // import.meta.url (the worker's script, the schema, package.json are found from it) is the bundle's own.
    define: { 'import.meta.url': 'bundleFileUrl' },
    inject: ['scripts/bundle-file-url.js'],
    sourcemap: 'linked',
  });
  // esbuild escapes what is not ASCII in strings, but keeps some comments as they are: their
  // characters become '?' (as many as UTF-16 units, so that the source map's columns hold).
  const text = readFileSync(join(OUT, name), 'utf8').replace(/[^\x00-\x7f]/gu, (char) => '?'.repeat(char.length));
  writeFileSync(join(OUT, name), text);
  digests[name] = createHash('sha256').update(text).digest('hex').slice(0, 16);
}

for (const name of ['cli', 'worker']) {
  await build({
    ...common,
    entryPoints: [`src/launch/${name}.ts`],
    outfile: join(OUT, `${name}.js`),
    define: { GRADGRID_BUNDLE_DIGESTS: JSON.stringify(digests), 'import.meta.url': 'bundleFileUrl' },
    inject: ['scripts/bundle-file-url.js'],
  });
}

// The warm-up: a whole sweep compiles what a sweep needs, and its end writes the caches. A failure
// here is reported but does not fail the build: the command line works without a cache.
const scratch = mkdtempSync(join(tmpdir(), 'gradgrid-warm-up-'));
try {
  const env = { ...process.env, GRADGRID_CODE_CACHE: undefined, INIT_CWD: undefined, npm_package_json: undefined };
  const warmUp = spawnSync(process.execPath, [join(OUT, 'cli.js'), 'sweep', 'experiments/xor-lr.yaml', '--out', join(scratch, 'xor-lr')], {
    env,
    encoding: 'utf8',
  });
  if (warmUp.status !== 0) process.stderr.write(`bundle: the warm-up sweep failed (no code cache yet):\n${warmUp.stderr}\n`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
