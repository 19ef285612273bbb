import { defineProject } from 'vitest/config';

// A timeout catches a hang, not slowness: speed is measured by `npm run bench`. CI and local runs
// share 2 cores with other work, where vitest's 5 s default failed healthy tests.
export default defineProject({
  test: {
    name: 'nx-plugin',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    include: ['src/**/*.spec.ts'],
  },
});
