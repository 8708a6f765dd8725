// The command line and the training worker run from bundles that keep V8's compiled code in a cache
// (launch/cached-bundle.ts). A cache made at start-up would hold little: V8 compiles most functions
// only when they are first called. So the program says when it has done a representative piece of
// work (a whole sweep, a first run), and only then is the cache written, once, and only when there
// was none for this bundle and this Node. Outside such a bundle (the library, the tests) this does nothing.

/** Where launch/cached-bundle.ts leaves the function that writes its cache. */
export const CODE_CACHE_HOOK = Symbol.for('gradgrid.codeCache.save');

/** The functions this process needs are compiled now: keeps them for the next start, if it is time to. */
export function codeIsWarm(): void {
  const holder = globalThis as { [CODE_CACHE_HOOK]?: () => void };
  const save = holder[CODE_CACHE_HOOK];
  delete holder[CODE_CACHE_HOOK];
  save?.();
}
