import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  // `#platform` (package.json "imports") points at dist/ by default; tests run the sources.
  resolve: { alias: { '#platform': fileURLToPath(new URL('./src/platform/node.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    // test/slow: minutes-long checks, and test/browser: the web page in Chromium (a minute of one core to start
    // it and bundle), run by `npm run test:slow` (vitest.slow.config.ts) and CI.
    exclude: [...configDefaults.exclude, 'test/slow/**', 'test/browser/**'],
    testTimeout: 60_000,
    // Vitest's default is one worker fewer than the cores: on two cores, one. The tests wait on child
    // processes (the CLI) much of the time, so a worker per core finishes the suite in about half the time.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
