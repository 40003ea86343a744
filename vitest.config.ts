import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/slow: minutes-long checks, run by `npm run test:slow` (vitest.slow.config.ts) and CI.
    exclude: [...configDefaults.exclude, 'test/slow/**'],
    testTimeout: 60_000,
  },
});
