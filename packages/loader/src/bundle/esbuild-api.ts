import * as fs from 'node:fs';
import type * as Esbuild from 'esbuild';

/**
 * esbuild, loaded on first use: requiring it costs ~20 ms, and a load whose bundles all come from
 * the bundle cache (bundle-cache.ts), like every command that loads no definition, never needs it.
 */
export function esbuildApi(): typeof Esbuild {
  return (loaded ??= require('esbuild') as typeof Esbuild);
}

let loaded: typeof Esbuild | undefined;

/** esbuild's version without loading it (part of the bundle cache's key). */
export function esbuildVersion(): string {
  version ??= (
    JSON.parse(fs.readFileSync(require.resolve('esbuild/package.json'), 'utf8')) as { version: string }
  ).version;
  return version;
}

let version: string | undefined;
