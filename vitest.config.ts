import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Removes every test's temporary folders and stops any CLI process a test left running.
    setupFiles: ['test/helpers/cleanup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // CLI end-to-end tests spawn worker pools of their own; keep vitest's own parallelism modest on 2 cores.
    maxWorkers: 2,
    // Worker threads, not processes: cheaper to start, and the tests need no process of their own.
    pool: 'threads',
    projects: [
      {
        // The engine's tests reason about what V8 has compiled and optimised so far, and the engine
        // caches generated code per network shape: each file gets fresh modules.
        extends: true,
        test: { name: 'engine', include: ['test/nn/**/*.test.ts'], isolate: true },
      },
      {
        // Everything else shares its worker's loaded modules from file to file (the charting
        // libraries above all), which saves most of the start-up time of each file.
        extends: true,
        test: { name: 'rest', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/nn/**'], isolate: false },
      },
    ],
    // In CI also write the JSON report that .ci/run reads for its "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-output/vitest.json' },
  },
});
