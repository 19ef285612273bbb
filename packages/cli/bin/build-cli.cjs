'use strict';
/**
 * The CLI's build (the loader's bin/own-build.cjs, shared with the Nx plugin): `src/main.ts` with
 * the workspace packages and every npm dependency but esbuild and TypeScript bundled into one
 * CommonJS file, the evaluation worker embedded. esbuild stays a `require` (it drives a native
 * binary) and is loaded only by the commands that bundle definitions. Commands are split by `import()` in main.ts, so their modules (simple-git, jsdiff)
 * initialise only when that command runs.
 *
 * Plain JavaScript, so the launcher (osa-gitops.cjs) can run it with no TypeScript hook. Used by
 * the launcher on a cache miss, and by `npm run build -w @osa-gitops/cli` to check that it builds.
 */
const path = require('node:path');
const { build, WORKER_OPTIONS } = require('@osa-gitops/loader/bin/own-build.cjs');

const CLI_DIR = path.join(__dirname, '..');
const ENTRY = path.join(CLI_DIR, 'src', 'main.ts');

/** @returns {Promise<{ code: string, inputs: string[] }>} the bundle and every file it was built from */
function buildCli() {
  // The TypeScript compiler (~10 MB) is only needed to place issues on their lines
  // (loader/src/locate): bundled, every command paid ~40 ms to read it.
  return build({ entry: ENTRY, absWorkingDir: CLI_DIR, external: ['esbuild', 'typescript'] });
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
