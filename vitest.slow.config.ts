// `npm run test:slow`: the checks too long for `npm test` (minutes each on two cores), run by CI after it.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/slow/**/*.test.ts'],
    testTimeout: 600_000,
  },
});
