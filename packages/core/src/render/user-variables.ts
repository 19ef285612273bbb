import type { Environment } from '../model/schema';
import { managementNetwork } from '../model/derive';

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

  return {
    ...binds,
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
  };
}
