import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'deployer', include: ['src/**/*.spec.ts'] } });
