import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The JSON report lets .ci/run print a one-line summary CI can read.
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
  },
});
