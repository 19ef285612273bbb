import {
  type Bond,
  bondVlanName,
  type Environment,
  HAPROXY_HOST_GROUP,
  type Host,
  hostVarsFile,
  ipv4,
  managementCidrName,
  NETWORKD_PREFIX,
  networkdStem,
  normalizeGroup,
  own,
  vlanInterfaceName,
} from '@osa-gitops/core';
import { quoted } from './yaml';
const { netmaskOf, requireCidr } = ipv4;

/** One VLAN on the bond and the bridge it feeds, as this host builds it. */
interface HostVlan {
  readonly id: number;
  readonly name: string;
  readonly bridge: string;
  readonly mtu?: number;
  /** The bridge's static address (`host-ip`), with the management network's netmask. */
  readonly address?: { readonly address: string; readonly netmask: string };
  /** The host's default gateway and DNS servers, on the `host-ip` bridge. */
  readonly gateway?: string;
  readonly dns?: readonly string[];
}

/**
 * Per-host `openstack_hosts_systemd_networkd_devices` / `_networks` as concrete lists, replacing
 * the guide's Jinja in user_variables.yml (docs/osa-facts.md#guide-step-2, #systemd-networkd, #openstack-hosts): each host gets
 * its own bond members matched by its own MACs, and reviewers see exactly what each host builds.
 *
 * - every host with bond members: the bond netdev, its members, and every VLAN of
 *   `hostNetworking.vlans` with the bridge it feeds;
 * - every haproxy host additionally: the public VLAN and the bridge the containers' public veth
 *   joins.
 *
 * These variables are the host's COMPLETE networkd lists (docs/osa-facts.md#openstack-hosts), and systemd applies only the
 * first matching `.network` (docs/osa-facts.md#host-networking): the bond's one `.network` lists every VLAN it carries, in VLAN id
 * order, so nothing the model knows about is dropped from the bond.
 *
 * openstack_hosts runs networkd only when BOTH lists are non-empty (docs/osa-facts.md#openstack-hosts) and silently skips a
 * host otherwise, so a host whose devices or networks would be empty gets no file. Every item
 * has an explicit unique `filename`, one `.network` per interface.
 */
export function renderHostVars(env: Environment): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const name of Object.keys(env.hosts).sort()) {
    const fileName: FileName = (order, iface) => networkdStem(env, name, order, iface);
    const vars = renderHost(env, env.hosts[name]!, fileName);
    if (vars) out.set(hostVarsFile(name), vars);
  }
  return out;
}

/** The file name stem of an interface on the host being rendered (model/host-netdevs.ts). */
type FileName = (order: number, iface: string) => string;

function renderHost(env: Environment, host: Host, fileName: FileName): Record<string, unknown> | undefined {
  const bond = env.hostNetworking.bond;
  const members = Object.keys(host.bondMembers ?? {}).sort();
  const isHaproxy = host.groups.some((g) => normalizeGroup(g) === HAPROXY_HOST_GROUP);
  const bondName = bond?.name ?? env.haproxy.publicNetwork.bond;
  const carriesBond = members.length > 0 || isHaproxy;
  const vlans = carriesBond ? hostVlans(env, host, isHaproxy) : [];

  const devices: Record<string, unknown>[] = [];
  const networks: Record<string, unknown>[] = [];
  if (members.length > 0 && bond) devices.push(bondNetdev(bond, fileName));
  for (const member of members) {
    networks.push({
      interface: member,
      filename: fileName(5, member),
      bond: bondName,
      // Membership is decided in the .network's [Match] (docs/adr/0011): the name AND the NIC's
      // permanent MAC, which, unlike MACAddress=, does not change when the bond takes the NIC.
      config_overrides: { Match: { PermanentMACAddress: host.bondMembers![member]! } },
    });
  }
  for (const vlan of vlans) devices.push(...vlanNetdevs(vlan, fileName));
  if (carriesBond) networks.push(bondNetwork(env, isHaproxy, vlans, fileName));
  for (const vlan of vlans) networks.push(...vlanNetworks(vlan, fileName));

  if (devices.length === 0 || networks.length === 0) return undefined;
  return {
    openstack_hosts_systemd_networkd_devices: devices,
    openstack_hosts_systemd_networkd_networks: networks,
    // The role's cleanup deletes `*<prefix>*.netdev` / `*.network` before writing: with our own
    // prefix, exactly the files of ours this render no longer names (docs/host-networking.md).
    openstack_hosts_systemd_networkd_prefix: NETWORKD_PREFIX,
    systemd_interface_cleanup: true,
  };
}

/**
 * Every VLAN this host's bond carries, sorted by id: the site's `hostNetworking.vlans` (all of
 * them, on every host with the bond) and, on haproxy hosts, the public VLAN.
 */
function hostVlans(env: Environment, host: Host, isHaproxy: boolean): HostVlan[] {
  const vlans: HostVlan[] = (env.hostNetworking.vlans ?? []).map((v) => ({
    id: v.id,
    name: bondVlanName(v),
    bridge: v.bridge,
    ...(v.mtu !== undefined ? { mtu: v.mtu } : {}),
    // OSA's management address: management_ip when given, else ip.
    ...(v.address === 'host-ip'
      ? { address: { address: host.managementIp ?? host.ip, netmask: managementNetmask(env) } }
      : {}),
    ...(v.gateway !== undefined ? { gateway: v.gateway } : {}),
    ...(v.dns !== undefined && v.dns.length > 0 ? { dns: v.dns } : {}),
  }));
  if (isHaproxy) {
    const pub = env.haproxy.publicNetwork;
    // The host side carries the containers' MTU too, or jumbo frames stop at the bridge.
    vlans.push({
      id: pub.vlan,
      name: vlanInterfaceName(pub),
      bridge: pub.bridge,
      ...(pub.mtu !== undefined ? { mtu: pub.mtu } : {}),
    });
  }
  return vlans.sort((a, b) => a.id - b.id);
}

/** The management network's netmask: the prefix the host's `ip` lives in (docs/osa-facts.md#systemd-networkd `netmask`). */
function managementNetmask(env: Environment): string {
  const name = managementCidrName(env);
  const cidr = name === undefined ? undefined : own(env.networks, name);
  if (cidr === undefined) {
    throw new Error('render needs a validated environment: a management network for the host-ip VLAN');
  }
  return netmaskOf(requireCidr(cidr));
}

/** systemd values stay strings whatever they look like (`802.3ad`, docs/osa-facts.md#yaml-typing). */
function bondNetdev(bond: Bond, fileName: FileName): Record<string, unknown> {
  return {
    NetDev: { Name: bond.name, Kind: 'bond' },
    Bond: {
      Mode: quoted(bond.mode),
      TransmitHashPolicy: quoted(bond.transmitHashPolicy),
      LACPTransmitRate: quoted(bond.lacpTransmitRate),
      MIIMonitorSec: quoted(bond.miiMonitor),
    },
    filename: fileName(5, bond.name),
  };
}

/** The VLAN on the bond and its bridge, with the guide's bridge timers (docs/osa-facts.md#guide-step-2). */
function vlanNetdevs(vlan: HostVlan, fileName: FileName): Record<string, unknown>[] {
  return [
    { NetDev: { Name: vlan.name, Kind: 'vlan' }, VLAN: { Id: vlan.id }, filename: fileName(10, vlan.name) },
    {
      NetDev: { Name: vlan.bridge, Kind: 'bridge' },
      Bridge: { ForwardDelaySec: 0, HelloTimeSec: 2, MaxAgeSec: 12, STP: 'off' },
      filename: fileName(11, vlan.bridge),
    },
  ];
}

function bondNetwork(
  env: Environment,
  isHaproxy: boolean,
  vlans: readonly HostVlan[],
  fileName: FileName,
): Record<string, unknown> {
  const pub = env.haproxy.publicNetwork;
  const bond = env.hostNetworking.bond;
  const name = isHaproxy ? pub.bond : (bond?.name ?? pub.bond);
  const item: Record<string, unknown> = { interface: name, filename: fileName(5, name) };
  // One `.network` per interface (docs/osa-facts.md#host-networking): this is the bond's only one, so it lists every VLAN.
  if (vlans.length > 0) item.vlan = vlans.map((v) => v.name);
  if (bond?.mtu !== undefined && bond.name === name) item.mtu = bond.mtu;
  return item;
}

/** VLAN → bridge, and the bridge itself (with the host's address on the `host-ip` one). */
function vlanNetworks(vlan: HostVlan, fileName: FileName): Record<string, unknown>[] {
  const mtu = vlan.mtu !== undefined ? { mtu: vlan.mtu } : {};
  return [
    { interface: vlan.name, filename: fileName(10, vlan.name), bridge: vlan.bridge, ...mtu },
    {
      interface: vlan.bridge,
      filename: fileName(11, vlan.bridge),
      ...(vlan.address ?? {}),
      ...(vlan.gateway !== undefined ? { gateway: vlan.gateway } : {}),
      ...(vlan.dns !== undefined ? { dns: vlan.dns } : {}),
      ...mtu,
    },
  ];
}
