import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'git', include: ['src/**/*.spec.ts'] } });
