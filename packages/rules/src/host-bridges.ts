import {
  allProviderNetworks,
  type BridgeUse,
  type Environment,
  HAPROXY_HOST_GROUP,
  hostBridgeNeeds,
  type IssueCode,
  type IssuePath,
  normalizeGroup,
} from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';
import { nearestName } from './near-name';

/**
 * The whole chain on hosts whose bond networking is modelled (hosts with `bondMembers`): every
 * bridge their containers and their own services need exists, every bridge built is needed, and
 * the host's management address sits on a modelled interface. Which bridges are needed comes
 * from OSA's env.d and the provider networks (model/host-bridges.ts, docs/host-bridges.md).
 *
 * Each finding is an error when `hostNetworking.complete` says these hosts have no other bridge,
 * a warning otherwise: a bridge may then exist on a NIC the definition does not describe
 * (ADR 0005). A bridge nobody needs is only reported when no bonded host needs it: the bond's
 * VLANs are one list for the whole site, so a host that needs fewer has no way to build fewer.
 *
 * Guards against (docs/validation-rules.md): a VLAN's bridge renamed while provider networks
 * still bind containers to the old name (lxc-containers-create fails: the veth has nothing to
 * join), and a VLAN dropped from the bond (openstack-hosts-setup rewrites the bond without it;
 * without the management VLAN the host becomes unreachable).
 */
export function checkHostBridges(ctx: SiteContext): void {
  const { env } = ctx;
  const bonded = Object.keys(env.hosts)
    .filter((h) => Object.keys(env.hosts[h]!.bondMembers ?? {}).length > 0)
    .sort();
  if (bonded.length === 0) return;
  const complete = env.hostNetworking.complete === true;
  const needs = hostBridgeNeeds(env);
  const built = builtBridges(env);
  const publicBridge = env.haproxy.publicNetwork.bridge;

  // bridge → hosts lacking it, and what needs it there
  const missing = new Map<string, { hosts: string[]; uses: BridgeUse[] }>();
  const needed = new Set<string>();
  for (const host of bonded) {
    const isHaproxy = env.hosts[host]!.groups.some((g) => normalizeGroup(g) === HAPROXY_HOST_GROUP);
    for (const [bridge, uses] of needs.get(host)!.bridges) {
      needed.add(bridge);
      // The public bridge on a host that is not a haproxy host is BRIDGE_NOT_ON_HOST (references.ts).
      if (bridge === publicBridge) continue;
      if (built.some((b) => b.bridge === bridge)) continue;
      const entry = missing.get(bridge) ?? { hosts: [], uses: [] };
      entry.hosts.push(host);
      entry.uses.push(...uses);
      missing.set(bridge, entry);
    }
    if (isHaproxy) needed.add(publicBridge);
  }
  const unused = built.filter((b) => !needed.has(b.bridge));

  const missingCode: IssueCode = complete ? 'HOST_BRIDGE_MISSING' : 'HOST_BRIDGE_MAYBE_MISSING';
  for (const [bridge, { hosts, uses }] of missing) {
    const near = nearestName(
      bridge,
      unused.map((b) => b.bridge),
    );
    const nearBuilt = unused.find((b) => b.bridge === near);
    const hint = nearBuilt ? ` (did you mean ${quote(near!)}, ${nearBuilt.where}?)` : '';
    const what = describeUses(env, uses);
    const expected = complete
      ? `expected a VLAN in hostNetworking.vlans (or an entry of hostNetworking.externalBridges) that builds it, because lxc-containers-create fails when a container's veth has no bridge to join`
      : `expected a VLAN in hostNetworking.vlans that builds it, or hostNetworking.externalBridges declaring it built outside the bond (e.g. on its own NIC), or lxc-containers-create fails when a container's veth has no bridge to join`;
    ctx.report(
      missingCode,
      nearBuilt?.path ?? ['hostNetworking', 'vlans'],
      `bridge ${quote(bridge)} is needed on ${hosts.join(', ')} by ${what}, but ${complete ? 'nothing builds it there (hostNetworking.complete)' : 'no modelled interface builds it'}${hint}; ${expected}`,
    );
  }

  const unusedCode: IssueCode = complete ? 'HOST_BRIDGE_UNUSED' : 'HOST_BRIDGE_MAYBE_UNUSED';
  const stillMissing = [...missing.keys()];
  for (const b of unused) {
    const near = nearestName(b.bridge, stillMissing);
    const hint = near !== undefined ? ` (did you mean ${quote(near)}, which is needed but not built?)` : '';
    ctx.report(
      unusedCode,
      b.path,
      `bridge ${quote(b.bridge)} (${b.where}) is built on ${bonded.join(', ')}, but no container or service of theirs uses it: no provider network binds it to a group with members there${hint}; expected a provider network's bridge that these hosts need (docs/host-bridges.md), or no such bridge`,
    );
  }

  if (complete) checkManagementAddress(ctx, bonded);
}

interface BuiltBridge {
  readonly bridge: string;
  readonly path: IssuePath;
  /** Where it is defined, for messages. */
  readonly where: string;
}

/** Bridges the model builds (or declares) on every bonded host, the public one excluded. */
function builtBridges(env: Environment): BuiltBridge[] {
  const out: BuiltBridge[] = [];
  (env.hostNetworking.vlans ?? []).forEach((v, i) =>
    out.push({
      bridge: v.bridge,
      path: ['hostNetworking', 'vlans', i, 'bridge'],
      where: `hostNetworking.vlans[${i}], VLAN ${v.id}`,
    }),
  );
  (env.hostNetworking.externalBridges ?? []).forEach((b, i) =>
    out.push({
      bridge: b.bridge,
      path: ['hostNetworking', 'externalBridges', i, 'bridge'],
      where: `hostNetworking.externalBridges[${i}]`,
    }),
  );
  return out;
}

/** `eth2 of glance_container, cinder_api_container (provider network 2); the hosts' own services (…)`. */
function describeUses(env: Environment, uses: readonly BridgeUse[]): string {
  const networks = allProviderNetworks(env);
  const declared = env.providerNetworks.length;
  const label = (i: number): string =>
    i < declared ? `providerNetworks[${i}]` : 'the public network (haproxy.publicNetwork)';
  const parts: string[] = [];
  const byNetwork = new Map<number, BridgeUse[]>();
  for (const u of uses) byNetwork.set(u.network, [...(byNetwork.get(u.network) ?? []), u]);
  for (const [i, list] of [...byNetwork].sort(([a], [b]) => a - b)) {
    const net = networks[i]!;
    const skels = [
      ...new Set(list.flatMap((u) => (u.member.skel !== undefined ? [u.member.skel] : []))),
    ].sort();
    const onHost = list.some((u) => u.member.skel === undefined);
    const who: string[] = [];
    if (skels.length > 0) who.push(`${net.containerInterface ?? '?'} of ${skels.join(', ')}`);
    if (onHost) who.push(`the host's own ${list.find((u) => u.member.skel === undefined)!.key}`);
    parts.push(`${who.join(' and ')} (${label(i)}, groupBinds ${net.groupBinds.join(', ')})`);
  }
  return parts.join('; ');
}

/**
 * With `complete`, the definition describes all of the host's interfaces: its management
 * address (OSA `ip`/`management_ip`, what Ansible connects to) must be on one of them, or the
 * next openstack-hosts-setup leaves the host without it.
 */
function checkManagementAddress(ctx: SiteContext, bonded: readonly string[]): void {
  const { env } = ctx;
  const onVlan = (env.hostNetworking.vlans ?? []).some((v) => v.address === 'host-ip');
  const onExternal = (env.hostNetworking.externalBridges ?? []).some((b) => b.address === 'host-ip');
  if (onVlan || onExternal) return;
  const addresses = bonded.map((h) => `${h} ${env.hosts[h]!.managementIp ?? env.hosts[h]!.ip}`).join(', ');
  ctx.report(
    'HOST_MANAGEMENT_UNMODELLED',
    ['hostNetworking', 'complete'],
    `hostNetworking.complete says the bonded hosts have no other interfaces, but none of the modelled ones carries their management address (${addresses}); expected address: 'host-ip' on the management bridge ${quote(env.managementBridge)}, in hostNetworking.vlans or hostNetworking.externalBridges, because openstack-hosts-setup would leave the host unreachable`,
  );
}
