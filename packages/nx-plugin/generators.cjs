'use strict';
// generators.json points `render` and `sync` here (`./generators.cjs#syncGenerator`): a cached
// build of src/generators/index.ts instead of TypeScript through Nx's transpiler
// (bin/cached-build.cjs).
module.exports = require('./bin/cached-build.cjs').load('generators', 'generators/index.ts');
