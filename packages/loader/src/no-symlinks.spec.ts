import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSites } from './compile-sites';
import { discoverSites } from './discover-sites';
import { findSymlink, findSymlinkSync, refuseSymlinksSync, SymlinkRefusedError } from './no-symlinks';
import { createTestWorkspace } from './test-workspace';

const DEFINITION = "export default { name: 'lab' };\n";

describe('findSymlink', () => {
  it('names the first linked component, the last one included, with lstat', async () => {
    const root = createTestWorkspace({ 'environments/lab/openstack_deploy/a.yml': 'a\n', 'target/x': 'x\n' });
    const env = path.join(root, 'environments');
    fs.symlinkSync('../../../target', path.join(env, 'lab/openstack_deploy/linked'));
    fs.symlinkSync('a.yml', path.join(env, 'lab/openstack_deploy/b.yml'));
    const cases: [string, string | undefined][] = [
      ['environments/lab/openstack_deploy/a.yml', undefined],
      ['environments/lab/openstack_deploy/b.yml', 'environments/lab/openstack_deploy/b.yml'],
      ['environments/lab/openstack_deploy/linked/x', 'environments/lab/openstack_deploy/linked'],
      ['environments/lab/openstack_deploy/missing/deeper', undefined],
      ['environments/lab/openstack_deploy/a.yml/below-a-file', undefined],
    ];
    for (const [rel, link] of cases) {
      expect(findSymlinkSync(root, rel), rel).toBe(link);
      expect(await findSymlink(root, rel), rel).toBe(link);
    }
    expect(() => refuseSymlinksSync(root, 'environments/lab/openstack_deploy/b.yml')).toThrow(
      SymlinkRefusedError,
    );
    expect(() => findSymlinkSync(root, '../x')).toThrow(/not a relative path/);
  });

  it('checks environments/ and the site folder themselves', () => {
    const root = createTestWorkspace({ 'real/lab/environment.ts': DEFINITION });
    fs.symlinkSync('real', path.join(root, 'environments'));
    expect(findSymlinkSync(root, 'environments/lab/environment.ts')).toBe('environments');
  });
});

describe('loading a workspace with links under environments/', () => {
  it('refuses a linked site folder, definition or rendered tree folder as that site’s LOAD_FAILED', async () => {
    const root = createTestWorkspace({
      'environments/real/environment.ts': DEFINITION,
      'environments/def-link/openstack_deploy/.keep': '',
      'environments/tree-link/environment.ts': "export default { name: 'tree-link' };\n",
      'outside/environment.ts': "export default { name: 'site-link' };\n",
      'outside/openstack_deploy/secret.yml': 'secret\n',
    });
    const env = path.join(root, 'environments');
    fs.symlinkSync('../outside', path.join(env, 'site-link'));
    fs.symlinkSync('../real/environment.ts', path.join(env, 'def-link/environment.ts'));
    fs.symlinkSync('../../outside/openstack_deploy', path.join(env, 'tree-link/openstack_deploy'));

    // Discovery keeps the linked entries, so they fail loudly instead of vanishing.
    expect(discoverSites(root)).toEqual(['def-link', 'real', 'site-link', 'tree-link']);
    const ws = await compileSites(root, { sites: ['def-link', 'site-link', 'tree-link'] });
    expect(ws.ok).toBe(false);
    const byLink = Object.fromEntries(ws.sites.map((s) => [s.site, s.issues]));
    expect(byLink).toEqual({
      'def-link': [
        expect.objectContaining({
          code: 'LOAD_FAILED',
          file: 'environments/def-link/environment.ts',
          message: expect.stringMatching(
            /^environments\/def-link\/environment\.ts is a symbolic link;/,
          ) as string,
        }),
      ],
      'site-link': [expect.objectContaining({ code: 'LOAD_FAILED', file: 'environments/site-link' })],
      'tree-link': [
        expect.objectContaining({ code: 'LOAD_FAILED', file: 'environments/tree-link/openstack_deploy' }),
      ],
    });
  });

  it('throws SymlinkRefusedError when environments/ itself is a link (never an empty, green run)', async () => {
    const root = createTestWorkspace({ 'real/lab/environment.ts': DEFINITION });
    fs.symlinkSync('real', path.join(root, 'environments'));
    await expect(compileSites(root)).rejects.toThrow(SymlinkRefusedError);
    await expect(compileSites(root)).rejects.toThrow(/^environments is a symbolic link;/);
  });
});
