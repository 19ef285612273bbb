import {
  allProviderNetworks,
  clipIntervals,
  countCovered,
  type Interval,
  ipv4,
  managementCidrName,
  normalizeGroup,
} from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';
import { addressFields } from './address-fields';
import { HAPROXY_CONTAINER_GROUPS, haproxyContainerCount } from './haproxy-groups';
import { parseReserved } from './reservations';
const { parseAddress } = ipv4;

/**
 * Rule 6: each `ip_from_q` pool that feeds containers has room for them (docs/osa-facts.md#capacity). OSA only finds out mid-run: `Cannot retrieve requested amount of IP addresses`
 * (docs/osa-facts.md#generator-errors), and with the VIP unreserved it even hands the VIP to a container (docs/osa-facts.md#used-ips).
 *
 * free = 2^(32-prefix) − 2 − |reserved ∪ gateways ∪ VIPs ∪ host addresses, inside the pool|,
 * counted on merged intervals so a huge reserved range costs nothing. Everything in `reserved`
 * counts wherever it was listed, because OSA's used_ips is one global set (docs/osa-facts.md#used-ips).
 *
 * Demand: every network bound to the haproxy container takes one address per haproxy container
 * (one per haproxy host × `affinity.haproxy_container`, default 1) from its queue: the public
 * pool and the management pool. The management pool also feeds every other LXC container of the
 * site (galera, rabbitmq, …), which this model does not describe, so its demand here is a lower
 * bound: the check catches a pool too small for haproxy alone, not every shortage.
 */
export function checkCapacity(ctx: SiteContext): void {
  const { env } = ctx;
  const containers = haproxyContainerCount(env);
  const demand = new Map<string, number>();
  const addDemand = (pool: string | undefined): void => {
    if (pool !== undefined) demand.set(pool, (demand.get(pool) ?? 0) + containers);
  };
  // Every network that reaches the haproxy container takes one address per container from its
  // queue: the derived public network (public pool) and the management network (all_containers).
  for (const net of allProviderNetworks(env)) {
    if (
      net.ipFromQ !== undefined &&
      net.groupBinds.some((g) => HAPROXY_CONTAINER_GROUPS.has(normalizeGroup(g)))
    ) {
      addDemand(net.ipFromQ);
    }
  }
  const mgmt = managementCidrName(env);
  if (mgmt !== undefined && !demand.has(mgmt)) addDemand(mgmt);

  const used = usedIntervals(ctx);
  for (const [pool, need] of demand) {
    const cidr = ctx.cidrs.get(pool);
    // /0, /31 and /32 are CIDR_TOO_SMALL already; their "usable" range is meaningless.
    if (cidr === undefined || cidr.prefix === 0 || cidr.prefix >= 31) continue;
    const usable = cidr.size - 2;
    const taken = countCovered(clipIntervals(used, cidr.first + 1, cidr.last - 1));
    const free = usable - taken;
    const left = free - need;
    const summary = `${cidr.text} has ${usable} usable addresses, ${taken} reserved or assigned, ${free} free, and OSA allocates ${need} haproxy container address(es) from it`;
    if (left < 0) {
      ctx.report(
        'POOL_EXHAUSTED',
        ['networks', pool],
        `pool ${quote(pool)} is too small: ${summary}; expected at least ${need} free. OSA would fail with "Cannot retrieve requested amount of IP addresses" (docs/osa-facts.md#generator-errors)`,
      );
    } else if (left < 2 || left < usable / 10) {
      ctx.report(
        'POOL_NEARLY_EXHAUSTED',
        ['networks', pool],
        `pool ${quote(pool)} is nearly exhausted: ${summary}, leaving ${left}; expected at least 2 and 10% of the pool left for more containers`,
      );
    }
  }
}

function usedIntervals(ctx: SiteContext): Interval[] {
  const out: Interval[] = [];
  for (const entries of Object.values(ctx.env.reserved)) {
    for (const entry of entries) {
      const parsed = parseReserved(entry);
      if (parsed.ok && parsed.range.first <= parsed.range.last) out.push(parsed.range);
    }
  }
  for (const field of addressFields(ctx.env)) {
    const address = parseAddress(field.text);
    if (address !== undefined) out.push({ first: address, last: address });
  }
  return out;
}
