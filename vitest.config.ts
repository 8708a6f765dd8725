import { configDefaults, defineConfig } from 'vitest/config';

/** Test files that count garbage collections (see the 'engine' project below). */
const GARBAGE_COUNTING = ['test/nn/unrolled.test.ts', 'test/nn/dynamics.test.ts', 'test/nn/hessian-vector.test.ts'];

export default defineConfig({
  test: {
    // Removes every test's temporary folders and stops any CLI process a test left running.
    setupFiles: ['test/helpers/cleanup.ts'],
    // The schema's precompiled validator is a build product (scripts/schema-validator.mjs): written
    // from the schema as it is before any test imports it.
    globalSetup: ['test/helpers/schema-validator-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // CLI end-to-end tests spawn worker pools of their own; keep vitest's own parallelism modest on 2 cores.
    maxWorkers: 2,
    // Worker threads, not processes: cheaper to start, and the tests need no process of their own.
    pool: 'threads',
    projects: [
      {
        // These tests count the garbage the engine collects while it trains, which depends on what V8
        // has compiled and optimised so far and on the generated code the engine caches per network
        // shape: each file gets fresh modules.
        extends: true,
        test: { name: 'engine', include: GARBAGE_COUNTING, isolate: true },
      },
      {
        // Everything else shares its worker's loaded modules from file to file (the charting
        // libraries above all), which saves most of the start-up time of each file.
        extends: true,
        test: { name: 'rest', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...GARBAGE_COUNTING], isolate: false },
      },
    ],
    // In CI also write the JSON report that .ci/run reads for its "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-output/vitest.json' },
  },
});
