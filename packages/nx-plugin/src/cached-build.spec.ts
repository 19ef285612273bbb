import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { WORKER_BUILD_OPTIONS } from '@osa-gitops/loader';
import { describe, expect, it } from 'vitest';
import * as pluginSource from './index';
import * as generatorSources from './generators/index';

const PKG = path.join(__dirname, '..');
interface CachedBuild {
  WORKER_OPTIONS: unknown;
  CACHE_DIR: string;
}

// Nx loads the plugin through plugin.cjs and the render/sync generators through generators.cjs:
// cached builds of the TypeScript sources (bin/cached-build.cjs), not Nx's TypeScript transpiler.
describe('the plugin as Nx loads it (JavaScript doors over a cached build)', { timeout: 60_000 }, () => {
  it('names plugin.cjs as main and generators.cjs for render and sync; site and import stay sources', () => {
    const pkg = JSON.parse(readFileSync(path.join(PKG, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('./plugin.cjs');
    const generators = (
      JSON.parse(readFileSync(path.join(PKG, 'generators.json'), 'utf8')) as {
        generators: Record<string, { factory: string }>;
      }
    ).generators;
    expect(generators['render']!.factory).toBe('./generators.cjs#renderGenerator');
    expect(generators['sync']!.factory).toBe('./generators.cjs#syncGenerator');
    for (const name of ['site', 'import']) {
      expect(existsSync(path.join(PKG, `${generators[name]!.factory}.ts`)), name).toBe(true);
    }
  });

  it('exports what the sources export, from a build whose every input exists', () => {
    const plugin = require('../plugin.cjs') as Record<string, unknown>;
    expect(Object.keys(plugin).sort()).toEqual(Object.keys(pluginSource).sort());
    expect(typeof plugin['createDependencies']).toBe('function');
    const generators = require('../generators.cjs') as Record<string, unknown>;
    expect(Object.keys(generators).sort()).toEqual(Object.keys(generatorSources).sort());
    expect(typeof generators['syncGenerator']).toBe('function');

    const { CACHE_DIR } = require('../bin/cached-build.cjs') as CachedBuild;
    for (const name of ['plugin', 'generators']) {
      expect(
        readdirSync(CACHE_DIR).filter((f) => new RegExp(`^nx-${name}-[0-9a-f]+\\.cjs$`).test(f)),
      ).toHaveLength(1);
      const inputs = JSON.parse(
        readFileSync(path.join(CACHE_DIR, `nx-${name}-inputs.json`), 'utf8'),
      ) as string[];
      expect(inputs.filter((f) => !existsSync(f))).toEqual([]);
      expect(inputs).toContain(path.resolve(PKG, '../loader/src/evaluate/worker-main.ts'));
    }
  });

  it('embeds the evaluation worker built exactly as the loader builds it', () => {
    const { WORKER_OPTIONS } = require('../bin/cached-build.cjs') as CachedBuild;
    expect(WORKER_OPTIONS).toEqual(WORKER_BUILD_OPTIONS);
  });
});
