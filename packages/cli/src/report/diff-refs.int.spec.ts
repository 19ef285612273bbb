import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_COMMAND } from '@osa-gitops/report';
import { Git, UnknownRefError } from '@osa-gitops/git';
import { CommittedTrees } from '../git/committed-trees';
import { main } from '../main';
import { createWorkspace, fakeIo, type SiteSpec, type Workspace } from '../test-utils/workspace-fixture';
import { readDeploySettings } from './deploy-settings';
import { diffRefs } from './diff-refs';

/**
 * One real repository with a commit per kind of change, rendered by the real `render` command:
 *   c0 two sites → c1 VIP moved (dc-a) → c2 VLAN changed (dc-a) → c3 haproxy host added (dc-b)
 *   → c4 site added (dc-c) → c5 site removed (dc-b).
 */
let ws: Workspace;
const c: string[] = [];
const a: SiteSpec = { name: 'dc-a', index: 1 };
const b: SiteSpec = { name: 'dc-b', index: 2 };

async function renderAndCommit(message: string): Promise<string> {
  const io = fakeIo(ws.root);
  const rc = await main(['render'], io);
  expect(rc, io.stdoutText() + io.stderrText()).toBe(0);
  return ws.commit(message);
}

beforeAll(async () => {
  ws = await createWorkspace();
  await ws.writeSite(a);
  await ws.writeSite(b);
  c.push(await renderAndCommit('two sites'));
  await ws.writeSite({ ...a, externalVipHost: 11 });
  c.push(await renderAndCommit('move the external VIP of dc-a'));
  await ws.writeSite({ ...a, externalVipHost: 11, vlan: 44 });
  c.push(await renderAndCommit('dc-a public VLAN 40 -> 44'));
  await ws.writeSite({ ...b, haproxyHosts: 3 });
  c.push(await renderAndCommit('dc-b: third haproxy host'));
  await ws.writeSite({ name: 'dc-c', index: 3 });
  c.push(await renderAndCommit('add dc-c'));
  await ws.removeSite('dc-b');
  c.push(await renderAndCommit('remove dc-b'));
}, 120_000);

afterAll(async () => {
  await ws?.[Symbol.asyncDispose]();
});

const kinds = async (base: string, head?: string) =>
  (await diffRefs(ws.root, base, head)).sites.map((s) => [s.site, s.status, s.changes.map((x) => x.kind)]);

describe('diffRefs on a real repository', () => {
  it('sees a moved VIP', async () => {
    const report = await diffRefs(ws.root, c[0]!, c[1]!);
    expect(report.sites).toHaveLength(1);
    expect(report.sites[0]!.changes).toMatchObject([
      { kind: 'external-vip-moved', before: '100.64.1.10', after: '100.64.1.11', disruption: 'vip-failover' },
    ]);
    expect(report.plan.steps.map((s) => [s.site, s.command])).toEqual([['dc-a', DEPLOY_COMMAND]]);
  });

  it('sees a changed VLAN id on every haproxy host', async () => {
    const report = await diffRefs(ws.root, c[1]!, c[2]!);
    expect(report.sites[0]!.changes).toMatchObject([
      {
        kind: 'vlan-id-changed',
        before: '40',
        after: '44',
        files: ['host_vars/dc-a-infra1.yml', 'host_vars/dc-a-infra2.yml'],
      },
    ]);
  });

  it('sees a haproxy host added', async () => {
    // The new host joins shared-infra_hosts too: reported as file-changed, not hidden.
    expect(await kinds(c[2]!, c[3]!)).toEqual([['dc-b', 'changed', ['haproxy-host-added', 'file-changed']]]);
    const report = await diffRefs(ws.root, c[2]!, c[3]!);
    expect(report.sites[0]!.changes[1]!.summary).toBe(
      'openstack_user_config.yml: shared-infra_hosts.dc-b-infra3.ip added',
    );
  });

  it('sees a site added and a site removed, and does not deploy the removed one', async () => {
    expect(await kinds(c[3]!, c[4]!)).toEqual([['dc-c', 'added', ['site-added']]]);
    const report = await diffRefs(ws.root, c[4]!, c[5]!);
    expect(report.sites.map((s) => [s.site, s.status])).toEqual([['dc-b', 'removed']]);
    expect(report.plan.steps).toEqual([]);
    expect(report.plan.skipped).toMatchObject([{ site: 'dc-b' }]);
  });

  it('combines everything between the first and the last commit', async () => {
    expect(await kinds(c[0]!, c[5]!)).toEqual([
      ['dc-a', 'changed', ['external-vip-moved', 'vlan-id-changed']],
      ['dc-b', 'removed', ['site-removed']],
      ['dc-c', 'added', ['site-added']],
    ]);
  });

  it('compares with the working tree when head is omitted, with deploy settings from definitions', async () => {
    const report = await diffRefs(ws.root, c[3]!, undefined, {
      deploySettings: (sites) => readDeploySettings(ws.root, sites),
    });
    expect(report.head).toBe('working tree');
    expect(report.plan.steps).toMatchObject([
      { site: 'dc-c', runnerLabel: 'osa-deploy-dc-c', configDir: '/etc/openstack_deploy' },
    ]);
    expect(report.plan.skipped).toMatchObject([{ site: 'dc-b' }]);
  });

  it('reads trees from git objects, not the working tree', async () => {
    const trees = await new CommittedTrees(Git.at(ws.root)).readTreesAtRef(c[0]!);
    expect([...trees.keys()]).toEqual(['dc-a', 'dc-b']);
    expect(trees.get('dc-a')!.get('user_variables_haproxy_lxc.yml')).toContain('100.64.1.10/32');
    expect([...trees.get('dc-b')!.keys()]).toContain('osa-gitops-manifest.json');
  });

  it('lists changed sites between refs', async () => {
    expect(await new CommittedTrees(Git.at(ws.root)).changedSites(c[0]!, c[5]!)).toEqual([
      'dc-a',
      'dc-b',
      'dc-c',
    ]);
    expect(await new CommittedTrees(Git.at(ws.root)).changedSites(c[5]!)).toEqual([]);
  });

  it('rejects unknown refs and option-like refs', async () => {
    await expect(diffRefs(ws.root, 'no-such-ref')).rejects.toBeInstanceOf(UnknownRefError);
    await expect(diffRefs(ws.root, '--output=/tmp/x')).rejects.toBeInstanceOf(UnknownRefError);
  });
});
