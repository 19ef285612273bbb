#!/usr/bin/env node
'use strict';
/**
 * osa-gitops: runs the TypeScript sources directly, with no build step to remember.
 *
 * The workspace's own packages (@osa-gitops/*, TypeScript) are bundled in memory with esbuild
 * (the async API: buildSync allows no plugins) and compiled as one CommonJS module whose filename sits in packages/cli/src, so
 * `require` of third-party packages (yaml, zod, simple-git, esbuild...) resolves from
 * node_modules as usual; those stay external, which keeps the bundle small and the cold start
 * short (measured in docs/cli.md). `__dirname`/`__filename` are rewritten per source file, so
 * code that locates files next to itself (the loader's worker) still finds them.
 */
const path = require('node:path');
const fs = require('node:fs');
const Module = require('node:module');

const srcDir = path.join(__dirname, '..', 'src');
const entry = path.join(srcDir, 'main.ts');

async function bundle() {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'silent',
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
  return result.outputFiles[0].text;
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
