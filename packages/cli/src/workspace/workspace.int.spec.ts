import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toRenderedTree } from '@osa-gitops/core';
import { MANIFEST_FILE } from '@osa-gitops/render';
import { createWorkspace, type Workspace } from '../test-utils/workspace-fixture';
import { siteTreeDir, readCommittedTree } from './committed-tree';
import { compileWorkspace } from './compile-workspace';
import { findStaleFiles } from './find-stale-files';
import { writeSiteTree } from './write-site-tree';

let ws: Workspace;
beforeEach(async () => {
  ws = await createWorkspace();
});
afterEach(async () => {
  await ws[Symbol.asyncDispose]();
});

const manifest = (site: string, files: string[]) =>
  `${JSON.stringify({ generator: 'osa-gitops', site, source: `environments/${site}/environment.ts`, files: [...files, MANIFEST_FILE].sort() }, null, 2)}\n`;

describe('compileWorkspace', () => {
  it('loads every site for fleet checks and returns the requested ones', async () => {
    await ws.writeSite({ name: 'dc-a', index: 1 });
    await ws.writeSite({ name: 'dc-b', index: 2 });
    const result = await compileWorkspace(ws.root, { sites: ['dc-b'] });
    expect(result.ok).toBe(true);
    expect(result.sites.map((s) => s.site)).toEqual(['dc-b']);
    expect(result.sites[0]!.tree!.has('openstack_user_config.yml')).toBe(true);
  });

  it('validates without rendering when asked (render: false): the same issues, no trees', async () => {
    await ws.writeSite({ name: 'dc-a', index: 1, vlan: 5000 }); // VLAN_ID_RANGE
    await ws.writeSite({ name: 'dc-b', index: 2 });
    await ws.writeSite({ name: 'dc-c', index: 2 }); // FLEET_NETWORK_OVERLAP with dc-b
    const rendered = await compileWorkspace(ws.root);
    const validated = await compileWorkspace(ws.root, { render: false });
    expect(rendered.sites.filter((s) => s.tree !== undefined).map((s) => s.site)).toEqual(['dc-b', 'dc-c']);
    expect(validated.sites.filter((s) => s.tree !== undefined)).toEqual([]);
    const withoutTrees = rendered.sites.map(({ tree: _tree, ...rest }) => rest);
    expect(validated.sites).toEqual(withoutTrees);
    expect(validated.fleetIssues).toEqual(rendered.fleetIssues);
    expect(validated.fleetIssues.map((i) => i.code)).toContain('FLEET_NETWORK_OVERLAP');
    expect(validated.sites[0]!.issues.map((i) => i.code)).toContain('VLAN_ID_RANGE');
  });

  it('reports fleet issues between sites (same networks twice)', async () => {
    await ws.writeSite({ name: 'dc-a', index: 1 });
    await ws.writeSite({ name: 'dc-b', index: 1 });
    const result = await compileWorkspace(ws.root);
    expect(result.ok).toBe(false);
    expect(result.fleetIssues.map((i) => i.code)).toContain('FLEET_NETWORK_OVERLAP');
  });

  it('keeps a fleet conflict when either of its sites is requested', async () => {
    await ws.writeSite({ name: 'dc-a', index: 1 });
    await ws.writeSite({ name: 'dc-b', index: 2 });
    await ws.writeSite({ name: 'dc-new', index: 1 }); // a copy of dc-a's networks and VIPs
    for (const site of ['dc-a', 'dc-new']) {
      const result = await compileWorkspace(ws.root, { sites: [site] });
      expect(result.ok).toBe(false);
      expect(result.fleetIssues.map((i) => i.code)).toContain('FLEET_NETWORK_OVERLAP');
      expect(new Set(result.fleetIssues.map((i) => i.site))).toEqual(new Set([site]));
      expect(result.fleetIssues.every((i) => i.file === `environments/${site}/environment.ts`)).toBe(true);
    }
    const untouched = await compileWorkspace(ws.root, { sites: ['dc-b'] });
    expect(untouched).toMatchObject({ ok: true, fleetIssues: [], invalidElsewhere: ['dc-a', 'dc-new'] });
  });

  it('returns a missing requested site with a load issue instead of ignoring it', async () => {
    await ws.writeSite({ name: 'dc-a', index: 1 });
    const result = await compileWorkspace(ws.root, { sites: ['dc-zz'] });
    expect(result.ok).toBe(false);
    expect(result.sites[0]).toMatchObject({ site: 'dc-zz', issues: [{ code: 'LOAD_FAILED' }] });
  });
});

describe('writeSiteTree', () => {
  const tree = (files: Record<string, string>) =>
    toRenderedTree([...Object.entries(files), [MANIFEST_FILE, manifest('dc-a', Object.keys(files))]]);

  it('writes only changed files, removes owned orphans and never touches unowned files', async () => {
    const dir = siteTreeDir(ws.root, 'dc-a');
    const first = await writeSiteTree(
      ws.root,
      'dc-a',
      tree({ 'a.yml': 'a\n', 'host_vars/h1.yml': 'h1\n', 'keep.yml': 'k\n' }),
    );
    expect(first.written).toEqual(['a.yml', 'host_vars/h1.yml', 'keep.yml', MANIFEST_FILE]);
    await fs.writeFile(path.join(dir, 'operator-notes.txt'), 'mine\n');
    const keepInode = (await fs.stat(path.join(dir, 'keep.yml'))).ino;

    const second = await writeSiteTree(ws.root, 'dc-a', tree({ 'a.yml': 'a2\n', 'keep.yml': 'k\n' }));
    expect(second).toEqual({
      written: ['a.yml', MANIFEST_FILE],
      removed: ['host_vars/h1.yml'],
      unchanged: ['keep.yml'],
    });
    expect((await fs.stat(path.join(dir, 'keep.yml'))).ino).toBe(keepInode);
    await expect(fs.stat(path.join(dir, 'host_vars'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fs.readFile(path.join(dir, 'operator-notes.txt'), 'utf8')).toBe('mine\n');
    expect([...(await readCommittedTree(ws.root, 'dc-a')).keys()]).toEqual([
      'a.yml',
      'keep.yml',
      'operator-notes.txt',
      MANIFEST_FILE,
    ]);
    // No temp files left behind.
    expect((await fs.readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to write through a symlinked folder that leaves the tree', async () => {
    const dir = siteTreeDir(ws.root, 'dc-a');
    const outside = path.join(ws.root, 'outside');
    await fs.mkdir(outside);
    await fs.mkdir(dir, { recursive: true });
    await fs.symlink(outside, path.join(dir, 'host_vars'));
    await expect(writeSiteTree(ws.root, 'dc-a', tree({ 'host_vars/h1.yml': 'x\n' }))).rejects.toThrow(/link/);
    expect(await fs.readdir(outside)).toEqual([]);
  });
});

describe('findStaleFiles', () => {
  it('reports missing, changed and orphan files with diffs, ignoring unowned files', async () => {
    await ws.writeSite({ name: 'dc-a', index: 1, haproxyHosts: 3 });
    const three = (await compileWorkspace(ws.root)).sites[0]!;
    await writeSiteTree(ws.root, 'dc-a', three.tree!);
    expect(await findStaleFiles(ws.root, three)).toEqual([]);

    await ws.writeSite({ name: 'dc-a', index: 1, haproxyHosts: 2 });
    const two = (await compileWorkspace(ws.root)).sites[0]!;
    const dir = siteTreeDir(ws.root, 'dc-a');
    await fs.rm(path.join(dir, 'env.d/haproxy.yml'));
    await fs.writeFile(path.join(dir, 'unowned.yml'), 'x\n');
    const stale = await findStaleFiles(ws.root, two);
    expect(stale.map((f) => [f.path, f.kind])).toEqual([
      ['env.d/haproxy.yml', 'missing'],
      ['host_vars/dc-a-infra3.yml', 'orphan'],
      ['openstack_user_config.yml', 'changed'],
      [MANIFEST_FILE, 'changed'],
    ]);
    expect(stale[2]!.diff).toContain('-  dc-a-infra3:');
  });
});
