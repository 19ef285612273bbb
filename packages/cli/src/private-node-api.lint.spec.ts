import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..', '..');

/** Lint `code` as if it were `file` (relative to the repository root), with the repository's config. */
async function lint(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => `${m.line}:${m.ruleId}`);
}

// The rule in eslint.config.mjs that keeps Node's private module internals out of every package
// and bin; `npm test` runs it over the real files, this shows it fires and where.
describe('no private Node APIs (eslint.config.mjs)', { timeout: 60_000 }, () => {
  it('fires in a CommonJS bin on Module._compile, _nodeModulePaths and process.binding, however written', async () => {
    const code = [
      "const Module = require('node:module');",
      'const m = new Module("x");',
      'm._compile("1", "x.js");',
      'Module._nodeModulePaths("/");',
      "process.binding('fs');",
      "m['_compile']('1', 'x.js');",
      'const { _load } = Module;',
      'module.exports = { m, _load };',
    ].join('\n');
    expect(await lint('packages/cli/bin/example.cjs', code)).toEqual([
      '3:no-restricted-syntax',
      '4:no-restricted-syntax',
      '5:no-restricted-properties',
      '6:no-restricted-syntax',
      '7:no-restricted-syntax',
    ]);
  });

  it('fires in TypeScript sources of any package', async () => {
    const code = "import Module from 'node:module';\n(Module as any)._resolveFilename('x', null);\n";
    expect(await lint('packages/core/src/example.ts', code)).toEqual(['2:no-restricted-syntax']);
  });

  it('lets the public APIs through', async () => {
    const code = [
      "const { createRequire } = require('node:module');",
      "const vm = require('node:vm');",
      'const r = createRequire(__filename);',
      "module.exports = { r, s: new vm.Script('1') };",
    ].join('\n');
    expect(await lint('packages/cli/bin/example.cjs', code)).toEqual([]);
  });
});
