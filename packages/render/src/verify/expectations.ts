import { type Environment, haproxyHosts, ipv4, managementNetwork, own } from '@osa-gitops/core';
import { renderUsedIps } from '../used-ips';
const { requireAddress, requireCidr } = ipv4;
type Ipv4Range = ipv4.Ipv4Range;

/**
 * What a site's haproxy containers should look like once deployed, read from its (validated)
 * definition through the same derivations render uses, so verify checks what was rendered.
 */
export interface VerifyExpectations {
  readonly site: string;
  /** Metal hosts in `haproxy_hosts`: each runs one haproxy container. */
  readonly haproxyHosts: readonly string[];
  /** The public side inside the container (eth20 in the guide). */
  readonly publicInterface: string;
  readonly publicCidr: string;
  readonly publicGateway: string;
  /** Addresses of the public network OSA never hands to a container (its `used_ips` there). */
  readonly publicReserved: readonly Ipv4Range[];
  readonly externalVip: string;
  readonly internalVip: string;
  /** keepalived's interface for each VIP (the container interfaces). */
  readonly externalVipInterface: string;
  readonly internalVipInterface: string;
  /** How HAProxy binds: by container interface (`*` on the device) or by the VIP addresses. */
  readonly bind: 'interface' | 'address';
  /** The interface every container must not route its default through (LXC's own eth0). */
  readonly lxcDefaultInterface: string;
  /** `haproxy.vips.externalName`: a SAN of the external TLS binds' certificate too. */
  readonly externalName?: string;
  /**
   * keepalived's VRRP instances as OSA's group_vars/haproxy/keepalived.yml names them
   * (`external`, `internal`) with the router ids and interfaces we render.
   */
  readonly vrrp: readonly {
    readonly name: 'external' | 'internal';
    readonly vrid: number;
    readonly vip: string;
    readonly interface: string;
  }[];
}

/** Throws only on a definition that did not validate (callers validate first). */
export function verifyExpectations(env: Environment): VerifyExpectations {
  const pub = env.haproxy.publicNetwork;
  const publicCidr = own(env.networks, pub.cidrName);
  const internalInterface = managementNetwork(env)?.containerInterface;
  if (publicCidr === undefined || internalInterface === undefined)
    throw new Error('verify needs a validated definition: public network and management interface');
  const net = requireCidr(publicCidr);
  const publicReserved = renderUsedIps(env)
    .map((entry) => {
      const [a, b] = entry.split(',');
      const first = requireAddress(a!);
      return { first, last: b === undefined ? first : requireAddress(b) };
    })
    .filter((r) => r.last >= net.first && r.first <= net.last);
  return {
    site: env.name,
    haproxyHosts: haproxyHosts(env),
    publicInterface: pub.containerInterface,
    publicCidr,
    publicGateway: pub.gateway,
    publicReserved,
    externalVip: env.haproxy.vips.external,
    internalVip: env.haproxy.vips.internal,
    externalVipInterface: pub.containerInterface,
    internalVipInterface: internalInterface,
    bind: env.haproxy.bind,
    lxcDefaultInterface: 'eth0',
    ...(env.haproxy.vips.externalName !== undefined ? { externalName: env.haproxy.vips.externalName } : {}),
    vrrp: [
      {
        name: 'external',
        vrid: env.haproxy.keepalived.externalRouterId,
        vip: env.haproxy.vips.external,
        interface: pub.containerInterface,
      },
      {
        name: 'internal',
        vrid: env.haproxy.keepalived.internalRouterId,
        vip: env.haproxy.vips.internal,
        interface: internalInterface,
      },
    ],
  };
}
