import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CreateDependenciesContext } from '@nx/devkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createDependencies } from './create-dependencies';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'osa-deps-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): { file: string; hash: string } {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
  return { file: rel, hash: '0' };
}

describe('createDependencies', () => {
  it('adds a static edge per relative import into another environments project', async () => {
    const a = write(
      'environments/a/environment.ts',
      "import { base } from '../_shared/base';\nexport default base;\n",
    );
    const aHosts = write('environments/a/hosts.ts', "export * from '../b/hosts.js';\nimport './local';\n");
    const b = write(
      'environments/b/environment.ts',
      "import { defineEnvironment } from '@osa-gitops/core';\n",
    );
    const project = (name: string, root: string) => ({ name, root });
    const context = {
      workspaceRoot: root,
      projects: {
        'site-a': project('site-a', 'environments/a'),
        'site-b': project('site-b', 'environments/b'),
        'environments-shared': project('environments-shared', 'environments/_shared'),
      },
      filesToProcess: { projectFileMap: { 'site-a': [a, aHosts], 'site-b': [b] }, nonProjectFiles: [] },
    } as unknown as CreateDependenciesContext;

    const deps = await createDependencies(undefined, context);
    expect(deps).toEqual([
      { source: 'site-a', target: 'environments-shared', sourceFile: a.file, type: 'static' },
      { source: 'site-a', target: 'site-b', sourceFile: aHosts.file, type: 'static' },
    ]);
  });
});
