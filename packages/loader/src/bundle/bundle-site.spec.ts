import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateInWorkers } from '../evaluate/run-in-worker';
import { createFsSourceReader } from '../source-reader';
import { createTestWorkspace } from '../test-workspace';
import { bundleSite, bundleSites, PROMOTED_WARNINGS } from './bundle-site';
import { locateCore, type CoreLocation } from './core-location';
import { MAX_SOURCE_CHARS, MAX_SOURCE_NESTING, sourceCapError } from './import-policy-plugin';

const definition = (site: string, body: string): Record<string, string> => ({
  [`environments/${site}/environment.ts`]: body,
});

async function bundle(files: Record<string, string>, site: string, core: CoreLocation = locateCore()) {
  const root = createTestWorkspace(files);
  return bundleSite(root, site, createFsSourceReader(root), core);
}

/** One definition per promoted warning id; the offending code is on line 2. */
const TRIGGERS: Record<string, string> = {
  'duplicate-object-key': "export default {\n  name: 'x', hosts: {}, name: 'y' };\n",
  'duplicate-class-member':
    'class A {\n  f() { return 1; } f() { return 2; } }\nexport default { n: new A().f() };\n',
  'duplicate-case':
    'declare const x: number;\nlet r = 0; switch (x) { case 1: r = 1; break; case 1: r = 2; }\nexport default { r };\n',
  'equals-nan': 'declare const x: number;\nexport default { b: x === NaN };\n',
  'equals-negative-zero': 'declare const x: number;\nexport default { b: x === -0 };\n',
  'equals-new-object': 'declare const x: unknown;\nexport default { b: x === [] };\n',
  'impossible-typeof': "declare const x: unknown;\nexport default { b: typeof x === 'nul' };\n",
  'suspicious-boolean-not': 'declare const a: string, b: object;\nexport default { b: !a in b };\n',
  'suspicious-nullish-coalescing': 'const a = {};\nexport default { v: {} ?? a };\n',
  'semicolon-after-return': 'function f(): unknown {\n  return\n  [1, 2];\n}\nexport default { v: f() };\n',
  'commonjs-variable-in-esm':
    "declare const module: { exports: unknown };\nmodule.exports = { default: { name: 'b' } };\nexport default { name: 'a' };\n",
  'direct-eval': "const name = 'a';\nexport default { name: eval('name') };\n",
  'empty-import-meta': 'const x = 1;\nexport default { url: import.meta.url, x };\n',
};

describe('bundleSite: esbuild warnings that change meaning are errors', () => {
  it('has a trigger for every promoted id, and nothing else', () => {
    expect(Object.keys(TRIGGERS).sort()).toEqual([...PROMOTED_WARNINGS].sort());
  });

  it.each(Object.entries(TRIGGERS))('%s is LOAD_FAILED at its file:line:column', async (id, body) => {
    const result = await bundle(definition('s', body), 's');
    expect(result.ok, id).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    const [issue] = result.issues;
    expect(issue).toMatchObject({
      code: 'LOAD_FAILED',
      site: 's',
      file: 'environments/s/environment.ts',
      line: expect.any(Number) as number,
      column: expect.any(Number) as number,
    });
    expect(issue!.line, issue!.message).toBeGreaterThanOrEqual(2);
    expect(issue!.message).toContain('refused: the definition would not do what it reads as');
    expect(issue!.message).toContain(`environments/s/environment.ts:${issue!.line}:${issue!.column}`);
  });

  it('points a duplicate key at the second occurrence', async () => {
    const result = await bundle(
      definition(
        's',
        "export default {\n  hosts: {\n    infra1: { ip: '10.0.0.11' },\n    infra2: { ip: '10.0.0.12' },\n    infra1: { ip: '10.0.0.99' },\n  },\n};\n",
      ),
      's',
    );
    expect(result).toMatchObject({
      ok: false,
      issues: [
        {
          code: 'LOAD_FAILED',
          line: 5,
          column: 5,
          message: expect.stringContaining('Duplicate key "infra1" in object literal') as string,
        },
      ],
    });
  });

  it('refuses a duplicate key in an imported JSON file, at that file', async () => {
    const result = await bundle(
      {
        ...definition('s', "import hosts from './hosts.json';\nexport default { name: 's', hosts };\n"),
        'environments/s/hosts.json': '{\n  "a": 1,\n  "a": 2\n}\n',
      },
      's',
    );
    expect(result).toMatchObject({
      ok: false,
      issues: [{ code: 'LOAD_FAILED', file: 'environments/s/hosts.json', line: 3 }],
    });
  });

  it('still bundles a definition whose only warnings are not promoted', async () => {
    // A computed require only warns (or not at all); the worker refuses it when it runs.
    const result = await bundle(
      definition(
        's',
        'declare const require: (id: string) => unknown;\nexport default { r: typeof require };\n',
      ),
      's',
    );
    expect(result.ok).toBe(true);
  });
});

describe('bundleSite: npm packages used by core are bundled in, not required at run time', () => {
  /** A fake core in its own package folder, its dependencies hoisted next to it (npm workspaces). */
  function fakeCore(root: string): CoreLocation {
    const files: Record<string, string> = {
      'packages/core/package.json': '{ "name": "@osa-gitops/core" }\n',
      'packages/core/src/definition-api.ts':
        "import { shout } from 'tiny-dep';\nimport { readsFs } from 'fs-dep';\nexport const loud = (s: string): string => shout(s);\nexport const touchFs = (): unknown => readsFs();\n",
      'node_modules/tiny-dep/package.json': '{ "name": "tiny-dep", "main": "lib/index.js" }\n',
      'node_modules/tiny-dep/lib/index.js':
        "const { suffix } = require('./suffix');\nexports.shout = (s) => s.toUpperCase() + suffix;\n",
      'node_modules/tiny-dep/lib/suffix.js': "exports.suffix = '!';\n",
      'node_modules/fs-dep/package.json': '{ "name": "fs-dep" }\n',
      'node_modules/fs-dep/index.js': "exports.readsFs = () => require('fs').readFileSync;\n",
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const packageDir = fs.realpathSync(path.join(root, 'packages', 'core'));
    return { packageDir, entry: path.join(packageDir, 'src', 'definition-api.ts') };
  }

  it('runs a dependency of core inside the definition, and refuses a built-in it requires', async () => {
    const toolRoot = createTestWorkspace({});
    const core = fakeCore(toolRoot);
    const root = createTestWorkspace({
      ...definition('ok', "import { loud } from '@osa-gitops/core';\nexport default { name: loud('ok') };\n"),
      ...definition(
        'uses-fs',
        "import { touchFs } from '@osa-gitops/core';\nexport default { name: 'uses-fs', f: typeof touchFs() };\n",
      ),
    });
    const reader = createFsSourceReader(root);
    const built = await Promise.all(['ok', 'uses-fs'].map((s) => bundleSite(root, s, reader, core)));
    const bundles = built.map((b) => {
      if (!b.ok) throw new Error(JSON.stringify(b.issues));
      return b.bundle;
    });
    // The dependency's code is in the bundle; nothing is left to `require` from disk at run time.
    expect(bundles[0]!.code).toMatch(/exports\d*\.suffix = "!"/);
    for (const b of bundles) expect(b.code).not.toMatch(/require\(\s*["'`]\//);

    const outcomes = await evaluateInWorkers(
      bundles.map((b) => ({ site: b.site, code: b.code, filename: `osa-gitops-bundle:${b.site}.js` })),
      { timeoutMs: 10_000 },
    );
    expect(outcomes.get('ok')).toEqual({ kind: 'data', value: { name: 'OK!' } });
    expect(outcomes.get('uses-fs')).toMatchObject({
      kind: 'threw',
      forbidden: true,
      text: expect.stringContaining('require("fs") is not allowed in a definition') as string,
    });
  }, 60_000);

  it('reports a dependency of core that is not installed as LOAD_FAILED', async () => {
    const toolRoot = createTestWorkspace({
      'packages/core/package.json': '{ "name": "@osa-gitops/core" }\n',
      'packages/core/src/definition-api.ts': "export { x } from 'not-installed-anywhere';\n",
    });
    const packageDir = fs.realpathSync(path.join(toolRoot, 'packages', 'core'));
    const result = await bundle(
      definition('s', "import { x } from '@osa-gitops/core';\nexport default { x };\n"),
      's',
      { packageDir, entry: path.join(packageDir, 'src', 'definition-api.ts') },
    );
    expect(result).toMatchObject({
      ok: false,
      issues: [
        {
          code: 'LOAD_FAILED',
          message: expect.stringContaining('"not-installed-anywhere", which cannot be resolved') as string,
        },
      ],
    });
  });
});

describe('bundleSites: one build for many sites, each site its own result', () => {
  const good = (name: string): string =>
    `import { defineEnvironment } from '@osa-gitops/core';\nimport { shared } from '../_shared/s';\nexport default defineEnvironment({ name: '${name}', description: shared } as never);\n`;

  it('gives each bad site exactly the issues it has alone, and the good ones their bundles', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const files: Record<string, string> = { 'environments/_shared/s.ts': "export const shared = 'x';\n" };
    for (const n of names) Object.assign(files, definition(n, good(n)));
    Object.assign(files, definition('c', 'export default {\n  name: (;\n};\n'));
    Object.assign(files, definition('f', "import * as fs from 'node:fs';\nexport default { fs };\n"));
    const root = createTestWorkspace(files);
    const reader = createFsSourceReader(root);
    const batch = await bundleSites(root, names, reader, locateCore());
    expect([...batch.keys()].sort()).toEqual(names);
    for (const n of names) {
      const alone = await bundleSite(root, n, reader, locateCore());
      const together = batch.get(n)!;
      expect(together.ok, n).toBe(alone.ok);
      if (!together.ok && !alone.ok) expect(together.issues).toEqual(alone.issues);
      if (together.ok && alone.ok) expect(together.bundle.code).toBe(alone.bundle.code);
    }
    expect(batch.get('c')).toMatchObject({ ok: false, issues: [{ code: 'LOAD_FAILED', line: 2 }] });
    expect(batch.get('f')).toMatchObject({ ok: false, issues: [{ code: 'LOAD_FORBIDDEN_IMPORT' }] });
  });

  it('refuses a 600 KB file of nested brackets before esbuild parses it; the bundler survives for its neighbours', async () => {
    const root = createTestWorkspace({
      ...definition('bomb', `export default ${'['.repeat(600_000)}\n`),
      'environments/_shared/s.ts': "export const shared = 'x';\n",
      ...definition('after', good('after')),
    });
    const batch = await bundleSites(root, ['bomb', 'after'], createFsSourceReader(root), locateCore());
    expect(batch.get('bomb')).toMatchObject({
      ok: false,
      issues: [
        {
          code: 'LOAD_FAILED',
          file: 'environments/bomb/environment.ts',
          message: expect.stringContaining(`more than ${MAX_SOURCE_NESTING} levels deep`) as string,
        },
      ],
    });
    expect(batch.get('after')?.ok).toBe(true);
  });

  it('caps nesting through imported files too, and the size of any definition file', () => {
    expect(
      sourceCapError(`${'{'.repeat(MAX_SOURCE_NESTING)}${'}'.repeat(MAX_SOURCE_NESTING)}`),
    ).toBeUndefined();
    expect(sourceCapError('('.repeat(MAX_SOURCE_NESTING + 1))).toContain('levels deep');
    expect(sourceCapError(`// ${'x'.repeat(MAX_SOURCE_CHARS)}`)).toContain('characters long');
  });

  it('refuses exactly the texts whose brackets nest deeper than the cap, whatever lies between them', () => {
    // The depth a plain walk over every character finds (what the cap means).
    const deepest = (text: string): number => {
      let depth = 0;
      let max = 0;
      for (const c of text) {
        if ('[{('.includes(c)) max = Math.max(max, ++depth);
        else if (']})'.includes(c) && depth > 0) depth--;
      }
      return max;
    };
    const chunks = [
      '[',
      '{',
      '(',
      ']',
      '}',
      ')',
      'x',
      ' ',
      "'",
      '\n',
      '{'.repeat(64),
      '('.repeat(100),
      ')'.repeat(50),
    ];
    let seed = 42; // a fixed linear congruential sequence: the same 2,000 texts on every run
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    let refused = 0;
    for (let run = 0; run < 2000; run++) {
      const text = Array.from({ length: next(40) }, () => chunks[next(chunks.length)]).join('');
      const tooDeep = deepest(text) > MAX_SOURCE_NESTING;
      expect(sourceCapError(text) !== undefined, text).toBe(tooDeep);
      if (tooDeep) refused++;
    }
    expect(refused).toBeGreaterThan(100); // both sides of the cap are exercised
  });
});
