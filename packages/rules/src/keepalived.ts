import { ipv4, managementCidrName } from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';
import { haproxyContainerCount } from './haproxy-groups';
const { contains, parseAddress } = ipv4;

/**
 * Rule 11: keepalived as OSA configures it (docs/osa-facts.md#haproxy-keepalived, #keepalived-vrid). VRRP router ids are
 * 1–255 by the model itself (core's bounds.ts, VRID_RANGE from the shape check). Equal external and internal ids are only a warning: a router id must be unique per L2 segment,
 * and the two instances sit on different container interfaces (CONTAINER_INTERFACE_DUPLICATE).
 * The internal ping address, when given, must be on the management network: the container
 * reaches it through the internal interface, not through its default route on the public side. OSA turns keepalived on only when
 * `groups.haproxy | length > 1`, so a single haproxy container has no VIP failover at all.
 */
export function checkKeepalived(ctx: SiteContext): void {
  const { externalRouterId, internalRouterId } = ctx.env.haproxy.keepalived;
  if (externalRouterId === internalRouterId) {
    ctx.report(
      'VRID_EQUAL',
      ['haproxy', 'keepalived', 'internalRouterId'],
      `internal and external virtual router ids are both ${internalRouterId}; keepalived accepts this, as router ids are per interface and the instances use two (the public and the management container interface), but expected two different ids (OSA's defaults are 10 and 11) should the two networks ever share an L2 segment`,
    );
  }
  const ping = ctx.env.haproxy.keepalived.internalPingAddress;
  if (ping !== undefined) {
    const path = ['haproxy', 'keepalived', 'internalPingAddress'];
    const ip = parseAddress(ping);
    const mgmt = managementCidrName(ctx.env);
    const cidr = mgmt === undefined ? undefined : ctx.cidrs.get(mgmt);
    if (ip === undefined) {
      ctx.report(
        'ADDRESS_INVALID',
        path,
        `${quote(ping)} is not an IPv4 address; expected a dotted quad on the management network`,
      );
    } else if (cidr !== undefined && !contains(cidr, ip)) {
      ctx.report(
        'KEEPALIVED_PING_OUTSIDE_NETWORK',
        path,
        `internal ping address ${ping} is outside the management network ${mgmt} (${cidr.text}); expected an address inside it, which the haproxy containers reach on their internal interface rather than through the public default route`,
      );
    }
  }
  if (haproxyContainerCount(ctx.env) === 1) {
    ctx.report(
      'SINGLE_HAPROXY_HOST',
      ['hosts'],
      'only one haproxy container: the VIPs have no failover (osa-gitops sets haproxy_use_keepalived, which OSA turns off for a single host, so the VIPs are still brought up); expected two or more haproxy hosts for high availability',
    );
  }
}
