import { describe, expect, it } from 'vitest';
import { EnvironmentSchema, guideInput } from '@osa-gitops/core';
import { chainSiteFromEnvironment } from './from-environment';
import { formatHostChains } from './format-chain';
import { hostChains } from './host-chain';

/** The guide site with a two-NIC bond that carries everything (as environments/dc-east). */
function bonded(edit: (vlans: { id: number; bridge: string; address?: 'host-ip' }[]) => void = () => {}) {
  const d = guideInput();
  const vlans: { id: number; bridge: string; address?: 'host-ip' }[] = [
    { id: 10, bridge: 'br-mgmt', address: 'host-ip' },
    { id: 20, bridge: 'br-storage' },
    { id: 30, bridge: 'br-vxlan' },
  ];
  edit(vlans);
  Object.assign(d.hostNetworking, { vlans, complete: true, externalBridges: undefined });
  for (const h of Object.values(d.hosts)) h.groups = [...h.groups, 'os-infra_hosts', 'network-gateway_hosts'];
  d.hosts.compute1 = { ip: '172.29.236.21', groups: ['compute_hosts'] } as (typeof d.hosts)[string];
  return EnvironmentSchema.parse(d);
}

describe('hostChains', () => {
  it('follows NIC → bond → VLAN → bridge → container interface → network/VIP on every bridge', () => {
    const [infra1] = hostChains(chainSiteFromEnvironment(bonded()), ['infra1']);
    expect(infra1!.modelled).toBe(true);
    expect(infra1!.bridges.map((b) => [b.bridge, b.source.kind, b.status])).toEqual([
      ['br-mgmt', 'bond-vlan', 'ok'],
      ['br-storage', 'bond-vlan', 'ok'],
      ['br-vxlan', 'bond-vlan', 'ok'],
      ['br-public-api', 'bond-vlan', 'ok'],
    ]);
    expect(formatHostChains([infra1!]).join('\n')).toMatchInlineSnapshot(`
      "infra1 172.29.236.11 (shared-infra_hosts, repo-infra_hosts, haproxy_hosts, os-infra_hosts, network-gateway_hosts)
        ens3 d2:25:83:e1:77:c8 + ens6 d2:25:83:e1:77:c9 → bond0 → vlan-mgmt (VLAN 10) → br-mgmt 172.29.236.11/22
          → the host itself → container_address (172.29.236.11, container 172.29.236.0/22), providerNetworks[0]
          → eth1 of galera_container, glance_container, haproxy_container, heat_api_container, horizon_container, memcached_container, nova_api_container, placement_container, rabbit_mq_container, repo_container, utility_container → container_address (container 172.29.236.0/22), providerNetworks[0]; internal VIP 172.29.236.9 on haproxy_container
        ens3 d2:25:83:e1:77:c8 + ens6 d2:25:83:e1:77:c9 → bond0 → vlan-storage (VLAN 20) → br-storage
          → eth2 of glance_container → storage_address (storage 172.29.244.0/22), providerNetworks[2]
        ens3 d2:25:83:e1:77:c8 + ens6 d2:25:83:e1:77:c9 → bond0 → vlan-vxlan (VLAN 30) → br-vxlan
          → the host itself → tunnel_address (tunnel 172.29.240.0/22), providerNetworks[1]
        ens3 d2:25:83:e1:77:c8 + ens6 d2:25:83:e1:77:c9 → bond0 → vlan-public-api (VLAN 40) → br-public-api
          → eth20 of haproxy_container → public_api_address (public_api 203.0.113.128/28), haproxy.publicNetwork; default route via 203.0.113.129; external VIP 203.0.113.140 on haproxy_container"
    `);
  });

  it('marks a renamed bridge: the needed one missing, the built one unused', () => {
    const env = bonded((v) => (v[1]!.bridge = 'br-stor'));
    const [infra1] = hostChains(chainSiteFromEnvironment(env), ['infra1']);
    const byName = new Map(infra1!.bridges.map((b) => [b.bridge, b]));
    expect(byName.get('br-stor')).toMatchObject({ status: 'unused', uses: [] });
    expect(byName.get('br-storage')).toMatchObject({
      status: 'missing',
      source: { kind: 'missing' },
      uses: [{ members: ['glance_container'], interface: 'eth2', key: 'storage_address' }],
    });
    const text = formatHostChains([infra1!]).join('\n');
    expect(text).toContain('✖ br-storage: needed, but no VLAN or external bridge builds it');
    expect(text).toContain(
      '⚠ ens3 d2:25:83:e1:77:c8 + ens6 d2:25:83:e1:77:c9 → bond0 → vlan-stor (VLAN 20) → br-stor',
    );
  });

  it('lists what a host without bond members must provide itself', () => {
    const [compute1] = hostChains(chainSiteFromEnvironment(bonded()), ['compute1']);
    expect(compute1!.modelled).toBe(false);
    expect(compute1!.metalComponents).toContain('nova_compute');
    expect(compute1!.bridges.map((b) => [b.bridge, b.source.kind])).toEqual([
      ['br-mgmt', 'not-modelled'],
      ['br-storage', 'not-modelled'],
      ['br-vxlan', 'not-modelled'],
    ]);
  });

  it('shows a bridge declared outside the bond with the NIC that feeds it', () => {
    const d = guideInput();
    d.hostNetworking.externalBridges = [{ bridge: 'br-mgmt', interface: 'ens2', address: 'host-ip' }];
    const [infra1] = hostChains(chainSiteFromEnvironment(EnvironmentSchema.parse(d)), ['infra1']);
    const mgmt = infra1!.bridges.find((b) => b.bridge === 'br-mgmt')!;
    expect(mgmt.source).toEqual({ kind: 'external', interface: 'ens2', hostIp: true });
    expect(mgmt.uses.map((u) => [u.members.includes('host') ? 'host' : u.interface, u.vips])).toEqual([
      ['host', []],
      ['eth1', ['internal VIP 172.29.236.9 on haproxy_container']],
    ]);
  });
});
