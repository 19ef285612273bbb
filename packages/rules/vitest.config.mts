import { defineProject } from 'vitest/config';

// As core's: a timeout catches a hang, not slowness (speed is measured by `npm run bench`).
export default defineProject({
  test: {
    name: 'rules',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
  },
});
