#!/usr/bin/env node
'use strict';
/**
 * osa-gitops: runs the CLI's build, made on first use and cached; no build step to remember.
 *
 * `build-cli.cjs` bundles src/main.ts, the workspace packages and the npm dependencies (esbuild
 * excepted) into one CommonJS file. It is cached in node_modules/.cache/osa-gitops/ as
 * `cli-<key>.cjs`, the key a hash of the size and mtime of every file the last build read (listed
 * in inputs.json) plus Node's and esbuild's versions: any edit to core, loader or cli makes the
 * next run build again (a few hundred ms), an unchanged checkout just `require`s the file.
 * V8's code cache for it sits next to it (`cli-<key>.v8`, see runBuild).
 * `npm ci --ignore-scripts` needs no install step for this. OSA_GITOPS_NO_CACHE=1 skips the cache;
 * where node_modules is read-only the build runs from memory through `vm` and `createRequire`
 * (public APIs only).
 */
const fs = require('node:fs');
const path = require('node:path');
const { cacheOf } = require('@osa-gitops/loader/bin/own-build.cjs');

const cliDir = path.join(__dirname, '..');
// The launcher and the build script are part of the key: a change to either builds again.
const cache = cacheOf('cli', 'inputs.json', [__filename, path.join(__dirname, 'build-cli.cjs')]);

/** The cached build for the current sources, or undefined. */
function cachedBuild() {
  return process.env.OSA_GITOPS_NO_CACHE ? undefined : cache.find();
}

/** Writes the build where `require` can load it; undefined when the cache cannot be written. */
function storeBuild(code, inputs) {
  return process.env.OSA_GITOPS_NO_CACHE ? undefined : cache.store(code, inputs);
}

/**
 * Compile and run the CommonJS build through `vm.Script`, so V8's code cache can be used: parsing
 * and compiling the ~1.8 MB build was the largest single cost of a command's start. `cacheFile`
 * (next to the cached build) holds the code cache; it is written once, after the command ran, so
 * it covers the functions that run rather than only the top level. A rejected or missing cache
 * only costs the compile. Public APIs only (`vm`, `createRequire`).
 */
function runBuild(code, filename, cacheFile) {
  const vm = require('node:vm');
  const { createRequire } = require('node:module');
  let cachedData;
  try {
    if (cacheFile !== undefined) cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // first run of this build: no code cache yet
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, {
    filename,
    ...(cachedData ? { cachedData } : {}),
    // Should the build ever keep a real import(), load it as the main context would (Node warns).
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
    process.once('exit', () => writeCodeCache(script, cacheFile));
  }
  const mod = { exports: {} };
  script
    .runInThisContext()
    .call(mod.exports, mod.exports, createRequire(filename), mod, filename, path.dirname(filename));
  return mod.exports;
}

function writeCodeCache(script, cacheFile) {
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, cacheFile);
  } catch {
    // read-only cache dir: the next run compiles again
  }
}

function runFromMemory(code) {
  return runBuild(code, path.join(cliDir, 'src', 'main.bundle.cjs'), undefined);
}

async function load() {
  const cached = cachedBuild();
  if (cached !== undefined) return runBuild(fs.readFileSync(cached, 'utf8'), cached, codeCacheFile(cached));
  const { code, inputs } = await require('./build-cli.cjs').buildCli();
  const stored = storeBuild(code, inputs);
  return stored !== undefined ? runBuild(code, stored, codeCacheFile(stored)) : runFromMemory(code);
}

/** `cli-<key>.v8` next to `cli-<key>.cjs`: removed with it when the key changes. */
function codeCacheFile(build) {
  return build.replace(/\.cjs$/, '.v8');
}

load()
  .then((cli) => cli.runFromProcess())
  .catch((err) => {
    process.stderr.write(`osa-gitops: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
