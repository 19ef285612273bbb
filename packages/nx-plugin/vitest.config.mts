import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'nx-plugin', include: ['src/**/*.spec.ts'] } });
