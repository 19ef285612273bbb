import type { Environment, IssuePath } from '@osa-gitops/core';

/**
 * Every single-address field of a site, in one fixed order, so that the address rules
 * (parsing, collisions, capacity) agree on what exists and report in a stable order. Hosts come
 * first: they are the physical facts, so a collision is reported at the gateway or VIP that was
 * chosen onto a host's address.
 */
export type AddressRole = 'gateway' | 'vip' | 'host-ip' | 'management-ip';

export interface AddressField {
  readonly role: AddressRole;
  /** Who owns the address, for collision checks: two fields of one owner may share it. */
  readonly owner: string;
  readonly label: string;
  readonly path: IssuePath;
  readonly text: string;
}

export function addressFields(env: Environment): AddressField[] {
  const out: AddressField[] = [];
  for (const [name, host] of Object.entries(env.hosts)) {
    out.push({
      role: 'host-ip',
      owner: `host:${name}`,
      label: `the ip of host ${name}`,
      path: ['hosts', name, 'ip'],
      text: host.ip,
    });
    if (host.managementIp !== undefined) {
      out.push({
        role: 'management-ip',
        owner: `host:${name}`,
        label: `the management_ip of host ${name}`,
        path: ['hosts', name, 'managementIp'],
        text: host.managementIp,
      });
    }
  }
  const pub = env.haproxy.publicNetwork;
  out.push({
    role: 'gateway',
    owner: 'gateways',
    label: 'the public gateway',
    path: ['haproxy', 'publicNetwork', 'gateway'],
    text: pub.gateway,
  });
  env.providerNetworks.forEach((net, i) => {
    if (net.gateway !== undefined) {
      out.push({
        role: 'gateway',
        owner: 'gateways',
        label: `the gateway of provider network ${i} (${net.bridge})`,
        path: ['providerNetworks', i, 'gateway'],
        text: net.gateway,
      });
    }
    net.staticRoutes?.forEach((route, j) => {
      out.push({
        role: 'gateway',
        owner: 'gateways',
        label: `static route ${j} of provider network ${i} (${net.bridge})`,
        path: ['providerNetworks', i, 'staticRoutes', j, 'gateway'],
        text: route.gateway,
      });
    });
  });
  (env.hostNetworking.vlans ?? []).forEach((vlan, i) => {
    if (vlan.gateway === undefined) return;
    out.push({
      role: 'gateway',
      owner: 'gateways',
      label: `the hosts' gateway on ${vlan.bridge}`,
      path: ['hostNetworking', 'vlans', i, 'gateway'],
      text: vlan.gateway,
    });
  });
  out.push({
    role: 'vip',
    owner: 'vip:external',
    label: 'the external VIP',
    path: ['haproxy', 'vips', 'external'],
    text: env.haproxy.vips.external,
  });
  out.push({
    role: 'vip',
    owner: 'vip:internal',
    label: 'the internal VIP',
    path: ['haproxy', 'vips', 'internal'],
    text: env.haproxy.vips.internal,
  });
  return out;
}
