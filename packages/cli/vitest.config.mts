import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'cli', include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'] } });
