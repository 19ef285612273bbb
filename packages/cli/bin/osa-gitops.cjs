#!/usr/bin/env node
'use strict';
/**
 * osa-gitops: runs the TypeScript sources directly, with no build step to remember.
 *
 * The workspace's own packages (@osa-gitops/*, TypeScript) are bundled in memory with esbuild
 * and compiled as one CommonJS module whose filename sits in packages/cli/src, so `require` of
 * third-party packages (yaml, zod, simple-git, esbuild...) resolves from node_modules as usual;
 * those stay external, which keeps the bundle small. `__dirname`/`__filename` are rewritten per
 * source file, so code that locates files next to itself (the loader's worker) still finds them.
 *
 * The bundle is cached in node_modules/.cache/osa-gitops/, keyed by the size and mtime of every
 * input file esbuild read (its metafile) plus esbuild's version: an unchanged checkout skips the
 * bundling (~100-250 ms of a cold start, docs/cli.md). Any edit invalidates it. Set
 * OSA_GITOPS_NO_CACHE=1 to bypass it; a read-only node_modules just means no cache.
 */
const path = require('node:path');
const fs = require('node:fs');
const Module = require('node:module');

const srcDir = path.join(__dirname, '..', 'src');
const entry = path.join(srcDir, 'main.ts');
const cacheDir = path.join(__dirname, '..', '..', '..', 'node_modules', '.cache', 'osa-gitops');
const cacheCode = path.join(cacheDir, 'cli-bundle.cjs');
const cacheKey = path.join(cacheDir, 'cli-bundle.json');

function fingerprint(file) {
  const st = fs.statSync(file);
  return `${st.size}:${st.mtimeMs}`;
}

function readCache(esbuildVersion) {
  if (process.env.OSA_GITOPS_NO_CACHE) return undefined;
  try {
    const key = JSON.parse(fs.readFileSync(cacheKey, 'utf8'));
    if (key.esbuild !== esbuildVersion || key.bin !== fingerprint(__filename)) return undefined;
    for (const [file, fp] of Object.entries(key.inputs)) if (fingerprint(file) !== fp) return undefined;
    return fs.readFileSync(cacheCode, 'utf8');
  } catch {
    return undefined; // no cache, or an input vanished: rebuild
  }
}

function writeCache(esbuildVersion, code, inputs) {
  if (process.env.OSA_GITOPS_NO_CACHE) return;
  try {
    const key = { esbuild: esbuildVersion, bin: fingerprint(__filename), inputs: {} };
    for (const file of inputs) key.inputs[file] = fingerprint(file);
    fs.mkdirSync(cacheDir, { recursive: true });
    // Temp + rename: two concurrent runs never read half a file.
    const tmp = `.${process.pid}.tmp`;
    fs.writeFileSync(cacheCode + tmp, code);
    fs.renameSync(cacheCode + tmp, cacheCode);
    fs.writeFileSync(cacheKey + tmp, JSON.stringify(key));
    fs.renameSync(cacheKey + tmp, cacheKey);
  } catch {
    // Optional: a read-only node_modules only costs the next run a rebuild.
  }
}

async function bundle() {
  const esbuild = require('esbuild');
  const cached = readCache(esbuild.version);
  if (cached !== undefined) return cached;
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'silent',
    absWorkingDir: srcDir,
    plugins: [
      {
        name: 'osa-gitops-externals',
        setup(build) {
          // Bare imports other than our workspace packages are loaded from node_modules at run time.
          build.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@osa-gitops/') || path.isAbsolute(args.path)
              ? undefined
              : { path: args.path, external: true },
          );
          build.onLoad({ filter: /\.ts$/ }, (args) => {
            const dir = path.dirname(args.path);
            const text = fs
              .readFileSync(args.path, 'utf8')
              .replace(/\b__dirname\b/g, JSON.stringify(dir))
              .replace(/\b__filename\b/g, JSON.stringify(args.path));
            return { contents: text, loader: 'ts' };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0].text;
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.resolve(srcDir, p));
  writeCache(esbuild.version, code, inputs);
  return code;
}

async function run() {
  const filename = path.join(srcDir, 'main.bundle.cjs');
  const mod = new Module(filename, module);
  mod.filename = filename;
  mod.paths = Module._nodeModulePaths(srcDir);
  mod._compile(await bundle(), filename);
  await mod.exports.runFromProcess();
}

run().catch((err) => {
  process.stderr.write(`osa-gitops: ${err && err.stack ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
