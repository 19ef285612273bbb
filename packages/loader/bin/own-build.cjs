'use strict';
/**
 * Builds of osa-gitops's own TypeScript for the two places that run it without a TypeScript
 * hook: the CLI's launcher (packages/cli/bin) and the Nx plugin's JavaScript doors
 * (packages/nx-plugin/bin). One esbuild bundle of an entry with the workspace packages and their
 * npm dependencies, the loader's evaluation worker embedded as a string (OSA_GITOPS_WORKER_SOURCE
 * in src/evaluate/worker-source.ts) so no esbuild build runs at start-up, and `import()` of what
 * stays outside compiled to `require` (an external `import()` would stay a real import(), which a
 * `vm.Script` cannot resolve from the cache folder).
 *
 * Builds are cached in node_modules/.cache/osa-gitops/<prefix>-<key>.cjs, the key a hash of
 * Node's and esbuild's versions and the size and mtime of the given key files and of every file
 * the last build read (listed in the inputs file), so any edit to a source makes the next run
 * build again (a few hundred ms) and nobody has a bundle to regenerate or commit. Writes go
 * through a temporary file and a rename: concurrent runs (Nx runs targets and plugin workers in
 * parallel) never read half a file. Plain JavaScript, public APIs only.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const CACHE_DIR = path.join(__dirname, '..', '..', '..', 'node_modules', '.cache', 'osa-gitops');
const WORKER_ENTRY = path.join(__dirname, '..', 'src', 'evaluate', 'worker-main.ts');

/** Must equal the loader's WORKER_BUILD_OPTIONS (asserted in bin.int.spec.ts and cached-build.spec.ts). */
const WORKER_OPTIONS = {
  bundle: true,
  write: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  banner: { js: "'use strict';" },
  logLevel: 'silent',
};

function esbuildVersion() {
  return JSON.parse(fs.readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
}

/** The options of the entry's build, given the worker's text. */
function entryOptions({ entry, absWorkingDir, external }, workerText) {
  return {
    entryPoints: [entry],
    absWorkingDir,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // No source map: Node ignores one without --enable-source-maps, and parsing it is start-up time.
    sourcemap: false,
    logLevel: 'silent',
    external,
    supported: { 'dynamic-import': false },
    define: { OSA_GITOPS_WORKER_SOURCE: JSON.stringify(workerText) },
  };
}

/** The bundle's text and every file it was built from (absolute, sorted). */
function result(absWorkingDir, worker, bundle) {
  const inputs = new Set();
  // The metafile's paths are relative to absWorkingDir; resolved against the caller's directory
  // they named missing files, the key could not be computed, and every run built again.
  for (const meta of [worker.metafile, bundle.metafile]) {
    for (const file of Object.keys(meta.inputs)) inputs.add(path.resolve(absWorkingDir, file));
  }
  return { code: bundle.outputFiles[0].text, inputs: [...inputs].sort() };
}

/**
 * @param {{ entry: string, absWorkingDir: string, external: string[] }} spec
 * @returns {Promise<{ code: string, inputs: string[] }>}
 */
async function build(spec) {
  const esbuild = require('esbuild');
  const workerOptions = {
    ...WORKER_OPTIONS,
    absWorkingDir: spec.absWorkingDir,
    entryPoints: [WORKER_ENTRY],
    metafile: true,
  };
  const worker = await esbuild.build(workerOptions);
  const bundle = await esbuild.build(entryOptions(spec, worker.outputFiles[0].text));
  return result(spec.absWorkingDir, worker, bundle);
}

/** `build`, synchronously (Nx requires a plugin's module synchronously). */
function buildSync(spec) {
  const esbuild = require('esbuild');
  const workerOptions = {
    ...WORKER_OPTIONS,
    absWorkingDir: spec.absWorkingDir,
    entryPoints: [WORKER_ENTRY],
    metafile: true,
  };
  const worker = esbuild.buildSync(workerOptions);
  const bundle = esbuild.buildSync(entryOptions(spec, worker.outputFiles[0].text));
  return result(spec.absWorkingDir, worker, bundle);
}

/**
 * One cached build: `<prefix>-<key>.cjs` in the cache folder, its inputs listed in `inputsName`,
 * keyed also by `keyFiles` (the launcher and build scripts themselves).
 */
function cacheOf(prefix, inputsName, keyFiles) {
  const inputsFile = path.join(CACHE_DIR, inputsName);
  const keyOf = (inputs) => {
    const h = crypto.createHash('sha256').update(`${process.version}\0${esbuildVersion()}\0`);
    for (const file of [__filename, ...keyFiles, ...inputs]) {
      const st = fs.statSync(file);
      h.update(`${file}\0${st.size}\0${st.mtimeMs}\0`);
    }
    return h.digest('hex').slice(0, 20);
  };
  const fileOf = (key) => path.join(CACHE_DIR, `${prefix}-${key}.cjs`);
  return {
    dir: CACHE_DIR,
    /** The cached build for the current sources, or undefined. */
    find() {
      try {
        const file = fileOf(keyOf(JSON.parse(fs.readFileSync(inputsFile, 'utf8'))));
        return fs.existsSync(file) ? file : undefined;
      } catch {
        return undefined; // no cache yet, or an input vanished: build
      }
    },
    /**
     * Writes the build where `require` can load it and removes this prefix's older builds (and
     * their companions, `<prefix>-<key>.*`); undefined when the cache cannot be written.
     */
    store(code, inputs) {
      try {
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        const file = fileOf(keyOf(inputs));
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, code);
        fs.renameSync(tmp, file);
        fs.writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify(inputs));
        fs.renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
        const current = path.basename(file, '.cjs');
        const mine = new RegExp(`^${prefix}-[0-9a-f]+\\.(?:cjs|v8|answers\\.json)$`);
        for (const old of fs.readdirSync(CACHE_DIR)) {
          if (mine.test(old) && !old.startsWith(`${current}.`))
            fs.rmSync(path.join(CACHE_DIR, old), { force: true });
        }
        return file;
      } catch {
        return undefined; // read-only node_modules
      }
    },
  };
}

/**
 * Runs a build's CommonJS text through `vm.Script`, its `require` resolving from `filename` as a
 * file there would (`createRequire`): how a build runs from memory where the cache cannot be
 * written, and how the CLI runs its cached build with V8's code cache (`cacheFile`, `<key>.v8`:
 * compiling the ~1.9 MB build was the largest single cost of a command's start). The code cache is
 * written once, when the process exits after a run without one, so it covers the functions that
 * ran rather than only the top level. Public APIs only (`vm`, `createRequire`).
 */
function runCommonJs(code, filename, cacheFile) {
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

module.exports = { build, buildSync, cacheOf, runCommonJs, WORKER_OPTIONS, CACHE_DIR };
