// `npm run test:slow`: the checks too long for `npm test` (minutes each on two cores), run by CI after it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `#platform` (package.json "imports") points at dist/ by default; tests run the sources.
  resolve: { alias: { '#platform': fileURLToPath(new URL('./src/platform/node.ts', import.meta.url)) } },
  test: {
    include: ['test/slow/**/*.test.ts', 'test/browser/**/*.test.ts'],
    testTimeout: 600_000,
  },
});
