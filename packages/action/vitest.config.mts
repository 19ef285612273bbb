import { defineProject } from 'vitest/config';

// Spawned-action tests run real git and a child node process per case: give them room on a
// shared 2-core box, but never rely on timing in assertions.
export default defineProject({
  test: { name: 'action', include: ['src/**/*.spec.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
