import type { Environment } from '@osa-gitops/core';
import { renderProviderNetworks } from './provider-networks';
import { renderUsedIps } from './used-ips';

/**
 * The whole `openstack_user_config.yml`. Owned whole rather than split into `conf.d/`, because
 * OSA's merge replaces lists such as `used_ips` and `provider_networks` (docs/osa-facts.md#merge,
 * ADR 0003). Sections come in OSA's example order; names chosen by the operator (networks,
 * groups, hosts, affinity) are sorted so key insertion order never changes the bytes.
 */
export function renderOpenstackUserConfig(env: Environment): Record<string, unknown> {
  const cidrNetworks: Record<string, string> = {};
  for (const name of Object.keys(env.networks).sort()) cidrNetworks[name] = env.networks[name]!;

  const config: Record<string, unknown> = {
    cidr_networks: cidrNetworks,
    used_ips: renderUsedIps(env),
    global_overrides: {
      internal_lb_vip_address: env.haproxy.vips.internal,
      external_lb_vip_address: env.haproxy.vips.external,
      management_bridge: env.managementBridge,
      provider_networks: renderProviderNetworks(env),
    },
  };
  for (const [group, hosts] of renderHostGroups(env)) config[group] = hosts;
  return config;
}

/**
 * `<group>: {<host>: {ip, management_ip?, affinity?}}` for every group a host lists, keyed as the
 * operator wrote it (OSA normalises `-` to `_` and merges, docs/osa-facts.md#merge). Groups and hosts sorted.
 */
function renderHostGroups(env: Environment): [string, Record<string, unknown>][] {
  const groups = new Map<string, Record<string, unknown>>();
  for (const name of Object.keys(env.hosts).sort()) {
    const host = env.hosts[name]!;
    const entry: Record<string, unknown> = { ip: host.ip };
    if (host.managementIp !== undefined) entry.management_ip = host.managementIp;
    if (host.affinity !== undefined) {
      const affinity: Record<string, number> = {};
      for (const skel of Object.keys(host.affinity).sort()) affinity[skel] = host.affinity[skel]!;
      entry.affinity = affinity;
    }
    for (const group of new Set(host.groups)) {
      if (!groups.has(group)) groups.set(group, {});
      groups.get(group)![name] = structuredClone(entry);
    }
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
