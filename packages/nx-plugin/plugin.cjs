'use strict';
// Nx's door to the plugin (package.json `main`): `createNodesV2` and `createDependencies` from
// src/index.ts, through a cached build (bin/cached-build.cjs says why: Nx's TypeScript
// transpiler cost ~0.5 s of every `nx` command). Loaded on every Nx command, so it stays small.
module.exports = require('./bin/cached-build.cjs').load('plugin', 'index.ts');
