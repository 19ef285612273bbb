import { allProviderNetworks, type Environment, type ProviderNetwork } from '@osa-gitops/core';

/**
 * `global_overrides.provider_networks`: the operator's networks followed by the derived public
 * one (derive.publicProviderNetwork). Every entry's keys are nested under `network:`; the guide
 * indents them beside it, and OSA then skips the entry without a word (docs/osa-facts.md#guide-step-3,
 * `generate.py`: `if not p_net: continue`). Keys come in OSA's own example order; optional keys
 * are omitted, never written as null.
 */
export function renderProviderNetworks(env: Environment): { network: Record<string, unknown> }[] {
  return allProviderNetworks(env).map((net) => ({ network: renderNetwork(net) }));
}

function renderNetwork(net: ProviderNetwork): Record<string, unknown> {
  // OSA passes container_type through as the veth/phys link type; the model's documented
  // default is veth whenever the network reaches into containers.
  const containerType = net.containerType ?? (net.containerInterface !== undefined ? 'veth' : undefined);
  const entries: [string, unknown][] = [
    ['container_bridge', net.bridge],
    ['container_type', containerType],
    ['container_interface', net.containerInterface],
    ['container_bridge_type', net.bridgeType],
    ['ip_from_q', net.ipFromQ],
    ['address_prefix', net.addressPrefix],
    ['type', net.type],
    ['range', net.range],
    ['net_name', net.netName],
    ['group_binds', [...net.groupBinds]],
    ['is_management_address', net.isManagementAddress],
    ['static_routes', net.staticRoutes?.map((r) => ({ cidr: r.cidr, gateway: r.gateway }))],
    ['gateway', net.gateway],
    ['container_mtu', net.mtu],
    ['host_bind_override', net.hostBindOverride],
    ['reference_group', net.referenceGroup],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}
