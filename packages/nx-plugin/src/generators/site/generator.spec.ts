import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { syncSiteTrees } from '../../lib/sync-site-trees';
import { copyEnvironmentSources } from '../../testing/environment-fixtures';
import { siteGenerator } from './generator';

const FILE = 'environments/new-site/environment.ts';

/** The scaffold with every `placeholder(x)` replaced by `x`, as an operator fills it in. */
function fillIn(tree: Tree, file = FILE): string {
  const text = tree.read(file, 'utf-8')!;
  const filled = text.replace(/placeholder\(((?:[^()]|\([^()]*\))*)\)/g, '$1');
  tree.write(file, filled);
  return filled;
}

describe('site generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    copyEnvironmentSources(tree, ['guide-lab', 'dc-east']);
  });

  it('scaffolds a definition that fails with PLACEHOLDER at the line of each placeholder, and nothing else', async () => {
    await siteGenerator(tree, { name: 'new-site' });
    const text = tree.read(FILE, 'utf-8')!;
    expect(text).toContain("from '../_shared/base'");
    expect(text).toMatch(/name: ['"]new-site['"]/);

    const result = await syncSiteTrees(tree);
    expect(new Set(result.issues.map((i) => [i.code, i.severity, i.site].join(' ')))).toEqual(
      new Set(['PLACEHOLDER error new-site']),
    );
    // Addresses, VLAN ids, MACs and the runner label; each issue at the line that has it.
    const lines = text.split('\n');
    const code = (l: string) => !/^\s*(\*|\/\/|\/\*)/.test(l);
    const withPlaceholder = lines.flatMap((l, i) => (code(l) && l.includes('placeholder(') ? [i + 1] : []));
    expect(withPlaceholder.length).toBeGreaterThanOrEqual(15);
    expect(result.issues.every((i) => i.file === FILE)).toBe(true);
    expect(new Set(result.issues.map((i) => i.line))).toEqual(new Set(withPlaceholder));
    expect(result.issues).toHaveLength(withPlaceholder.length);
    for (const path of [
      'networks.container',
      'hostNetworking.vlans.0.id',
      'hosts.infra2.bondMembers',
      'haproxy.vips.external',
      'deploy.runnerLabel',
    ]) {
      const found = result.issues.find((i) => i.path.join('.') === path);
      expect(found, path).toBeDefined();
      expect(lines[found!.line! - 1]).toContain(`${String(found!.path.at(-1))}: placeholder(`);
    }
    expect(result.issues.find((i) => i.path.join('.') === 'networks.container')!.message).toMatch(
      /^placeholder "10\.\d+\.0\.0\/22" from the scaffold is still here; expected the site's own value/,
    );
    // Nothing renders while a placeholder is left.
    expect(tree.exists('environments/new-site/openstack_deploy')).toBe(false);

    // One left is still one too many.
    const filled = fillIn(tree);
    tree.write(FILE, filled.replace('vlan: 100,', 'vlan: placeholder(100),'));
    expect((await syncSiteTrees(tree)).issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['PLACEHOLDER', 'haproxy.publicNetwork.vlan'],
    ]);
  });

  it('with every placeholder replaced, validates clean (fleet included) and renders', async () => {
    await siteGenerator(tree, { name: 'new-site' });
    fillIn(tree);
    const result = await syncSiteTrees(tree);
    expect(result.issues).toEqual([]);
    expect(tree.exists('environments/new-site/openstack_deploy/openstack_user_config.yml')).toBe(true);
  });

  it('models the management VLAN on the bond, with the host address, route and DNS', async () => {
    await siteGenerator(tree, { name: 'new-site' });
    const text = fillIn(tree);
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
    const file = FILE;
    const text = fillIn(tree);
    const noVlan = text.replace(/\{\s*id: 10,\s*bridge: 'br-mgmt',[^}]*\},?/, '');
    expect(noVlan).not.toBe(text);
    tree.write(file, noVlan);
    const complete = (await syncSiteTrees(tree)).issues.map((i) => i.code);
    expect(complete).toEqual(expect.arrayContaining(['HOST_BRIDGE_MISSING', 'HOST_MANAGEMENT_UNMODELLED']));
    tree.write(file, noVlan.replace('complete: true,', 'complete: false,'));
    const partial = (await syncSiteTrees(tree)).issues;
    expect(partial.map((i) => [i.code, i.severity])).toContainEqual(['HOST_BRIDGE_MAYBE_MISSING', 'warning']);
  });

  it('gives a second scaffold its own addresses (read through the first one’s placeholders)', async () => {
    await siteGenerator(tree, { name: 'one' });
    await siteGenerator(tree, { name: 'two' });
    fillIn(tree, 'environments/one/environment.ts');
    fillIn(tree, 'environments/two/environment.ts');
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
