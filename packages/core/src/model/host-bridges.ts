import type { Environment, ProviderNetwork } from './schema';
import { addressKey, allProviderNetworks } from './derive';
import { normalizeGroup } from './osa-groups';
import { inventoryMembers, type InventoryHosts, type InventoryMember } from './inventory-members';

/**
 * What each physical host needs from its own networking: for every provider network, the
 * inventory members it reaches on that host (containers and the host itself) and so the bridges
 * the host must have. Mirrors openstack-ansible `osa_toolkit/generate.py` (ff08037)
 * `container_skel_load` / `_add_additional_networks`; `docs/host-bridges.md` has the reasoning.
 *
 * - `group_binds` entries are normalised (`-` → `_`) and resolved with their children;
 * - `reference_group` keeps a member only if its physical host is a member of that group;
 * - a container gets `container_interface` on `container_bridge` (lxc_container_create joins its
 *   veth to that bridge, which must exist on the host); the host itself gets an entry with the
 *   bridge and no interface: its own services use the bridge's address;
 * - two networks with the same address key on one member: the later one's bridge and interface
 *   win, as OSA updates the existing entry.
 */

/** One network entry OSA writes into a member's `container_networks`. */
export interface BridgeUse {
  readonly member: InventoryMember;
  /** Index into `allProviderNetworks(env)` (the operator's, then the derived public one). */
  readonly network: number;
  /** `container_networks` key, e.g. `container_address`. */
  readonly key: string;
  readonly bridge: string;
  /** Interface inside the container; undefined on the host itself. */
  readonly interface?: string;
  /**
   * The host itself with `host_bind_override` set: neutron binds that interface instead of the
   * bridge, so the bridge is not required there.
   */
  readonly bindOverride?: string;
}

export interface HostBridgeNeeds {
  readonly host: string;
  /** The host's containers, in container_skel order. */
  readonly containers: readonly InventoryMember[];
  /** Components running on the host itself (metal container_skels). */
  readonly metalComponents: readonly string[];
  /** Every network entry of the host and its containers, by network then member. */
  readonly uses: readonly BridgeUse[];
  /** Bridges the host must have, sorted, with the entries that need each. */
  readonly bridges: ReadonlyMap<string, readonly BridgeUse[]>;
}

/** The fields of a provider network the derivation reads. */
export type BridgeNetwork = Pick<
  ProviderNetwork,
  | 'bridge'
  | 'containerInterface'
  | 'groupBinds'
  | 'referenceGroup'
  | 'ipFromQ'
  | 'addressPrefix'
  | 'hostBindOverride'
>;

/** Per host (sorted by name): what its containers and its own services need. */
export function hostBridgeNeeds(env: Environment): Map<string, HostBridgeNeeds> {
  return bridgeNeeds(env, allProviderNetworks(env));
}

/**
 * The same from hosts and the complete list of provider networks OSA sees (e.g. read back from a
 * rendered openstack_user_config.yml, where the public network is already in the list).
 */
export function bridgeNeeds(
  site: InventoryHosts,
  networks: readonly BridgeNetwork[],
): Map<string, HostBridgeNeeds> {
  const env = site;
  const inv = inventoryMembers(site);
  // member id → address key → entry; later networks update earlier entries of the same key.
  const entries = new Map<string, Map<string, BridgeUse>>();
  networks.forEach((net, index) => {
    const keep = referenceFilter(net, inv.membersOf);
    const key = addressKey(net);
    const seen = new Set<string>();
    for (const group of net.groupBinds) {
      for (const member of inv.membersOf(normalizeGroup(group))) {
        if (seen.has(member.id) || !keep(member)) continue;
        seen.add(member.id);
        const own = entries.get(member.id) ?? new Map<string, BridgeUse>();
        entries.set(member.id, own);
        own.set(key, useOf(member, net, index, key));
      }
    }
  });

  const byHost = new Map<string, InventoryMember[]>();
  for (const m of inv.members) {
    const list = byHost.get(m.host);
    if (list === undefined) byHost.set(m.host, [m]);
    else list.push(m);
  }
  const out = new Map<string, HostBridgeNeeds>();
  for (const host of Object.keys(env.hosts).sort()) {
    const mine = byHost.get(host) ?? [];
    const self = mine.find((m) => m.skel === undefined)!;
    const uses: BridgeUse[] = [];
    for (const m of mine) {
      const own = entries.get(m.id);
      if (own !== undefined) for (const use of own.values()) uses.push(use);
    }
    uses.sort((a, b) => a.network - b.network); // stable: members keep their order per network
    const bridges = new Map<string, BridgeUse[]>();
    for (const use of uses) {
      if (use.bindOverride !== undefined) continue;
      const list = bridges.get(use.bridge);
      if (list === undefined) bridges.set(use.bridge, [use]);
      else list.push(use);
    }
    out.set(host, {
      host,
      containers: mine.filter((m) => m.skel !== undefined),
      metalComponents: self.components,
      uses,
      bridges: new Map([...bridges].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    });
  }
  return out;
}

function useOf(member: InventoryMember, net: BridgeNetwork, network: number, key: string): BridgeUse {
  const onHost = member.skel === undefined;
  return {
    member,
    network,
    key,
    bridge: net.bridge,
    ...(!onHost && net.containerInterface !== undefined ? { interface: net.containerInterface } : {}),
    ...(onHost && net.hostBindOverride !== undefined ? { bindOverride: net.hostBindOverride } : {}),
  };
}

/** `reference_group`: only members whose physical host is in that group (OSA `_hosts_in_group`). */
function referenceFilter(
  net: BridgeNetwork,
  membersOf: (group: string) => readonly InventoryMember[],
): (m: InventoryMember) => boolean {
  if (net.referenceGroup === undefined) return () => true;
  const names = new Set(membersOf(net.referenceGroup).map((m) => m.id));
  return (m) => names.has(m.host);
}
