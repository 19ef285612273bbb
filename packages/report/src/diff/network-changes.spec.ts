import { describe, expect, it } from 'vitest';
import { networkChanges } from './network-changes';
import { renderedSite, type SiteVariant } from './testing/rendered-site';

const base: SiteVariant = { site: 'dc1' };
const changesFor = (after: Partial<SiteVariant>) =>
  networkChanges('dc1', renderedSite(base), renderedSite({ ...base, ...after }));

describe('networkChanges', () => {
  it('reports nothing for equal trees', () => {
    expect(networkChanges('dc1', renderedSite(base), renderedSite(base))).toEqual([]);
  });

  it('classifies a site added and removed', () => {
    expect(networkChanges('dc1', undefined, renderedSite(base))).toMatchObject([
      { kind: 'site-added', disruption: 'container-recreated' },
    ]);
    expect(networkChanges('dc1', renderedSite(base), undefined)).toMatchObject([
      { kind: 'site-removed', disruption: 'none' },
    ]);
  });

  it('classifies VIP moves as failover', () => {
    expect(changesFor({ externalVip: '203.0.113.141' })).toEqual([
      expect.objectContaining({
        kind: 'external-vip-moved',
        disruption: 'vip-failover',
        subject: 'external',
        before: '203.0.113.140',
        after: '203.0.113.141',
      }),
    ]);
    expect(changesFor({ internalVip: '172.29.236.8' })).toMatchObject([
      {
        kind: 'internal-vip-moved',
        disruption: 'vip-failover',
        before: '172.29.236.9',
        after: '172.29.236.8',
      },
    ]);
  });

  it('classifies a gateway change as a default-route change', () => {
    expect(changesFor({ gateway: '203.0.113.130' })).toMatchObject([
      { kind: 'public-gateway-changed', disruption: 'default-route-change', after: '203.0.113.130' },
    ]);
  });

  it('groups a VLAN id change over all hosts into one change', () => {
    expect(changesFor({ vlanId: 41 })).toMatchObject([
      {
        kind: 'vlan-id-changed',
        disruption: 'default-route-change',
        subject: 'vlan-public-api',
        before: '40',
        after: '41',
        files: ['host_vars/infra1.yml', 'host_vars/infra2.yml'],
      },
    ]);
  });

  it('classifies haproxy hosts added (container created) and removed (failover)', () => {
    // The guide's hosts are in shared-infra_hosts and repo-infra_hosts too: that part is not hidden.
    expect(changesFor({ haproxyHosts: ['infra1', 'infra2', 'infra3'] })).toMatchObject([
      { kind: 'haproxy-host-added', subject: 'infra3', disruption: 'container-recreated' },
      {
        kind: 'file-changed',
        summary:
          'openstack_user_config.yml: repo-infra_hosts.infra3.ip added, shared-infra_hosts.infra3.ip added',
      },
    ]);
    expect(changesFor({ haproxyHosts: ['infra1'] })).toMatchObject([
      { kind: 'haproxy-host-removed', subject: 'infra2', disruption: 'vip-failover' },
      // Its networkd files stay: openstack_hosts skips a host without lists, and so does the cleanup.
      { kind: 'networkd-files', subject: 'infra2', files: [] },
      {
        kind: 'file-changed',
        summary:
          'openstack_user_config.yml: repo-infra_hosts.infra2.ip removed, shared-infra_hosts.infra2.ip removed',
      },
    ]);
  });

  it('classifies a bind mode change', () => {
    expect(changesFor({ bind: 'address' })).toMatchObject([
      { kind: 'bind-mode-changed', before: 'interface', after: 'address', disruption: 'none' },
    ]);
  });

  it('classifies a resized pool', () => {
    expect(changesFor({ publicCidr: '203.0.113.128/27' })).toMatchObject([
      { kind: 'pool-resized', subject: 'public_api', before: '203.0.113.128/28', after: '203.0.113.128/27' },
    ]);
  });

  it('classifies router id changes', () => {
    expect(changesFor({ externalRouterId: 20, internalRouterId: 21 })).toMatchObject([
      {
        kind: 'router-id-changed',
        subject: 'external',
        before: '10',
        after: '20',
        disruption: 'vip-failover',
      },
      { kind: 'router-id-changed', subject: 'internal', before: '11', after: '21' },
    ]);
  });

  it('reports other file changes that explain no network change', () => {
    const after = renderedSite({ ...base, extraFiles: { 'env.d/haproxy.yml': '# changed\n' } });
    expect(networkChanges('dc1', renderedSite(base), after)).toMatchObject([
      { kind: 'file-changed', subject: 'env.d/haproxy.yml', disruption: 'none' },
    ]);
  });

  it('explains a change of one of the bond’s other VLANs by what it carries, not as the public bridge', () => {
    const hostVars = (vlan: number) =>
      [
        '---',
        'openstack_hosts_systemd_networkd_devices:',
        '  - NetDev: { Name: vlan-mgmt, Kind: vlan }',
        `    VLAN: { Id: ${vlan} }`,
        'openstack_hosts_systemd_networkd_networks:',
        '  - { interface: vlan-mgmt, bridge: br-mgmt }',
        '',
      ].join('\n');
    const before = renderedSite({ ...base, extraFiles: { 'host_vars/infra1.yml': hostVars(10) } });
    const after = renderedSite({ ...base, extraFiles: { 'host_vars/infra1.yml': hostVars(11) } });
    const [change] = networkChanges('dc1', before, after);
    expect(change).toMatchObject({
      kind: 'vlan-id-changed',
      subject: 'vlan-mgmt',
      before: '10',
      after: '11',
    });
    expect(change!.why).toContain('carries br-mgmt');
    expect(change!.why).not.toContain('public bridge');
  });

  it('does not let a recognised change hide another edit in the same file', () => {
    const before = renderedSite(base);
    const after = new Map(renderedSite({ ...base, externalVip: '203.0.113.141' }));
    after.set(
      'openstack_user_config.yml',
      after
        .get('openstack_user_config.yml')!
        .replace('management_bridge: br-mgmt', 'management_bridge: br-mgmt2'),
    );
    expect(networkChanges('dc1', before, after)).toMatchObject([
      { kind: 'external-vip-moved' },
      {
        kind: 'file-changed',
        subject: 'openstack_user_config.yml',
        summary: 'openstack_user_config.yml: global_overrides.management_bridge changed',
      },
    ]);
  });

  it('does not fail on a hand-broken YAML file', () => {
    const after = renderedSite({ ...base, extraFiles: { 'openstack_user_config.yml': 'a: [\n' } });
    const kinds = networkChanges('dc1', renderedSite(base), after).map((c) => c.kind);
    // The VIPs are still read from user_variables; what only the broken file held shows as gone.
    expect(kinds).not.toContain('external-vip-moved');
    expect(kinds).toContain('public-gateway-changed');
    expect(kinds).toContain('haproxy-host-removed');
  });
});
