import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Removes every test's temporary folders and stops any CLI process a test left running.
    setupFiles: ['test/helpers/cleanup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // CLI end-to-end tests spawn worker pools of their own; keep vitest's own parallelism modest on 2 cores.
    maxWorkers: 2,
    // Worker threads that are reused from file to file, with the modules they loaded: the test files
    // share no state but the temporary folders above, and starting a fresh process and module graph
    // per file cost about a third of the in-process tests' time.
    pool: 'threads',
    isolate: false,
    // In CI also write the JSON report that .ci/run reads for its "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-output/vitest.json' },
  },
});
