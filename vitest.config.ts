import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Timeouts only guard against hangs: a busy 2-core CI machine runs the
    // heaviest test several times slower than a quiet one, and that must not
    // fail the suite. Tests assert behaviour, never wall time.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // vitest's default is one fork fewer than the cores: a single fork on a
    // 2-core machine. Two forks keep both cores busy.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
