// Picks the haproxy containers' public network among the provider networks and reports what the definition
// does not model on it.
import { HAPROXY_GROUP, normalizeGroup } from '@osa-gitops/core';
import { finding, ImportInputError } from '../findings';
import type { ImportedNetwork } from '../provider-networks';
import type { Emit } from './types';

/**
 * The haproxy containers' public network: bound to the `haproxy` group, with a default route
 * (the guide's `static_routes: [{cidr: 0.0.0.0/0, gateway: ...}]`).
 */
export function pickPublicNetwork(nets: readonly ImportedNetwork[], emit: Emit): ImportedNetwork {
  const candidates = nets.filter(
    (n) =>
      n.net.groupBinds.some((g) => normalizeGroup(g) === HAPROXY_GROUP) &&
      !n.net.isManagementAddress &&
      (n.net.staticRoutes?.some((r) => r.cidr === '0.0.0.0/0') || n.net.gateway !== undefined),
  );
  if (candidates.length === 0) {
    throw new ImportInputError(
      'no provider network binds the haproxy group with a default route (static_routes 0.0.0.0/0 or gateway): this config does not run HAProxy in LXC as the OSA guide sets it up, which is what a definition models',
    );
  }
  const pub = candidates[candidates.length - 1]!;
  for (const other of candidates.slice(0, -1)) {
    emit(
      finding(
        'IMPORT_LEFT_OUT',
        other.file,
        other.path,
        `a second public-looking network for haproxy (bridge ${other.net.bridge})`,
        `kept as an ordinary provider network; ${pub.net.bridge} is the public one`,
      ),
    );
  }
  const n = pub.net;
  const extras: string[] = [];
  if (n.groupBinds.length !== 1)
    extras.push(`group_binds ${JSON.stringify(n.groupBinds)} (the definition binds haproxy only)`);
  if (n.type !== 'raw') extras.push(`type ${n.type}`);
  if (n.addressPrefix !== undefined) extras.push(`address_prefix ${n.addressPrefix}`);
  if (n.bridgeType !== undefined) extras.push(`container_bridge_type ${n.bridgeType}`);
  if (n.containerType !== undefined && n.containerType !== 'veth')
    extras.push(`container_type ${n.containerType}`);
  if (n.referenceGroup !== undefined) extras.push(`reference_group ${n.referenceGroup}`);
  if (n.range !== undefined || n.netName !== undefined || n.hostBindOverride !== undefined)
    extras.push('range/net_name/host_bind_override');
  const routes = n.staticRoutes ?? [];
  if (routes.length > 1 || (routes.length === 1 && n.gateway !== undefined))
    extras.push('further static routes or gateway');
  if (routes.length === 0) {
    emit(
      finding(
        'IMPORT_DEFAULT_TAKEN',
        pub.file,
        [...pub.path, 'gateway'],
        `the public network sets gateway: ${n.gateway} instead of a static default route`,
        'imported as the containers’ default gateway; rendered as static_routes 0.0.0.0/0 via it',
      ),
    );
  }
  if (extras.length > 0) {
    emit(
      finding(
        'IMPORT_LEFT_OUT',
        pub.file,
        pub.path,
        `the public network also has ${extras.join(', ')}`,
        'not imported: the definition renders the public network as the guide does (raw, veth, haproxy, default route)',
      ),
    );
  }
  if (n.ipFromQ === undefined || n.containerInterface === undefined) {
    throw new ImportInputError(
      `the public network (bridge ${n.bridge}) has no ip_from_q or container_interface: OSA cannot give the haproxy containers an address on it`,
      pub.file,
    );
  }
  return pub;
}
