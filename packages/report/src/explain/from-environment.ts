import {
  allProviderNetworks,
  bondVlanName,
  type Environment,
  HAPROXY_HOST_GROUP,
  managementCidrName,
  own,
  vlanInterfaceName,
} from '@osa-gitops/core';
import type { ChainSite, HostBuild } from './host-chain';
import { inGroup } from './host-chain';

/**
 * A validated definition as a ChainSite: what render builds on each host (render/host-vars.ts:
 * every host with bond members, and every haproxy host, gets the bond's VLANs; haproxy hosts the
 * public VLAN too), the provider networks OSA sees (the site's, then the public one), and the
 * bridges declared outside the bond.
 */
export function chainSiteFromEnvironment(env: Environment): ChainSite {
  const declared = env.providerNetworks.length;
  const pub = env.haproxy.publicNetwork;
  const networks = allProviderNetworks(env).map((net, i) => ({
    ...net,
    label: i < declared ? `providerNetworks[${i}]` : 'haproxy.publicNetwork',
    ...(i >= declared ? { isPublic: true, defaultGateway: pub.gateway } : {}),
  }));
  const mgmtCidr = own(env.networks, managementCidrName(env) ?? '');
  const prefix = mgmtCidr?.split('/')[1];

  const built = new Map<string, HostBuild>();
  for (const name of Object.keys(env.hosts).sort()) {
    const host = env.hosts[name]!;
    const members = Object.keys(host.bondMembers ?? {}).sort();
    const isHaproxy = inGroup(host.groups, HAPROXY_HOST_GROUP);
    if (members.length === 0 && !isHaproxy) continue;
    const address = `${host.managementIp ?? host.ip}${prefix !== undefined ? `/${prefix}` : ''}`;
    const vlans: HostBuild['vlans'][number][] = (env.hostNetworking.vlans ?? []).map((v) => ({
      name: bondVlanName(v),
      id: v.id,
      bridge: v.bridge,
      ...(v.address === 'host-ip' ? { address } : {}),
      ...(v.gateway !== undefined ? { gateway: v.gateway } : {}),
    }));
    if (isHaproxy) vlans.push({ name: vlanInterfaceName(pub), id: pub.vlan, bridge: pub.bridge });
    built.set(name, {
      bond: {
        name: env.hostNetworking.bond?.name ?? pub.bond,
        members: members.map((nic) => ({ nic, mac: host.bondMembers![nic]! })),
      },
      vlans,
    });
  }

  return {
    site: env.name,
    hosts: env.hosts,
    networks,
    cidrs: env.networks,
    built,
    external: (env.hostNetworking.externalBridges ?? []).map((b) => ({
      bridge: b.bridge,
      ...(b.interface !== undefined ? { interface: b.interface } : {}),
      hostIp: b.address === 'host-ip',
    })),
    vips: env.haproxy.vips,
    ...(env.hostNetworking.complete !== undefined ? { complete: env.hostNetworking.complete } : {}),
  };
}
