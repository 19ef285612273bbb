import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { syncSiteTrees } from '../../lib/sync-site-trees';
import { copyEnvironmentSources, readTreeFolder, WORKSPACE_ROOT } from '../../testing/environment-fixtures';
import { importGenerator } from './generator';

const committed = (site: string) => path.join(WORKSPACE_ROOT, 'environments', site, 'openstack_deploy');

describe('import generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    copyEnvironmentSources(tree, []);
  });

  it('imports a rendered example tree into a definition that renders the same YAML', async () => {
    await importGenerator(tree, { configDir: committed('dc-east'), site: 'dc-east' });
    const text = tree.read('environments/dc-east/environment.ts', 'utf-8')!;
    expect(text).toContain('...fleetBase,');
    expect(text).toContain("bondMembers: bondNics('02:30:00:00:01')");
    const result = await syncSiteTrees(tree);
    expect(result.issues).toEqual([]);
    const rendered = readTreeFolder(tree, 'environments/dc-east/openstack_deploy');
    expect(Object.keys(rendered).filter((p) => p.endsWith('.yml')).length).toBeGreaterThan(3);
    for (const [rel, yaml] of Object.entries(rendered)) {
      if (!rel.endsWith('.yml')) continue;
      const before = readFileSync(path.join(committed('dc-east'), rel), 'utf8');
      expect(parse(yaml, { version: '1.1' }), rel).toEqual(parse(before, { version: '1.1' }));
    }
  }, 60_000);

  it('writes a definition with validation errors, then fails (as the CLI exits 1)', async () => {
    copyEnvironmentSources(tree, ['dc-east']);
    const done = await importGenerator(tree, { configDir: committed('dc-east'), site: 'dc-north' });
    expect(tree.exists('environments/dc-north/environment.ts')).toBe(true);
    expect(done).toBeTypeOf('function');
    expect(() => done!()).toThrow(
      'Wrote environments/dc-north/environment.ts, which has validation errors: fix them (above), then render.',
    );
  }, 60_000);

  it('refuses an existing site and bad input, writing nothing', async () => {
    copyEnvironmentSources(tree, ['guide-lab']);
    const before = tree.listChanges().length;
    await expect(
      importGenerator(tree, { configDir: committed('guide-lab'), site: 'guide-lab' }),
    ).rejects.toThrow(/environments\/guide-lab exists already.*Nothing was written\./);
    await expect(importGenerator(tree, { configDir: WORKSPACE_ROOT + '/docs', site: 'x' })).rejects.toThrow(
      /not an OpenStack-Ansible config dir/,
    );
    expect(tree.listChanges().length).toBe(before);
  }, 60_000);
});
