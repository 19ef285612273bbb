import type { BondVlan, Environment, ProviderNetwork, PublicNetwork } from './schema';
import { normalizeGroup } from './osa-groups';
import { own } from './own';

/**
 * Facts derived from a parsed definition, shared by validation and render so both read the
 * site the same way. Pure functions of an `Environment` (defaults already applied).
 */

export const HAPROXY_HOST_GROUP = 'haproxy_hosts';
/** OSA's component group of the haproxy containers: what the public network binds to. */
export const HAPROXY_GROUP = 'haproxy';
/** OSA container_skel name: container names are `<host>-haproxy-container-<8 hex>`. */
export const HAPROXY_CONTAINER = 'haproxy_container';

/** The VLAN netdev carrying the public network: explicit, or `vlan-<bridge without br->`. */
export function vlanInterfaceName(pub: PublicNetwork): string {
  return pub.vlanInterface ?? `vlan-${pub.bridge.replace(/^br-/, '')}`;
}

/** The netdev of a further VLAN on the bond: explicit, or `vlan-<bridge without br->`. */
export function bondVlanName(vlan: BondVlan): string {
  return vlan.name ?? `vlan-${vlan.bridge.replace(/^br-/, '')}`;
}

/** The provider network the renderer adds for the haproxy containers' public side. */
export function publicProviderNetwork(env: Environment): ProviderNetwork {
  const pub = env.haproxy.publicNetwork;
  return {
    bridge: pub.bridge,
    containerInterface: pub.containerInterface,
    containerType: 'veth',
    type: 'raw',
    ipFromQ: pub.cidrName,
    groupBinds: [HAPROXY_GROUP],
    staticRoutes: [{ cidr: '0.0.0.0/0', gateway: pub.gateway }],
    ...(pub.mtu !== undefined ? { mtu: pub.mtu } : {}),
  };
}

/** Operator-declared provider networks followed by the derived public one. */
export function allProviderNetworks(env: Environment): ProviderNetwork[] {
  return [...env.providerNetworks, publicProviderNetwork(env)];
}

/** The network carrying `ansible_host` (eth1 on br-mgmt in the guide), if exactly one is marked. */
export function managementNetwork(env: Environment): ProviderNetwork | undefined {
  const marked = env.providerNetworks.filter((n) => n.isManagementAddress);
  return marked.length === 1 ? marked[0] : undefined;
}

/** Name of the `container_networks` key OSA generates for a network (docs/osa-facts.md#generated-inventory). */
export function addressKey(
  net: Pick<ProviderNetwork, 'addressPrefix' | 'ipFromQ' | 'containerInterface'>,
): string {
  return `${net.addressPrefix ?? net.ipFromQ ?? net.containerInterface}_address`;
}

/** The `cidr_networks` key of the management network: `container` or `management`. */
export function managementCidrName(env: Environment): string | undefined {
  const mgmt = managementNetwork(env);
  if (mgmt?.ipFromQ && own(env.networks, mgmt.ipFromQ) !== undefined) return mgmt.ipFromQ;
  if (env.networks.container !== undefined) return 'container';
  if (env.networks.management !== undefined) return 'management';
  return undefined;
}

/** Hosts in a physical group (name compared after OSA's `-` → `_` normalisation), sorted. */
export function hostsInGroup(env: Environment, group: string): string[] {
  const want = normalizeGroup(group);
  return Object.keys(env.hosts)
    .filter((h) => env.hosts[h]!.groups.some((g) => normalizeGroup(g) === want))
    .sort();
}

export function haproxyHosts(env: Environment): string[] {
  return hostsInGroup(env, HAPROXY_HOST_GROUP);
}
