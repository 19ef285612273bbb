import { performance } from 'node:perf_hooks';
import { validateEnvironment } from './packages/rules/src';
import { syntheticSite } from './packages/bench/src/fleet';
const sites = Array.from({ length: 1000 }, (_, i) => syntheticSite(i, 10));
const t = performance.now();
const envs = sites.map((s) => validateEnvironment(s, { site: s.name }));
console.log('validate (first round, cold)', (performance.now() - t) | 0, envs.filter((e) => e.ok).length);
