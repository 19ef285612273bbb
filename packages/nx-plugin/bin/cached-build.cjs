'use strict';
/**
 * The plugin's JavaScript doors (plugin.cjs, generators.cjs) load a build of the TypeScript
 * sources, made on first use and cached, for the same reason the CLI's launcher does: Nx runs a
 * plugin whose entry is TypeScript through its own transpiler, and registering it (TypeScript to
 * read tsconfig, then swc) cost ~0.5 s of every `nx` command, in the plugin worker and again for
 * each generator (bench: `nx sync:check` of one site 1.9 → 1.4 s). No build step to remember:
 * `npm ci --ignore-scripts` is enough.
 *
 * `load(name, entry)` bundles `src/<entry>` with the workspace packages and their npm
 * dependencies (Nx, esbuild and TypeScript stay `require`s) with the build the CLI uses (the
 * loader's bin/own-build.cjs) into `node_modules/.cache/osa-gitops/nx-<name>-<key>.cjs`, rebuilt
 * when any file it was built from changes. Where node_modules cannot be written the build runs
 * from memory. Public APIs only.
 */
const path = require('node:path');
const {
  buildSync,
  cacheOf,
  runCommonJs,
  CACHE_DIR,
  WORKER_OPTIONS,
} = require('@osa-gitops/loader/bin/own-build.cjs');

const PLUGIN_DIR = path.join(__dirname, '..');

/** What stays a `require` in the build: Nx itself (the host), esbuild (a native binary), TypeScript (10 MB, loaded only to place issues on their lines). */
const EXTERNAL = ['@nx/devkit', 'nx', 'esbuild', 'typescript'];

/** The module exports of `src/<entry>`, from the cached build (built first when missing or stale). */
function load(name, entry) {
  const cache = cacheOf(`nx-${name}`, `nx-${name}-inputs.json`, [__filename]);
  const cached = cache.find();
  if (cached !== undefined) return require(cached);
  const { code, inputs } = buildSync({
    entry: path.join(PLUGIN_DIR, 'src', entry),
    absWorkingDir: PLUGIN_DIR,
    external: EXTERNAL,
  });
  const stored = cache.store(code, inputs);
  // Read-only node_modules: from memory, `require` resolving from the plugin's folder.
  return stored !== undefined
    ? require(stored)
    : runCommonJs(code, path.join(PLUGIN_DIR, `nx-${name}.bundle.cjs`));
}

module.exports = { load, WORKER_OPTIONS, EXTERNAL, CACHE_DIR };
