import { allProviderNetworks, type Environment, ipv4 } from '@osa-gitops/core';
const { formatAddress, requireAddress, requireCidr } = ipv4;
type Ipv4Range = ipv4.Ipv4Range;

/**
 * `used_ips`: every address OSA must never hand to a container, in the only forms OSA reads
 * (docs/osa-facts.md#used-ips): a single address, or `"first,last"` (inclusive, no spaces). The guide's
 * `a-b` form and CIDRs reserve nothing, silently, so they are never emitted.
 *
 * What is reserved (docs/osa-facts.md#used-ips): the operator's reserved addresses and ranges, the public
 * gateway, every provider-network and static-route gateway, both VIPs (OSA hands a VIP to a
 * container otherwise, docs/osa-facts.md#used-ips) and every `management_ip` (OSA reserves host `ip` only). Entries are
 * coalesced per network (overlapping or adjacent ranges merge) and sorted numerically, so the
 * output depends on the set of addresses only, never on how or in which order they were written.
 */
export function renderUsedIps(env: Environment): string[] {
  const networks = Object.keys(env.networks)
    .sort()
    .map((name) => ({ name, range: requireCidr(env.networks[name]!) }));
  const byNetwork = new Map<string, Ipv4Range[]>();
  const add = (range: Ipv4Range): void => {
    // Group by the network holding the first address; '' collects anything outside every network
    // (validation rejects that, but render stays total and still reserves it).
    const key = networks.find((n) => n.range.first <= range.first && range.first <= n.range.last)?.name ?? '';
    byNetwork.set(key, [...(byNetwork.get(key) ?? []), range]);
  };
  const addAddress = (address: string): void => {
    const n = requireAddress(address);
    add({ first: n, last: n });
  };

  for (const name of Object.keys(env.reserved).sort()) {
    for (const entry of env.reserved[name]!) add(parseReserved(entry));
  }
  addAddress(env.haproxy.publicNetwork.gateway);
  for (const net of allProviderNetworks(env)) {
    if (net.gateway !== undefined) addAddress(net.gateway);
    for (const route of net.staticRoutes ?? []) addAddress(route.gateway);
  }
  // A host's own default gateway on br-mgmt must not be handed to a container either.
  for (const vlan of env.hostNetworking.vlans ?? []) if (vlan.gateway !== undefined) addAddress(vlan.gateway);
  addAddress(env.haproxy.vips.external);
  addAddress(env.haproxy.vips.internal);
  for (const host of Object.values(env.hosts)) {
    if (host.managementIp !== undefined) addAddress(host.managementIp);
  }

  return [...byNetwork.values()]
    .flatMap(coalesceRanges)
    .sort((a, b) => a.first - b.first || a.last - b.last)
    .map(formatUsedIp);
}

/** A reserved entry as operators write it: `a.b.c.d` or `a.b.c.d-e.f.g.h` (docs/definition-reference.md, `reserved`). */
export function parseReserved(entry: string): Ipv4Range {
  const parts = entry.split('-');
  if (parts.length > 2) {
    throw new Error(`render needs a validated environment: ${JSON.stringify(entry)} is not a reserved range`);
  }
  const a = requireAddress(parts[0]!.trim());
  const b = parts.length === 2 ? requireAddress(parts[1]!.trim()) : a;
  return { first: Math.min(a, b), last: Math.max(a, b) };
}

/** Merge overlapping and adjacent ranges; the result is sorted and disjoint. */
export function coalesceRanges(ranges: readonly Ipv4Range[]): Ipv4Range[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first || a.last - b.last);
  const out: Ipv4Range[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && r.first <= prev.last + 1)
      out[out.length - 1] = { first: prev.first, last: Math.max(prev.last, r.last) };
    else out.push(r);
  }
  return out;
}

/** OSA's `used_ips` entry: split on `,` only; two parts are an inclusive range (docs/osa-facts.md#used-ips). */
export function formatUsedIp(range: Ipv4Range): string {
  return range.first === range.last
    ? formatAddress(range.first)
    : `${formatAddress(range.first)},${formatAddress(range.last)}`;
}
