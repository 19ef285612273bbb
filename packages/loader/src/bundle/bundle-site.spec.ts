import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateInWorkers } from '../evaluate/run-in-worker';
import { createFsSourceReader } from '../source-reader';
import { createTestWorkspace } from '../test-workspace';
import { bundleSite } from './bundle-site';
import { locateCore, type CoreLocation } from './core-location';

const definition = (site: string, body: string): Record<string, string> => ({
  [`environments/${site}/environment.ts`]: body,
});

async function bundle(files: Record<string, string>, site: string, core: CoreLocation = locateCore()) {
  const root = createTestWorkspace(files);
  return bundleSite(root, site, createFsSourceReader(root), core);
}

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
