#!/usr/bin/env node
'use strict';
/**
 * osa-gitops: runs the CLI's build, made on first use and cached; no build step to remember.
 *
 * `build-cli.cjs` bundles src/main.ts, the workspace packages and the npm dependencies (esbuild
 * and TypeScript excepted) into one CommonJS file. It is cached in node_modules/.cache/osa-gitops/
 * as `cli-<key>.cjs`, the key a hash of the size and mtime of every file the last build read
 * (listed in inputs.json) plus Node's and esbuild's versions: any edit to the sources makes the
 * next run build again (a few hundred ms); an unchanged checkout runs the cached file with V8's
 * code cache next to it (`cli-<key>.v8`). The cache and running it are the loader's
 * bin/own-build.cjs, shared with the Nx plugin.
 * `npm ci --ignore-scripts` needs no install step for this. OSA_GITOPS_NO_CACHE=1 skips the cache;
 * where node_modules is read-only the build runs from memory through `vm` and `createRequire`
 * (public APIs only).
 *
 * A lone argument that reads nothing (`--help`, `--version`, …: the build's `staticAnswers()`) is
 * answered from `cli-<key>.answers.json`, written beside the cached build the first time it runs:
 * the same key, so never from an older build, and without loading the build at all.
 */
const fs = require('node:fs');
const path = require('node:path');
const { cacheOf, runCommonJs } = require('@osa-gitops/loader/bin/own-build.cjs');

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

function runFromMemory(code) {
  return runCommonJs(code, path.join(cliDir, 'src', 'main.bundle.cjs'), undefined);
}

async function load(cached) {
  if (cached !== undefined)
    return withAnswers(cached, runCommonJs(fs.readFileSync(cached, 'utf8'), cached, codeCacheFile(cached)));
  const { code, inputs } = await require('./build-cli.cjs').buildCli();
  const stored = storeBuild(code, inputs);
  return stored !== undefined
    ? withAnswers(stored, runCommonJs(code, stored, codeCacheFile(stored)))
    : runFromMemory(code);
}

/** `cli-<key>.v8` next to `cli-<key>.cjs`: removed with it when the key changes. */
function codeCacheFile(build) {
  return build.replace(/\.cjs$/, '.v8');
}

/** `cli-<key>.answers.json` next to `cli-<key>.cjs`: removed with it when the key changes. */
function answersFile(build) {
  return build.replace(/\.cjs$/, '.answers.json');
}

/** Writes the build's static answers beside it once (a temporary file and a rename); returns the CLI. */
function withAnswers(build, cli) {
  const file = answersFile(build);
  if (!fs.existsSync(file)) {
    try {
      fs.writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(cli.staticAnswers()));
      fs.renameSync(`${file}.${process.pid}.tmp`, file);
    } catch {
      // read-only cache: the next run loads the build to answer
    }
  }
  return cli;
}

/** The answer kept beside the cached build for this lone argument, or undefined. */
function staticAnswer(cached, argv) {
  if (cached === undefined || argv.length !== 1) return undefined;
  try {
    const answers = JSON.parse(fs.readFileSync(answersFile(cached), 'utf8'));
    return Object.hasOwn(answers, argv[0]) ? answers[argv[0]] : undefined;
  } catch {
    return undefined; // not written yet
  }
}

const cached = cachedBuild();
const answer = staticAnswer(cached, process.argv.slice(2));
if (answer !== undefined) {
  process.stdout.on('error', () => {}); // a reader that went away (| head -0) is not an error
  process.stdout.write(answer.stdout);
  process.exitCode = answer.exitCode;
} else {
  run(cached);
}

function run(cached) {
  load(cached)
    .then((cli) => cli.runFromProcess())
    .catch((err) => {
      process.stderr.write(`osa-gitops: ${err && err.stack ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    });
}
