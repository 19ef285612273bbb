import type { Environment } from '../model/schema';
import { addressKey, managementNetwork, publicProviderNetwork } from '../model/derive';

export const USER_VARIABLES_FILE = 'user_variables_haproxy_lxc.yml';

/** The only shape of name allowed inside the Jinja we generate (QUEUE_NAME plus `_address`). */
const ADDRESS_KEY = /^[a-z][a-z0-9_]*_address$/;

/**
 * HAProxy binds and keepalived inside the containers (osa-reference §1 step 5, §4.3).
 *
 * - bind `interface` (the guide's choice; container addresses are random): bind the container
 *   interfaces with address `*`;
 * - bind `address`: bind each container's own address through `container_networks`, whose key
 *   is derived exactly as OSA derives it (`container_address` when the management network's
 *   ip_from_q is `container`, §1 step 5, §2.4). This is the only Jinja we generate, and only from
 *   names that match ADDRESS_KEY.
 *
 * Keepalived interfaces are the container interfaces in both modes: OSA's default is
 * `management_bridge` (br-mgmt), which does not exist inside a container (§4.3). VIPs become /32
 * CIDRs; router ids come from the model (OSA's defaults are 10 and 11).
 */
export function renderUserVariables(env: Environment): Record<string, unknown> {
  const external = publicProviderNetwork(env);
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
          haproxy_bind_external_lb_vip_address: containerAddress(addressKey(external)),
          haproxy_bind_internal_lb_vip_address: containerAddress(addressKey(mgmt)),
        };

  return {
    ...binds,
    haproxy_keepalived_external_vip_cidr: `${env.haproxy.vips.external}/32`,
    haproxy_keepalived_internal_vip_cidr: `${env.haproxy.vips.internal}/32`,
    haproxy_keepalived_external_interface: externalInterface,
    haproxy_keepalived_internal_interface: internalInterface,
    haproxy_keepalived_external_virtual_router_id: env.haproxy.keepalived.externalRouterId,
    haproxy_keepalived_internal_virtual_router_id: env.haproxy.keepalived.internalRouterId,
  };
}

function containerAddress(key: string): string {
  if (!ADDRESS_KEY.test(key)) {
    throw new Error(`render needs a validated environment: ${JSON.stringify(key)} is not a safe address key`);
  }
  return `{{ container_networks['${key}']['address'] }}`;
}
