import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // CLI end-to-end tests spawn worker pools of their own; keep vitest's own parallelism modest on 2 cores.
    maxWorkers: 2,
    // In CI also write the JSON report that .ci/run reads for its "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-output/vitest.json' },
  },
});
