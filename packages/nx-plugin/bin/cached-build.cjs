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
 * dependencies (Nx, esbuild and TypeScript stay `require`s) into
 * `node_modules/.cache/osa-gitops/nx-<name>-<key>.cjs`, the key a hash of the size and mtime of
 * every file the last build read (listed in `nx-<name>-inputs.json`) and Node's and esbuild's
 * versions, so any edit to the plugin, core or loader makes the next command build again (a few
 * hundred ms). The loader's evaluation worker is embedded as the CLI's build embeds it
 * (OSA_GITOPS_WORKER_SOURCE, loader/src/evaluate/worker-source.ts). Where node_modules cannot be
 * written the build runs from memory. Public APIs only.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const PLUGIN_DIR = path.join(__dirname, '..');
const CACHE_DIR = path.join(PLUGIN_DIR, '..', '..', 'node_modules', '.cache', 'osa-gitops');
const WORKER_ENTRY = path.join(PLUGIN_DIR, '..', 'loader', 'src', 'evaluate', 'worker-main.ts');

/** Must equal the loader's WORKER_BUILD_OPTIONS (asserted in cached-build.spec.ts). */
const WORKER_OPTIONS = {
  bundle: true,
  write: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  banner: { js: "'use strict';" },
  logLevel: 'silent',
};

/** What stays a `require` in the build: Nx itself (the host), esbuild (a native binary), TypeScript (10 MB, loaded only to place issues on their lines). */
const EXTERNAL = ['@nx/devkit', 'nx', 'esbuild', 'typescript'];

function esbuildVersion() {
  return JSON.parse(fs.readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
}

function cacheKey(inputs) {
  const h = crypto.createHash('sha256').update(`${process.version}\0${esbuildVersion()}\0`);
  for (const file of [__filename, ...inputs]) {
    const st = fs.statSync(file);
    h.update(`${file}\0${st.size}\0${st.mtimeMs}\0`);
  }
  return h.digest('hex').slice(0, 20);
}

function inputsFile(name) {
  return path.join(CACHE_DIR, `nx-${name}-inputs.json`);
}

/** The cached build for the current sources, or undefined. */
function cachedBuild(name) {
  try {
    const inputs = JSON.parse(fs.readFileSync(inputsFile(name), 'utf8'));
    const file = path.join(CACHE_DIR, `nx-${name}-${cacheKey(inputs)}.cjs`);
    return fs.existsSync(file) ? file : undefined;
  } catch {
    return undefined; // no cache yet, or an input vanished: build
  }
}

/** @returns {{ code: string, inputs: string[] }} */
function build(entry) {
  const esbuild = require('esbuild');
  const worker = esbuild.buildSync({
    ...WORKER_OPTIONS,
    absWorkingDir: PLUGIN_DIR,
    entryPoints: [WORKER_ENTRY],
    metafile: true,
  });
  const result = esbuild.buildSync({
    entryPoints: [path.join(PLUGIN_DIR, 'src', entry)],
    absWorkingDir: PLUGIN_DIR,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    external: EXTERNAL,
    // An external `import()` would stay a real import(); as `require` it resolves like the rest.
    supported: { 'dynamic-import': false },
    define: { OSA_GITOPS_WORKER_SOURCE: JSON.stringify(worker.outputFiles[0].text) },
  });
  const inputs = new Set();
  for (const meta of [worker.metafile, result.metafile]) {
    for (const file of Object.keys(meta.inputs)) inputs.add(path.resolve(PLUGIN_DIR, file));
  }
  return { code: result.outputFiles[0].text, inputs: [...inputs].sort() };
}

/** Writes the build where `require` can load it (temp + rename: parallel Nx workers never read half a file). */
function store(name, code, inputs) {
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const file = path.join(CACHE_DIR, `nx-${name}-${cacheKey(inputs)}.cjs`);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
    fs.writeFileSync(`${inputsFile(name)}.${process.pid}.tmp`, JSON.stringify(inputs));
    fs.renameSync(`${inputsFile(name)}.${process.pid}.tmp`, inputsFile(name));
    for (const old of fs.readdirSync(CACHE_DIR)) {
      if (old.startsWith(`nx-${name}-`) && old.endsWith('.cjs') && path.join(CACHE_DIR, old) !== file) {
        fs.rmSync(path.join(CACHE_DIR, old), { force: true });
      }
    }
    return file;
  } catch {
    return undefined; // read-only node_modules: run from memory (fromMemory)
  }
}

/**
 * Runs the build without a file, its `require` resolving from the plugin's own folder (so Nx and
 * esbuild are found as from the cache): `vm.Script` and `createRequire`, public APIs only.
 */
function fromMemory(name, code) {
  const vm = require('node:vm');
  const { createRequire } = require('node:module');
  const filename = path.join(PLUGIN_DIR, `nx-${name}.bundle.cjs`);
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, {
    filename,
  });
  const mod = { exports: {} };
  script
    .runInThisContext()
    .call(mod.exports, mod.exports, createRequire(filename), mod, filename, PLUGIN_DIR);
  return mod.exports;
}

/** The module exports of `src/<entry>`, from the cached build (built first when missing or stale). */
function load(name, entry) {
  const cached = cachedBuild(name);
  if (cached !== undefined) return require(cached);
  const { code, inputs } = build(entry);
  const stored = store(name, code, inputs);
  return stored !== undefined ? require(stored) : fromMemory(name, code);
}

module.exports = { load, WORKER_OPTIONS, EXTERNAL, CACHE_DIR };
