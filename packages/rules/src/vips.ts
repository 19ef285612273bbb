import { ipv4, isDnsName, type IssuePath, managementCidrName } from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';
const { contains, isNetworkOrBroadcast, parseAddress } = ipv4;

/**
 * Rule 4: keepalived puts each VIP on a container interface (eth20 for external, eth1 for
 * internal, docs/osa-facts.md#guide-step-5, #haproxy-keepalived) and docs/osa-facts.md#subnets requires the VIP to sit inside that interface's
 * subnet. The external interface is on the public network; the internal one on the management
 * network (the management provider network's `ip_from_q`, see derive.ts `managementCidrName`).
 */
export function checkVips(ctx: SiteContext): void {
  const name = ctx.env.haproxy.vips.externalName;
  if (name !== undefined && !isDnsName(name)) {
    ctx.report(
      'DNS_NAME_INVALID',
      ['haproxy', 'vips', 'externalName'],
      `${JSON.stringify(name)} is not a DNS name; expected dot-separated labels of letters, digits and - (at most 63 characters each, 253 in all), such as cloud.example.com, as it goes into the HAProxy certificate`,
    );
  }
  const { vips, publicNetwork } = ctx.env.haproxy;
  check(ctx, ['haproxy', 'vips', 'external'], 'external', vips.external, publicNetwork.cidrName);
  const mgmt = managementCidrName(ctx.env);
  if (mgmt !== undefined) check(ctx, ['haproxy', 'vips', 'internal'], 'internal', vips.internal, mgmt);
}

function check(ctx: SiteContext, path: IssuePath, which: string, text: string, networkName: string): void {
  const address = parseAddress(text);
  const cidr = ctx.cidrs.get(networkName);
  if (address === undefined || cidr === undefined) return;
  if (!contains(cidr, address)) {
    ctx.report(
      'VIP_OUTSIDE_NETWORK',
      path,
      `${which} VIP ${text} is outside network ${quote(networkName)} (${cidr.text}); expected an address inside it, because keepalived adds the VIP on that network's container interface`,
    );
  } else if (isNetworkOrBroadcast(cidr, address)) {
    ctx.report(
      'VIP_RESERVED_ADDRESS',
      path,
      `${which} VIP ${text} is the network or broadcast address of ${quote(networkName)} (${cidr.text}); expected a host address`,
    );
  }
}
