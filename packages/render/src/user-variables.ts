import { type Environment, managementNetwork } from '@osa-gitops/core';
import { keepalivedUnicastOverrides } from './keepalived-unicast';

/**
 * HAProxy binds and keepalived inside the containers (docs/osa-facts.md#guide-step-5, #haproxy-keepalived).
 *
 * - bind `interface` (the guide's choice; container addresses are random): bind the container
 *   interfaces with address `*`;
 * - bind `address`: bind the VIP addresses themselves (OSA's own default binds, made explicit).
 *   The guide's alternative, binding each container's own `container_networks[...]['address']`,
 *   leaves nothing listening on VIP:port: keepalived adds the VIP as a second address on the
 *   same interface, and a socket bound to the container's primary address does not accept
 *   traffic for it. Backup containers bind the VIP without holding it through
 *   `haproxy_bind_on_non_local`, which OSA's group_vars enable with more than one haproxy host.
 *
 * Keepalived interfaces are the container interfaces in both modes: OSA's default is
 * `management_bridge` (br-mgmt), which does not exist inside a container (docs/osa-facts.md#haproxy-keepalived). VIPs become /32
 * CIDRs; router ids come from the model (OSA's defaults are 10 and 11).
 */
export function renderUserVariables(env: Environment): Record<string, unknown> {
  const mgmt = managementNetwork(env);
  const externalInterface = env.haproxy.publicNetwork.containerInterface;
  const internalInterface = mgmt?.containerInterface;
  if (mgmt === undefined || internalInterface === undefined) {
    throw new Error(
      'render needs a validated environment: exactly one management network with a container interface',
    );
  }

  const binds: Record<string, string> =
    env.haproxy.bind === 'interface'
      ? {
          haproxy_bind_external_lb_vip_interface: externalInterface,
          haproxy_bind_internal_lb_vip_interface: internalInterface,
          haproxy_bind_external_lb_vip_address: '*',
          haproxy_bind_internal_lb_vip_address: '*',
        }
      : {
          haproxy_bind_external_lb_vip_address: env.haproxy.vips.external,
          haproxy_bind_internal_lb_vip_address: env.haproxy.vips.internal,
        };

  const vips = env.haproxy.vips;
  const names = vips.externalName !== undefined ? [vips.externalName] : [];
  // haproxy_server builds each bind's certificate SAN from the bind address (`*` adds nothing)
  // plus the bind's `pki_san_records` (vars/main.yml `_haproxy_pki_certificates` @ b86fdd5), and
  // takes the binds from `haproxy_tls_vip_binds` when set: the same binds as the variables above,
  // with the VIPs (interface mode) and the site's DNS name as SAN records.
  const tlsBinds =
    env.haproxy.bind === 'interface'
      ? [
          {
            address: '*',
            interface: externalInterface,
            type: 'external',
            pki_san_records: [vips.external, ...names],
          },
          { address: '*', interface: internalInterface, type: 'internal', pki_san_records: [vips.internal] },
        ]
      : [
          {
            address: vips.external,
            type: 'external',
            ...(names.length > 0 ? { pki_san_records: names } : {}),
          },
          { address: vips.internal, type: 'internal' },
        ];

  return {
    ...binds,
    haproxy_tls_vip_binds: tlsBinds,
    // By address, haproxy binds the VIP itself: a container that does not hold it (a backup, or a
    // single host at boot before keepalived brings the VIP up) can bind it only with non-local
    // binds, which OSA enables only with more than one haproxy host (group_vars/haproxy).
    ...(env.haproxy.bind === 'address' ? { haproxy_bind_on_non_local: true } : {}),
    // OSA enables keepalived only with more than one haproxy host (group_vars/haproxy/haproxy.yml,
    // docs/osa-facts.md#haproxy-keepalived); our VIPs are addresses of their own that only keepalived brings up, so a single-host
    // site would otherwise have no VIP at all.
    haproxy_use_keepalived: true,
    haproxy_keepalived_external_vip_cidr: `${env.haproxy.vips.external}/32`,
    haproxy_keepalived_internal_vip_cidr: `${env.haproxy.vips.internal}/32`,
    haproxy_keepalived_external_interface: externalInterface,
    haproxy_keepalived_internal_interface: internalInterface,
    haproxy_keepalived_external_virtual_router_id: env.haproxy.keepalived.externalRouterId,
    haproxy_keepalived_internal_virtual_router_id: env.haproxy.keepalived.internalRouterId,
    // OSA pings the container's default gateway from both instances (group_vars/haproxy/
    // keepalived.yml); the internal VIP must not fail over with the public gateway.
    keepalived_external_ping_address: env.haproxy.publicNetwork.gateway,
    keepalived_internal_ping_address: internalPingAddress(env),
    ...keepalivedUnicastOverrides(env),
  };
}

/**
 * The internal instance's ping target: the site's choice, else the hosts' gateway on the
 * management bridge (the `host-ip` VLAN's `gateway`), else 127.0.0.1, OSA's own fallback, which
 * always answers: the internal VIP then moves on haproxy health and priority only.
 */
function internalPingAddress(env: Environment): string {
  const set = env.haproxy.keepalived.internalPingAddress;
  if (set !== undefined) return set;
  const mgmt = (env.hostNetworking.vlans ?? []).find(
    (v) => v.address === 'host-ip' && v.gateway !== undefined,
  );
  return mgmt?.gateway ?? '127.0.0.1';
}
