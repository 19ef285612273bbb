import { ipv4, type IssueCode, type IssuePath, managementCidrName } from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';
const { contains, isNetworkOrBroadcast, parseAddress } = ipv4;

/**
 * Rule 3: a gateway must be a usable address of the network it routes for. OSA writes it into
 * the container's systemd-networkd files unchecked (docs/osa-facts.md#generated-inventory, #systemd-networkd); a gateway outside
 * the subnet gives a container with no working default route, which is exactly what the
 * haproxy containers need eth20 for (docs/osa-facts.md#guide-step-4, keepalived's ping address in docs/osa-facts.md#haproxy-keepalived).
 */
export function checkGateways(ctx: SiteContext): void {
  const pub = ctx.env.haproxy.publicNetwork;
  check(ctx, 'GATEWAY_OUTSIDE_NETWORK', ['haproxy', 'publicNetwork', 'gateway'], pub.gateway, pub.cidrName);
  ctx.env.providerNetworks.forEach((net, i) => {
    if (net.ipFromQ === undefined) return;
    if (net.gateway !== undefined) {
      check(ctx, 'GATEWAY_OUTSIDE_NETWORK', ['providerNetworks', i, 'gateway'], net.gateway, net.ipFromQ);
    }
    net.staticRoutes?.forEach((route, j) => {
      const path = ['providerNetworks', i, 'staticRoutes', j, 'gateway'];
      check(ctx, 'STATIC_ROUTE_GATEWAY_OUTSIDE', path, route.gateway, net.ipFromQ!);
    });
  });
  // The hosts' own default gateway sits on br-mgmt, so inside the management network.
  const mgmt = managementCidrName(ctx.env);
  (ctx.env.hostNetworking.vlans ?? []).forEach((vlan, i) => {
    if (vlan.gateway !== undefined && mgmt !== undefined) {
      check(ctx, 'GATEWAY_OUTSIDE_NETWORK', ['hostNetworking', 'vlans', i, 'gateway'], vlan.gateway, mgmt);
    }
  });
}

function check(
  ctx: SiteContext,
  outsideCode: IssueCode,
  path: IssuePath,
  text: string,
  networkName: string,
): void {
  const address = parseAddress(text);
  const cidr = ctx.cidrs.get(networkName);
  if (address === undefined || cidr === undefined) return;
  if (!contains(cidr, address)) {
    ctx.report(
      outsideCode,
      path,
      `gateway ${text} is outside network ${quote(networkName)} (${cidr.text}); expected an address inside it, or the containers get no working route`,
    );
  } else if (isNetworkOrBroadcast(cidr, address)) {
    ctx.report(
      'GATEWAY_RESERVED_ADDRESS',
      path,
      `gateway ${text} is the network or broadcast address of ${quote(networkName)} (${cidr.text}); expected a host address`,
    );
  }
}
