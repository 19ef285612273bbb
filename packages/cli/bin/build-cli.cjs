'use strict';
/**
 * The CLI's build: `src/main.ts` with the workspace packages and every npm dependency but esbuild
 * bundled into one CommonJS file, and the loader's evaluation worker embedded as a string
 * (OSA_GITOPS_WORKER_SOURCE in packages/loader/src/evaluate/worker-source.ts). esbuild stays a
 * `require` (it drives a native binary) and is loaded only by the commands that bundle
 * definitions. Commands are split by `import()` in main.ts, so their modules (simple-git, jsdiff)
 * initialise only when that command runs.
 *
 * Plain JavaScript, so the launcher (osa-gitops.cjs) can run it with no TypeScript hook. Used by
 * the launcher on a cache miss, and by `npm run build -w @osa-gitops/cli` to check that it builds.
 */
const path = require('node:path');

const CLI_DIR = path.join(__dirname, '..');
const ENTRY = path.join(CLI_DIR, 'src', 'main.ts');
const WORKER_ENTRY = path.join(CLI_DIR, '..', 'loader', 'src', 'evaluate', 'worker-main.ts');

/** Must equal the loader's WORKER_BUILD_OPTIONS (asserted in bin.int.spec.ts). */
const WORKER_OPTIONS = {
  bundle: true,
  write: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  banner: { js: "'use strict';" },
  logLevel: 'silent',
};

/** @returns {Promise<{ code: string, inputs: string[] }>} the bundle and every file it was built from */
async function buildCli() {
  const esbuild = require('esbuild');
  // absWorkingDir: the metafile's input paths are relative to it, and resolved against CLI_DIR
  // below; relative to the caller's cwd they named missing files, the cache key could not be
  // computed, and every run built the CLI again.
  const worker = await esbuild.build({
    ...WORKER_OPTIONS,
    absWorkingDir: CLI_DIR,
    entryPoints: [WORKER_ENTRY],
    metafile: true,
  });
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    absWorkingDir: CLI_DIR,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // No source map: Node ignores one without --enable-source-maps, and parsing it is start-up time.
    sourcemap: false,
    logLevel: 'silent',
    // The TypeScript compiler (~10 MB) is only needed to place issues on their lines
    // (loader/src/locate): bundled, every command paid ~40 ms to read it. An external `import()`
    // would stay a real import(), which the launcher's vm.Script cannot resolve from the cache
    // dir; as `require` it resolves from the build's own path like every other external.
    external: ['esbuild', 'typescript'],
    supported: { 'dynamic-import': false },
    define: { OSA_GITOPS_WORKER_SOURCE: JSON.stringify(worker.outputFiles[0].text) },
  });
  const inputs = new Set();
  for (const meta of [worker.metafile, result.metafile]) {
    for (const file of Object.keys(meta.inputs)) inputs.add(path.resolve(CLI_DIR, file));
  }
  return { code: result.outputFiles[0].text, inputs: [...inputs].sort() };
}

module.exports = { buildCli, WORKER_OPTIONS, ENTRY };

if (require.main === module) {
  buildCli().then(
    ({ code, inputs }) =>
      process.stdout.write(`osa-gitops CLI builds: ${code.length} characters from ${inputs.length} files\n`),
    (err) => {
      process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
