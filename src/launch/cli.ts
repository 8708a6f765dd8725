#!/usr/bin/env node
// dist/cli/cli.js, the `gradgrid` command: runs the command line's bundle (built from src/cli.ts)
// through the code cache.
import { fileURLToPath } from 'node:url';
import { runCachedBundle } from './cached-bundle.js';

declare const GRADGRID_BUNDLE_DIGESTS: Record<string, string>;

runCachedBundle(fileURLToPath(new URL('./cli.bundle.js', import.meta.url)), GRADGRID_BUNDLE_DIGESTS['cli.bundle.js'], fileURLToPath(new URL('./cache', import.meta.url)));
