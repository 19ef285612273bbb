import { defineProject } from 'vitest/config';

// The twin's tests start real daemons in network namespaces and run ansible-playbook: a timeout
// catches a hang, not slowness (failover times are measured by `npm run bench`).
export default defineProject({
  test: {
    name: 'twin',
    testTimeout: 300_000,
    hookTimeout: 600_000,
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
  },
});
