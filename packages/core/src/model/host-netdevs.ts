import type { Environment, Host } from './schema';
import { HAPROXY_HOST_GROUP, bondVlanName, vlanInterfaceName } from './derive';
import { normalizeGroup } from './osa-groups';
import { own } from './own';

/**
 * Every interface a host's rendered host_vars name for systemd-networkd, where each one is
 * written in the definition, and the file name stem it gets. render/host-vars.ts and the
 * validation rules (netdev names, file names) read a host through this one function, so what is
 * checked is what is rendered.
 *
 * The systemd_networkd role writes `<filename>.netdev` per device and `<filename>.network` plus
 * `<filename>.link` per network item (ansible-role-systemd_networkd `tasks/main.yml` @ d27b012).
 */

/**
 * The stem of our own file names. Never OSA's `openstack-net`: openstack_hosts passes
 * `openstack_hosts_systemd_networkd_prefix` to the role as `systemd_networkd_prefix`, and the
 * role's cleanup removes every `*<prefix>*.netdev` / `*.network` file (docs/host-networking.md).
 */
export const NETWORKD_PREFIX = 'osa-gitops';

export type HostNetdevRole = 'bond' | 'member' | 'vlan' | 'bridge';

export interface HostNetdev {
  readonly name: string;
  readonly role: HostNetdevRole;
  /** For people: `the bond`, `bond member of infra1`, `the public VLAN interface`, … */
  readonly what: string;
  /** Where the name is written in the definition. */
  readonly path: readonly (string | number)[];
  /** A `.netdev` is written (bond, VLANs, bridges; not the bond members, which are NICs). */
  readonly netdev: boolean;
  /** A `.network` (and `.link`) is written. */
  readonly network: boolean;
  /** Our default stem's number: 05 bond and members, 10 VLANs, 11 bridges (the guide's order). */
  readonly order: number;
}

export function isHaproxyHost(host: Host): boolean {
  return host.groups.some((g) => normalizeGroup(g) === HAPROXY_HOST_GROUP);
}

/**
 * The bond and its members, each VLAN and its bridge (the public one on haproxy hosts, the site's
 * VLANs on every host with the bond), as render writes them. Empty for a host that
 * gets no networkd lists. Order: bond, members, the public VLAN and bridge, then
 * `hostNetworking.vlans` (a collision is reported at the later one), not the render's order.
 */
export function hostNetdevs(env: Environment, hostName: string): HostNetdev[] {
  const host = own(env.hosts, hostName);
  if (host === undefined) return [];
  const bond = env.hostNetworking.bond;
  const pub = env.haproxy.publicNetwork;
  const members = Object.keys(host.bondMembers ?? {});
  const haproxy = isHaproxyHost(host);
  if (members.length === 0 && !haproxy) return [];

  const out: HostNetdev[] = [];
  // The bond's .network is named after the public network's bond on haproxy hosts (it carries the
  // public VLAN there); its .netdev after hostNetworking.bond, written only with members.
  const bondNetworkName = haproxy ? pub.bond : (bond?.name ?? pub.bond);
  const withNetdev = members.length > 0 && bond !== undefined;
  if (withNetdev && bond.name !== bondNetworkName) {
    out.push(entry(bond.name, 'bond', 'the bond', ['hostNetworking', 'bond', 'name'], true, false, 5));
  }
  out.push(
    entry(
      bondNetworkName,
      'bond',
      'the bond',
      haproxy || bond === undefined
        ? ['haproxy', 'publicNetwork', 'bond']
        : ['hostNetworking', 'bond', 'name'],
      withNetdev && bond.name === bondNetworkName,
      true,
      5,
    ),
  );
  for (const nic of members) {
    out.push(
      entry(
        nic,
        'member',
        `a bond member of ${hostName}`,
        ['hosts', hostName, 'bondMembers', nic],
        false,
        true,
        5,
      ),
    );
  }
  if (haproxy) {
    out.push(
      entry(
        vlanInterfaceName(pub),
        'vlan',
        'the public VLAN interface',
        ['haproxy', 'publicNetwork', pub.vlanInterface !== undefined ? 'vlanInterface' : 'bridge'],
        true,
        true,
        10,
      ),
    );
    out.push(
      entry(
        pub.bridge,
        'bridge',
        'the public bridge',
        ['haproxy', 'publicNetwork', 'bridge'],
        true,
        true,
        11,
      ),
    );
  }
  (env.hostNetworking.vlans ?? []).forEach((v, i) => {
    const at = ['hostNetworking', 'vlans', i];
    // The bridge first: a derived VLAN name repeats a taken bridge's mistake, at the same path.
    out.push(
      entry(
        v.bridge,
        'bridge',
        `the bridge of hostNetworking.vlans[${i}]`,
        [...at, 'bridge'],
        true,
        true,
        11,
      ),
    );
    out.push(
      entry(
        bondVlanName(v),
        'vlan',
        `the VLAN interface of hostNetworking.vlans[${i}]`,
        [...at, v.name !== undefined ? 'name' : 'bridge'],
        true,
        true,
        10,
      ),
    );
  });
  return out;
}

function entry(
  name: string,
  role: HostNetdevRole,
  what: string,
  path: readonly (string | number)[],
  netdev: boolean,
  network: boolean,
  order: number,
): HostNetdev {
  return { name, role, what, path, netdev, network, order };
}

/** Our stem: `05-osa-gitops-bond0`, `10-osa-gitops-vlan-public-api`, … */
export function defaultNetworkdStem(order: number, name: string): string {
  return `${String(order).padStart(2, '0')}-${NETWORKD_PREFIX}-${name}`;
}

/**
 * The stem of every file written for `name` on a host: the host's `networkdFilenames`, else the
 * site's `hostNetworking.networkdFilenames`, else ours.
 */
export function networkdStem(env: Environment, hostName: string, order: number, name: string): string {
  const host = own(env.hosts, hostName);
  return (
    (host?.networkdFilenames !== undefined ? own(host.networkdFilenames, name) : undefined) ??
    (env.hostNetworking.networkdFilenames !== undefined
      ? own(env.hostNetworking.networkdFilenames, name)
      : undefined) ??
    defaultNetworkdStem(order, name)
  );
}
