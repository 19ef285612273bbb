import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { syncSiteTrees } from '../../lib/sync-site-trees';
import { copyEnvironmentSources } from '../../testing/environment-fixtures';
import { siteGenerator } from './generator';

describe('site generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    copyEnvironmentSources(tree, ['guide-lab', 'dc-east']);
  });

  it('scaffolds a definition that imports the shared base and validates clean, fleet included', async () => {
    await siteGenerator(tree, { name: 'new-site' });
    const text = tree.read('environments/new-site/environment.ts', 'utf-8')!;
    expect(text).toContain("from '../_shared/base'");
    expect(text).toMatch(/name: ['"]new-site['"]/);

    const result = await syncSiteTrees(tree);
    expect(result.issues).toEqual([]);
    expect(tree.exists('environments/new-site/openstack_deploy/openstack_user_config.yml')).toBe(true);
  });

  it('gives a second scaffold its own addresses', async () => {
    await siteGenerator(tree, { name: 'one' });
    await siteGenerator(tree, { name: 'two' });
    expect((await syncSiteTrees(tree)).issues).toEqual([]);
  });

  it.each(['Bad', 'under_score', '../escape', '-lead', 'a'.repeat(33)])(
    'refuses the invalid name %j',
    async (name) => {
      await expect(siteGenerator(tree, { name })).rejects.toThrow(/not a valid site name/);
    },
  );

  it('refuses an existing site', async () => {
    await expect(siteGenerator(tree, { name: 'guide-lab' })).rejects.toThrow(/already exists/);
  });
});
