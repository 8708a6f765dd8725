import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CLI end-to-end tests spawn worker pools of their own; keep vitest's own parallelism modest on 2 cores.
    maxWorkers: 2,
  },
});
