import { bondVlanName, type IssuePath } from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';
import { interfaceNameProblem } from './interfaces';

/**
 * `hostNetworking.externalBridges`: bridges the hosts with bond members have outside the bond,
 * declared but not rendered (ADR 0005). What is declared must be able to exist next to what
 * osa-gitops builds:
 *
 * - bridge and interface are Linux interface names (kernel `dev_valid_name`, as interfaces.ts);
 * - a declared bridge is not also built by a bond VLAN or the public VLAN, and the NIC feeding it
 *   is not a bond member: one `.network` per interface is applied (systemd), so two owners of one
 *   interface means one of them silently loses;
 * - `address: host-ip` only on the management bridge, and at most once with the bond's VLANs.
 */
export function checkExternalBridges(ctx: SiteContext): void {
  const { env } = ctx;
  const list = env.hostNetworking.externalBridges ?? [];
  if (list.length === 0) return;
  const at = (i: number, key: string): IssuePath => ['hostNetworking', 'externalBridges', i, key];

  const owners = new Map<string, string>();
  owners.set(env.haproxy.publicNetwork.bridge, 'the public bridge (haproxy.publicNetwork.bridge)');
  (env.hostNetworking.vlans ?? []).forEach((v, i) => {
    if (!owners.has(v.bridge)) owners.set(v.bridge, `built by hostNetworking.vlans[${i}]`);
    if (!owners.has(bondVlanName(v))) owners.set(bondVlanName(v), `a VLAN of hostNetworking.vlans[${i}]`);
  });
  const members = new Set<string>();
  for (const h of Object.values(env.hosts))
    for (const nic of Object.keys(h.bondMembers ?? {})) members.add(nic);

  let hostIp = (env.hostNetworking.vlans ?? []).findIndex((v) => v.address === 'host-ip') >= 0 ? -2 : -1;
  list.forEach((b, i) => {
    const name = (path: IssuePath, value: string, what: string): boolean => {
      const problem = interfaceNameProblem(value);
      if (problem !== undefined)
        ctx.report('INTERFACE_NAME_INVALID', path, `${what} ${quote(value)} ${problem}`);
      return problem === undefined;
    };
    if (name(at(i, 'bridge'), b.bridge, 'external bridge')) {
      const owner = owners.get(b.bridge);
      if (owner !== undefined) {
        ctx.report(
          'HOST_INTERFACE_DUPLICATE',
          at(i, 'bridge'),
          `external bridge ${quote(b.bridge)} is already ${owner}; expected a bridge osa-gitops does not build, because systemd applies only the first .network file for an interface`,
        );
      } else {
        owners.set(b.bridge, `declared by hostNetworking.externalBridges[${i}]`);
      }
    }
    if (b.interface !== undefined && name(at(i, 'interface'), b.interface, 'interface')) {
      if (members.has(b.interface)) {
        ctx.report(
          'HOST_INTERFACE_DUPLICATE',
          at(i, 'interface'),
          `${quote(b.interface)} is a bond member; expected the NIC outside the bond that feeds ${quote(b.bridge)}, because a bond member carries only the bond`,
        );
      }
    }
    if (b.address !== 'host-ip') return;
    if (b.bridge !== env.managementBridge) {
      ctx.report(
        'MANAGEMENT_NETWORK_INVALID',
        at(i, 'address'),
        `external bridge ${quote(b.bridge)} carries the host's ip but is not the management bridge; expected address: 'host-ip' only on ${quote(env.managementBridge)} (managementBridge), because the host's ip is its management address`,
      );
    } else if (hostIp !== -1) {
      ctx.report(
        'MANAGEMENT_NETWORK_INVALID',
        at(i, 'address'),
        `a second interface with address: host-ip (the first is ${hostIp === -2 ? 'a VLAN in hostNetworking.vlans' : `hostNetworking.externalBridges[${hostIp}]`}); expected exactly one, the host's ip is its one management address`,
      );
    } else {
      hostIp = i;
    }
  });
}
