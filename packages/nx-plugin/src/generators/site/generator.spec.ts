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

  it('models the management VLAN on the bond, with the host address, route and DNS', async () => {
    await siteGenerator(tree, { name: 'new-site' });
    const text = tree.read('environments/new-site/environment.ts', 'utf-8')!;
    expect(text).toMatch(
      /\{\s*id: 10,\s*bridge: 'br-mgmt',\s*address: 'host-ip',\s*gateway: '10\.\d+\.0\.1',\s*dns: \['10\.\d+\.0\.2'\],?\s*\}/,
    );
    expect(text).toContain('complete: true');
    // Every placeholder block says what to fill in.
    expect(text.match(/\/\/ FILL IN: /g)?.length).toBeGreaterThanOrEqual(7);
    expect(text).toContain('docs/definition-reference.md');

    expect((await syncSiteTrees(tree)).issues).toEqual([]);
    // The host_vars take over the hosts' networking: br-mgmt on VLAN 10 of bond0 carries the ip.
    const hostVars = tree.read('environments/new-site/openstack_deploy/host_vars/infra1.yml', 'utf-8')!;
    expect(hostVars).toMatch(/br-mgmt/);
    expect(hostVars).toMatch(/VLAN:\s+Id: 10\b/);
    const ip = /infra1: \{\s*ip: '([\d.]+)'/.exec(text)![1]!;
    expect(hostVars).toContain(ip);
  });

  it('without the management VLAN, the existing bridge rules say the bond leaves br-mgmt out', async () => {
    await siteGenerator(tree, { name: 'new-site' });
    const file = 'environments/new-site/environment.ts';
    const text = tree.read(file, 'utf-8')!;
    const noVlan = text.replace(/\{\s*id: 10,\s*bridge: 'br-mgmt',[^}]*\},?/, '');
    expect(noVlan).not.toBe(text);
    tree.write(file, noVlan);
    const complete = (await syncSiteTrees(tree)).issues.map((i) => i.code);
    expect(complete).toEqual(expect.arrayContaining(['HOST_BRIDGE_MISSING', 'HOST_MANAGEMENT_UNMODELLED']));
    tree.write(file, noVlan.replace('complete: true,', 'complete: false,'));
    const partial = (await syncSiteTrees(tree)).issues;
    expect(partial.map((i) => [i.code, i.severity])).toContainEqual(['HOST_BRIDGE_MAYBE_MISSING', 'warning']);
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
