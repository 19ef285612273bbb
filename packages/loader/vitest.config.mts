import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'loader', include: ['src/**/*.spec.ts'] } });
