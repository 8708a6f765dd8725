// Runs a CommonJS bundle (scripts/bundle.mjs) as Node's require would, but compiled through V8's
// code cache. Node compiles every function of a program from its source at every start, lazily as
// it is first called; for a sweep of xor-lr that is a good part of the command's time (on Node 20
// about 40 ms of its 300). Here the first full run's compiled code is written to a cache file, and
// the later starts read it back instead of compiling.
//
// The cache is V8's own format. V8 checks it against its version, its flags and the source's
// length, not the source itself: so the file's name holds a digest of the bundle (given by the
// build) and the Node version, and a cache V8 rejects anyway (other flags, say) is written again.
// Nor does V8 check the data: a damaged cache makes Node abort. So the file starts with the SHA-1
// of the rest, and a cache that does not match it is not given to V8 (0.5 ms for the 1 MB one).
// GRADGRID_CODE_CACHE names another folder for it, or "off"; GRADGRID_CODE_CACHE_TRACE=1 says on
// stderr whether a cache was used.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { threadId } from 'node:worker_threads';
import { CODE_CACHE_HOOK } from '../code-cache.js';

/** Runs `file` (a CommonJS bundle whose content digest is `digest`) with the cache kept in `defaultCacheDir`. */
export function runCachedBundle(file: string, digest: string, defaultCacheDir: string): void {
  // The build writes the bundles in ASCII (scripts/bundle.mjs): Latin-1 reads the same text faster than UTF-8.
  const source = readFileSync(file, 'latin1');
  const setting = process.env.GRADGRID_CODE_CACHE;
  const cacheDir = setting === 'off' ? null : setting || defaultCacheDir;
  const cacheFile = cacheDir && join(cacheDir, `${basename(file)}-${digest}-${process.version}-${process.arch}.bin`);
  let cached: Buffer | undefined;
  let damaged = false;
  if (cacheFile) {
    try {
      const stored = readFileSync(cacheFile);
      cached = stored.subarray(DIGEST_BYTES);
      damaged = !sha1(cached).equals(stored.subarray(0, DIGEST_BYTES));
      if (damaged) cached = undefined;
    } catch {
      // none yet: this run may write it
    }
  }
  // Node's own CommonJS wrapper, on the first line so that line numbers stay those of the file.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${withoutHashbang(source)}\n})`, {
    filename: file,
    cachedData: cached,
  });
  const used = cached !== undefined && !script.cachedDataRejected;
  if (process.env.GRADGRID_CODE_CACHE_TRACE === '1') {
    const state = used ? 'used' : cached ? 'rejected' : damaged ? 'damaged' : 'none';
    process.stderr.write(`code cache: ${basename(file)} ${state}${cacheFile ? '' : ' (off)'}\n`);
  }
  if (cacheFile && !used) {
    (globalThis as { [CODE_CACHE_HOOK]?: () => void })[CODE_CACHE_HOOK] = () => writeCache(script, cacheFile);
  }
  const module = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, dirname(file));
}

const DIGEST_BYTES = 20;

const sha1 = (bytes: Uint8Array): Buffer => createHash('sha1').update(bytes).digest();

/** A bundle's first line may be `#!/usr/bin/env node`: a comment of the same length keeps the columns. */
function withoutHashbang(source: string): string {
  return source.startsWith('#!') ? `//${source.slice(2)}` : source;
}

/** Writes the cache whole or not at all: processes of one sweep may write it at the same time. */
function writeCache(script: Script, cacheFile: string): void {
  const temp = `${cacheFile}.${process.pid}-${threadId}.tmp`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    const data = script.createCachedData();
    writeFileSync(temp, Buffer.concat([sha1(data), data]));
    renameSync(temp, cacheFile);
  } catch {
    // A folder that cannot be written to only means compiling again next time.
    try {
      rmSync(temp, { force: true });
    } catch {
      // nothing was written (the folder is not there, or not a folder)
    }
  }
}
