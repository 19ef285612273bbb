import type { Bond, Environment, Host, PublicNetwork } from '../model/schema';
import { HAPROXY_HOST_GROUP, vlanInterfaceName } from '../model/derive';
import { normalizeGroup } from '../model/osa-groups';
import { quoted } from './yaml';

/** Our systemd-networkd file names: never OSA's `openstack-net` prefix (its cleanup globs on it). */
const FILE_PREFIX = 'osa-gitops';

export function hostVarsFile(host: string): string {
  return `host_vars/${host}.yml`;
}

/**
 * Per-host `openstack_hosts_systemd_networkd_devices` / `_networks` as concrete lists, replacing
 * the guide's Jinja in user_variables.yml (osa-reference §1 step 2, §4.1, §4.4): each host gets
 * its own bond members matched by its own MACs, and reviewers see exactly what each host builds.
 *
 * - every host with bond members: the bond netdev and its members;
 * - every haproxy host additionally: the VLAN netdev on the bond, the bridge the containers'
 *   public veth joins, and the `.network` items chaining bond → VLAN → bridge.
 *
 * openstack_hosts runs networkd only when BOTH lists are non-empty (§4.4) and silently skips a
 * host otherwise, so a host whose devices or networks would be empty gets no file. Every item
 * has an explicit unique `filename`, one `.network` per interface (systemd applies only the first
 * matching `.network`, §5).
 */
export function renderHostVars(env: Environment): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const name of Object.keys(env.hosts).sort()) {
    const vars = renderHost(env, env.hosts[name]!);
    if (vars) out.set(hostVarsFile(name), vars);
  }
  return out;
}

function renderHost(env: Environment, host: Host): Record<string, unknown> | undefined {
  const pub = env.haproxy.publicNetwork;
  const bond = env.hostNetworking.bond;
  const members = Object.keys(host.bondMembers ?? {}).sort();
  const isHaproxy = host.groups.some((g) => normalizeGroup(g) === HAPROXY_HOST_GROUP);
  const bondName = bond?.name ?? pub.bond;

  const devices: Record<string, unknown>[] = [];
  const networks: Record<string, unknown>[] = [];
  if (members.length > 0 && bond) devices.push(bondNetdev(bond));
  for (const member of members) {
    networks.push({
      interface: member,
      filename: fileName(5, member),
      bond: bondName,
      link_config_overrides: { Match: { MACAddress: host.bondMembers![member]! } },
    });
  }
  if (isHaproxy) devices.push(...publicNetdevs(pub));
  if (members.length > 0 || isHaproxy) networks.push(bondNetwork(env, isHaproxy));
  if (isHaproxy) networks.push(...publicNetworks(pub));

  if (devices.length === 0 || networks.length === 0) return undefined;
  return {
    openstack_hosts_systemd_networkd_devices: devices,
    openstack_hosts_systemd_networkd_networks: networks,
  };
}

/** systemd values stay strings whatever they look like (`802.3ad`, osa-reference §5). */
function bondNetdev(bond: Bond): Record<string, unknown> {
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

/** The VLAN on the bond and the bridge, with the guide's bridge timers (§1 step 2). */
function publicNetdevs(pub: PublicNetwork): Record<string, unknown>[] {
  const vlan = vlanInterfaceName(pub);
  return [
    { NetDev: { Name: vlan, Kind: 'vlan' }, VLAN: { Id: pub.vlan }, filename: fileName(10, vlan) },
    {
      NetDev: { Name: pub.bridge, Kind: 'bridge' },
      Bridge: { ForwardDelaySec: 0, HelloTimeSec: 2, MaxAgeSec: 12, STP: 'off' },
      filename: fileName(11, pub.bridge),
    },
  ];
}

function bondNetwork(env: Environment, isHaproxy: boolean): Record<string, unknown> {
  const pub = env.haproxy.publicNetwork;
  const bond = env.hostNetworking.bond;
  const name = isHaproxy ? pub.bond : (bond?.name ?? pub.bond);
  const item: Record<string, unknown> = { interface: name, filename: fileName(5, name) };
  if (isHaproxy) item.vlan = [vlanInterfaceName(pub)];
  if (bond?.mtu !== undefined && bond.name === name) item.mtu = bond.mtu;
  return item;
}

function publicNetworks(pub: PublicNetwork): Record<string, unknown>[] {
  const vlan = vlanInterfaceName(pub);
  return [
    { interface: vlan, filename: fileName(10, vlan), bridge: pub.bridge },
    { interface: pub.bridge, filename: fileName(11, pub.bridge) },
  ];
}

function fileName(order: number, iface: string): string {
  return `${String(order).padStart(2, '0')}-${FILE_PREFIX}-${iface}`;
}
