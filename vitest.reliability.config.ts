import { defineConfig } from 'vitest/config';

// The reliability suite: crash trials, faults, fuzzing, time and security. Slower than the unit
// tests and run on its own (npm run test:reliability); CI runs it after them.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Crash trials are timing-sensitive: one file at a time on a 2-core machine.
    fileParallelism: false,
  },
});
