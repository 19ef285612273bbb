import { haproxyHosts, hostsInGroup, own } from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';
import { haproxyContainerCount } from './haproxy-groups';

/**
 * Rule 7, names that point at other parts of the definition: the bond, the networks and the
 * haproxy hosts. OSA dies on a missing `ip_from_q` (`can't find X in cidr_networks`, docs/osa-facts.md#generator-errors) and on
 * a missing container/management CIDR; the bond and its members are ours (the VLAN netdev sits
 * on the bond, docs/osa-facts.md#guide-step-2), and without haproxy hosts the guide creates nothing.
 */
export function checkReferences(ctx: SiteContext): void {
  const { env } = ctx;
  const pub = env.haproxy.publicNetwork;
  const bond = env.hostNetworking.bond;
  if (bond === undefined || bond.name !== pub.bond) {
    ctx.report(
      'REFERENCE_UNKNOWN',
      ['haproxy', 'publicNetwork', 'bond'],
      bond === undefined
        ? `bond ${quote(pub.bond)} is not defined; expected hostNetworking.bond with that name, because the public VLAN sits on it`
        : `bond ${quote(pub.bond)} is not defined; expected ${quote(bond.name)} (hostNetworking.bond.name)`,
    );
  }
  if (own(env.networks, pub.cidrName) === undefined) {
    ctx.report(
      'REFERENCE_UNKNOWN',
      ['haproxy', 'publicNetwork', 'cidrName'],
      `network ${quote(pub.cidrName)} is not a key of networks; expected one of: ${Object.keys(env.networks).join(', ')}`,
    );
  }
  env.providerNetworks.forEach((net, i) => {
    if (net.ipFromQ === undefined || own(env.networks, net.ipFromQ) !== undefined) return;
    ctx.report(
      'REFERENCE_UNKNOWN',
      ['providerNetworks', i, 'ipFromQ'],
      `ip_from_q ${quote(net.ipFromQ)} is not a key of networks; expected one of: ${Object.keys(env.networks).join(', ')}. OSA fails with "can't find ${net.ipFromQ} in cidr_networks" (docs/osa-facts.md#generator-errors)`,
    );
  });
  if (env.networks.container === undefined && env.networks.management === undefined) {
    ctx.report(
      'NETWORK_MISSING_MANAGEMENT',
      ['networks'],
      'there is no `container` or `management` network; expected one of them, OSA derives container_cidr from it (docs/osa-facts.md#cidr-networks)',
    );
  }

  const hosts = haproxyHosts(env);
  if (hosts.length === 0) {
    ctx.report(
      'NO_HAPROXY_HOSTS',
      ['hosts'],
      'no host is in haproxy_hosts; expected at least one, or OSA creates no haproxy container',
    );
  } else if (haproxyContainerCount(env) === 0) {
    ctx.report(
      'NO_HAPROXY_HOSTS',
      ['hosts'],
      'every haproxy host has affinity haproxy_container: 0; expected at least one haproxy container',
    );
  }
  for (const host of hosts) {
    if (Object.keys(env.hosts[host]!.bondMembers ?? {}).length > 0) continue;
    ctx.report(
      'BOND_MEMBERS_MISSING',
      ['hosts', host, 'bondMembers'],
      `haproxy host ${host} has no bond members; expected its NICs (name → MAC), because the public VLAN sits on the bond and openstack_hosts skips a host without devices (docs/osa-facts.md#openstack-hosts)`,
    );
  }

  // OSA's stock env.d puts haproxy_container in load_balancer_containers too, so a host listed in
  // load_balancer_hosts gets a haproxy container and its eth20, but the renderer builds the public
  // bond/VLAN/bridge only on haproxy_hosts: that container would start without a public uplink.
  const withBridge = new Set(hosts);
  for (const host of hostsInGroup(env, 'load_balancer_hosts')) {
    if (withBridge.has(host)) continue;
    const groups = env.hosts[host]!.groups;
    const index = groups.findIndex((g) => g.replace(/-/g, '_') === 'load_balancer_hosts');
    ctx.report(
      'BRIDGE_NOT_ON_HOST',
      ['hosts', host, 'groups', index],
      `host ${host} is in load_balancer_hosts, so OSA creates a haproxy container on it (haproxy_container belongs to load_balancer_containers), but ${quote(env.haproxy.publicNetwork.bridge)} is built only on haproxy_hosts; expected ${host} in haproxy_hosts as well`,
    );
  }
}
