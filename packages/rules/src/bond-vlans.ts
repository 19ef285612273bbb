import { ipv4, type IssuePath } from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';
const { parseAddress } = ipv4;

/**
 * Rules 7–9 for `hostNetworking.vlans`, the VLANs the bond carries besides the public one. They
 * end up in host_vars as openstack_hosts' COMPLETE networkd lists (docs/osa-facts.md#systemd-networkd, #openstack-hosts),
 * one `.network` per interface (docs/osa-facts.md#host-networking), so they must describe a bond that can exist:
 *
 * - the bond they sit on is defined (docs/osa-facts.md#host-networking);
 * - VLAN ids are unique on the bond, the public VLAN included (two netdevs with one id on one
 *   trunk: networkd creates only one of them);
 * - VLAN and bridge names are unique among everything the host builds (file names derive from
 *   them, and a second `.network` for one interface is never applied, docs/osa-facts.md#host-networking);
 * - `address: host-ip` appears at most once, on the management network's bridge: the host's
 *   `ip` is its management address (OSA `ip:`, on br-mgmt), and the netmask render writes is the
 *   management network's.
 *
 * - a VLAN's mtu (the public one's too) is at most the bond's.
 *
 * VLAN id range and interface-name syntax are checked with the public VLAN's (vlan-mac.ts,
 * interfaces.ts).
 */
export function checkBondVlans(ctx: SiteContext): void {
  checkMtus(ctx);
  const vlans = ctx.env.hostNetworking.vlans ?? [];
  if (vlans.length === 0) return;
  if (ctx.env.hostNetworking.bond === undefined) {
    ctx.report(
      'REFERENCE_UNKNOWN',
      ['hostNetworking', 'vlans'],
      `${vlans.length} VLAN(s) are declared but hostNetworking.bond is not; expected the bond they sit on, or no vlans`,
    );
  }
  checkIds(ctx);
  checkHostIp(ctx);
}

const at = (i: number, key: string): IssuePath => ['hostNetworking', 'vlans', i, key];

/** Linux's default MTU of a bond (and of the NICs it inherits it from) when MTUBytes is unset. */
const DEFAULT_MTU = 1500;

/**
 * A VLAN's MTU cannot exceed its lower device's: the kernel refuses it and networkd leaves the
 * VLAN at the bond's MTU. Render writes the VLAN's `mtu` (and the public network's, so the host
 * side carries the containers' jumbo frames), so the bond must be set at least as large.
 */
function checkMtus(ctx: SiteContext): void {
  const bond = ctx.env.hostNetworking.bond;
  if (bond === undefined) return;
  const bondMtu = bond.mtu ?? DEFAULT_MTU;
  const bondSays =
    bond.mtu !== undefined ? `the bond's mtu ${bond.mtu}` : `the bond's default ${DEFAULT_MTU}`;
  const check = (path: IssuePath, what: string, mtu: number | undefined): void => {
    if (mtu === undefined || mtu <= bondMtu) return;
    ctx.report(
      'VLAN_MTU_ABOVE_BOND',
      path,
      `${what} has mtu ${mtu}, above ${bondSays}; expected hostNetworking.bond.mtu of at least ${mtu}, because the kernel refuses a VLAN larger than its bond`,
    );
  };
  const pub = ctx.env.haproxy.publicNetwork;
  check(['haproxy', 'publicNetwork', 'mtu'], 'the public VLAN', pub.mtu);
  (ctx.env.hostNetworking.vlans ?? []).forEach((v, i) =>
    check(at(i, 'mtu'), `VLAN ${v.id} (${quote(v.bridge)})`, v.mtu),
  );
}

function checkIds(ctx: SiteContext): void {
  const pub = ctx.env.haproxy.publicNetwork;
  const seen = new Map<number, string>([[pub.vlan, 'the public VLAN (haproxy.publicNetwork.vlan)']]);
  (ctx.env.hostNetworking.vlans ?? []).forEach((vlan, i) => {
    const owner = seen.get(vlan.id);
    if (owner !== undefined) {
      ctx.report(
        'VLAN_ID_DUPLICATE',
        at(i, 'id'),
        `VLAN id ${vlan.id} is already used on the bond by ${owner}; expected a distinct id per VLAN on the bond`,
      );
    } else {
      seen.set(vlan.id, `hostNetworking.vlans[${i}] (${quote(vlan.bridge)})`);
    }
  });
}

function checkHostIp(ctx: SiteContext): void {
  const { env } = ctx;
  let first: number | undefined;
  (env.hostNetworking.vlans ?? []).forEach((vlan, i) => {
    if (vlan.address !== 'host-ip' && (vlan.gateway !== undefined || vlan.dns !== undefined)) {
      ctx.report(
        'MANAGEMENT_NETWORK_INVALID',
        at(i, vlan.gateway !== undefined ? 'gateway' : 'dns'),
        `VLAN ${vlan.id} sets the hosts' gateway or DNS on ${quote(vlan.bridge)}, which has no host address; expected them on the VLAN with address: 'host-ip'`,
      );
    }
    (vlan.dns ?? []).forEach((server, j) => {
      if (parseAddress(server) === undefined) {
        ctx.report(
          'ADDRESS_INVALID',
          [...at(i, 'dns'), j],
          `DNS server ${quote(server)} is not an IPv4 address; expected a dotted quad such as 10.0.0.53`,
        );
      }
    });
    if (vlan.address !== 'host-ip' && vlan.bridge === env.managementBridge) {
      ctx.report(
        'MANAGEMENT_NETWORK_INVALID',
        at(i, 'address'),
        `VLAN ${vlan.id} feeds the management bridge ${quote(vlan.bridge)} without the host's management address; expected address: 'host-ip', or openstack-hosts-setup would leave br-mgmt without an address and the host unreachable`,
      );
    }
    if (vlan.address !== 'host-ip') return;
    if (first !== undefined) {
      ctx.report(
        'MANAGEMENT_NETWORK_INVALID',
        at(i, 'address'),
        `a second VLAN with address: host-ip (the first is hostNetworking.vlans[${first}]); expected at most one, the host's ip is its one management address`,
      );
      return;
    }
    first = i;
    const onBridge = env.providerNetworks.filter((n) => n.bridge === vlan.bridge);
    const expected = `expected the management bridge ${quote(env.managementBridge)} (managementBridge, the provider network with isManagementAddress: true), because the host's ip is its management address`;
    if (onBridge.length === 0) {
      ctx.report(
        'REFERENCE_UNKNOWN',
        at(i, 'bridge'),
        `bridge ${quote(vlan.bridge)} gets the host's ip but is no provider network's bridge; ${expected}`,
      );
    } else if (
      vlan.bridge !== env.managementBridge ||
      !onBridge.some((n) => n.isManagementAddress === true)
    ) {
      ctx.report(
        'MANAGEMENT_NETWORK_INVALID',
        at(i, 'bridge'),
        `bridge ${quote(vlan.bridge)} gets the host's ip but is not the management network's bridge; ${expected}`,
      );
    }
  });
}
