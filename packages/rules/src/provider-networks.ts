import { addressKey, normalizeGroup, type ProviderNetwork } from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';
import { HAPROXY_CONTAINER_GROUPS, PUBLIC_BRIDGE_GROUPS, isHostGroup } from './haproxy-groups';
import { locatedNetworks, type LocatedNetwork } from './network-paths';

/**
 * Rule 7, provider networks as OSA's inventory generator reads them (docs/osa-facts.md#provider-networks, #generator-errors):
 * the management network, queues, and where bridges exist.
 */
export function checkProviderNetworks(ctx: SiteContext): void {
  const located = locatedNetworks(ctx.env);
  checkManagement(ctx, located);
  checkQueueMissing(ctx);
  checkQueueDuplicate(ctx, located);
  checkPublicBridge(ctx);
}

function checkManagement(ctx: SiteContext, located: readonly LocatedNetwork[]): void {
  const marked = located.filter((l) => l.net.isManagementAddress === true);
  if (marked.length === 0) {
    ctx.report(
      'MANAGEMENT_NETWORK_INVALID',
      ['providerNetworks'],
      'no provider network has isManagementAddress: true; expected exactly one (the br-mgmt network that carries ansible_host)',
    );
  }
  for (const extra of marked.slice(1)) {
    ctx.report(
      'MANAGEMENT_NETWORK_INVALID',
      extra.at('isManagementAddress'),
      `${extra.label} is a second management network; expected exactly one network with isManagementAddress: true`,
    );
  }
  for (const l of located) {
    if (l.net.bridge !== ctx.env.managementBridge || l.net.isManagementAddress === true) continue;
    ctx.report(
      'MANAGEMENT_NETWORK_INVALID',
      l.at('bridge'),
      `${l.label} uses the management bridge ${quote(ctx.env.managementBridge)} without isManagementAddress: true; expected the flag or another bridge. OSA fails with ProviderNetworkMisconfiguration (docs/osa-facts.md#generator-errors)`,
    );
  }
}

/** A raw network that gives containers an interface needs a queue to take their addresses from. */
function checkQueueMissing(ctx: SiteContext): void {
  ctx.env.providerNetworks.forEach((net, i) => {
    if (net.type !== 'raw' || net.containerInterface === undefined || net.ipFromQ !== undefined) return;
    const containerGroup = net.groupBinds.find((g) => !isHostGroup(g));
    if (containerGroup === undefined) return;
    ctx.report(
      'PROVIDER_NETWORK_QUEUE_MISSING',
      ['providerNetworks', i, 'ipFromQ'],
      `raw network on ${quote(net.bridge)} is bound to container group ${quote(containerGroup)} but has no ipFromQ; expected a key of networks. OSA's inventory generator crashes without it (docs/osa-facts.md#provider-networks)`,
    );
  });
}

/**
 * OSA stores each network under `container_networks[<address key>]` (docs/osa-facts.md#generated-inventory), so two networks with
 * one key on one container overwrite each other silently (docs/osa-facts.md#container-interfaces).
 */
function checkQueueDuplicate(ctx: SiteContext, located: readonly LocatedNetwork[]): void {
  const byKey = new Map<string, LocatedNetwork[]>();
  for (const l of located) {
    const { net } = l;
    if (net.addressPrefix === undefined && net.ipFromQ === undefined && net.containerInterface === undefined)
      continue;
    const key = addressKey(net);
    const earlier = byKey.get(key) ?? [];
    const clash = earlier.find((e) => bindsOverlap(e.net, net));
    if (clash !== undefined) {
      const field =
        net.addressPrefix !== undefined
          ? 'addressPrefix'
          : net.ipFromQ !== undefined
            ? 'ipFromQ'
            : 'containerInterface';
      ctx.report(
        'PROVIDER_NETWORK_QUEUE_DUPLICATE',
        l.at(field),
        `${l.label} and ${clash.label} both become container_networks.${key} on the same group; expected distinct ipFromQ/addressPrefix per group, OSA keeps only the last one silently`,
      );
    }
    byKey.set(key, [...earlier, l]);
  }
}

/**
 * Do two networks reach a common inventory member? True when they share a group, and for the
 * containments we know without env.d's full tree: `all` holds everything; `all_containers` holds
 * the containers of every non-host group; `hosts` holds every physical host group; and the
 * haproxy container is in all of HAPROXY_CONTAINER_GROUPS.
 */
function bindsOverlap(a: ProviderNetwork, b: ProviderNetwork): boolean {
  const ga = a.groupBinds.map(normalizeGroup);
  const gb = b.groupBinds.map(normalizeGroup);
  if (ga.some((g) => gb.includes(g))) return true;
  const contains = (outer: readonly string[], inner: readonly string[]): boolean =>
    outer.includes('all') ||
    (outer.includes('all_containers') && inner.some((g) => !isHostGroup(g))) ||
    (outer.includes('hosts') && inner.some(isHostGroup));
  if (contains(ga, gb) || contains(gb, ga)) return true;
  const reachesHaproxy = (groups: readonly string[]): boolean =>
    groups.some((g) => HAPROXY_CONTAINER_GROUPS.has(g));
  return reachesHaproxy(ga) && reachesHaproxy(gb);
}

/**
 * The renderer builds the public bridge only on haproxy hosts (their host_vars). Another network
 * on that bridge bound to other groups would reference a bridge that does not exist there
 * (docs/osa-facts.md#host-networking).
 */
function checkPublicBridge(ctx: SiteContext): void {
  const bridge = ctx.env.haproxy.publicNetwork.bridge;
  ctx.env.providerNetworks.forEach((net, i) => {
    if (net.bridge !== bridge) return;
    net.groupBinds.forEach((group, j) => {
      if (PUBLIC_BRIDGE_GROUPS.has(normalizeGroup(group))) return;
      ctx.report(
        'BRIDGE_NOT_ON_HOST',
        ['providerNetworks', i, 'groupBinds', j],
        `bridge ${quote(bridge)} is built only on haproxy hosts, but this network binds it to ${quote(group)}; expected only ${[...PUBLIC_BRIDGE_GROUPS].join(', ')}, or a bridge of its own`,
      );
    });
  });
}
