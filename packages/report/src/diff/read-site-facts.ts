import { readYaml, type YamlReader } from './yaml-reader';
import {
  hostOfHostVarsFile,
  OPENSTACK_USER_CONFIG_FILE,
  type RenderedTree,
  USER_VARIABLES_FILE,
} from '@osa-gitops/core';

/**
 * The network facts of one rendered tree, read back from its YAML (not from the definition), so
 * that the PR summary describes exactly what OSA will read. Missing or unparsable pieces are
 * simply absent: a summary must never fail because someone hand-edited a committed file.
 */
export interface SiteFacts {
  readonly externalVip?: string;
  readonly internalVip?: string;
  readonly publicGateway?: string;
  readonly publicBridge?: string;
  readonly publicContainerInterface?: string;
  readonly publicCidrName?: string;
  readonly internalInterface?: string;
  /** `cidr_networks`: name → CIDR. */
  readonly cidrNetworks: ReadonlyMap<string, string>;
  /** Keys of `haproxy_hosts`, sorted. */
  readonly haproxyHosts: readonly string[];
  /** host → VLAN netdev name → VLAN id, from `host_vars/<host>.yml`. */
  readonly vlans: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** host → VLAN netdev name → bond carrying it. */
  readonly vlanParents: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** host → VLAN netdev name → bridge it is enslaved to. */
  readonly vlanBridges: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly bindMode?: 'interface' | 'address';
  readonly externalRouterId?: number;
  readonly internalRouterId?: number;
}

type Obj = Record<string, unknown>;

export function readSiteFacts(tree: RenderedTree, loadYaml: YamlReader = readYaml): SiteFacts {
  const config = asObj(loadYaml(tree.get(OPENSTACK_USER_CONFIG_FILE)));
  const vars = asObj(loadYaml(tree.get(USER_VARIABLES_FILE)));
  const overrides = asObj(config['global_overrides']);

  const cidrNetworks = new Map<string, string>();
  for (const [name, cidr] of Object.entries(asObj(config['cidr_networks']))) {
    if (typeof cidr === 'string') cidrNetworks.set(name, cidr);
  }

  const publicNet = findPublicNetwork(asArray(overrides['provider_networks']));
  const publicGateway = publicNet ? defaultRouteGateway(publicNet) : undefined;

  const vlans = new Map<string, Map<string, number>>();
  const vlanParents = new Map<string, Map<string, string>>();
  const vlanBridges = new Map<string, Map<string, string>>();
  for (const [path, text] of tree) {
    const host = hostOfHostVarsFile(path);
    if (host === undefined) continue;
    const hostVars = asObj(loadYaml(text));
    const ids = vlanIds(asArray(hostVars['openstack_hosts_systemd_networkd_devices']));
    if (ids.size > 0) vlans.set(host, ids);
    const [parents, bridges] = vlanWiring(asArray(hostVars['openstack_hosts_systemd_networkd_networks']));
    if (parents.size > 0) vlanParents.set(host, parents);
    if (bridges.size > 0) vlanBridges.set(host, bridges);
  }

  const externalIface = str(vars['haproxy_bind_external_lb_vip_interface']);
  const bindMode = Object.keys(vars).length === 0 ? undefined : externalIface ? 'interface' : 'address';

  return {
    externalVip:
      str(overrides['external_lb_vip_address']) ?? stripCidr(vars['haproxy_keepalived_external_vip_cidr']),
    internalVip:
      str(overrides['internal_lb_vip_address']) ?? stripCidr(vars['haproxy_keepalived_internal_vip_cidr']),
    publicGateway,
    publicBridge: publicNet ? str(publicNet['container_bridge']) : undefined,
    publicContainerInterface: publicNet ? str(publicNet['container_interface']) : undefined,
    publicCidrName: publicNet ? str(publicNet['ip_from_q']) : undefined,
    internalInterface:
      str(vars['haproxy_keepalived_internal_interface']) ??
      str(vars['haproxy_bind_internal_lb_vip_interface']),
    cidrNetworks,
    haproxyHosts: haproxyHostNames(config),
    vlans,
    vlanParents,
    vlanBridges,
    bindMode,
    externalRouterId: int(vars['haproxy_keepalived_external_virtual_router_id']),
    internalRouterId: int(vars['haproxy_keepalived_internal_virtual_router_id']),
  };
}

/** OSA turns `-` into `_` in group names, so `haproxy-hosts` and `haproxy_hosts` are one group. */
function haproxyHostNames(config: Obj): string[] {
  const hosts = new Set<string>();
  for (const [group, members] of Object.entries(config)) {
    if (group.replace(/-/g, '_') === 'haproxy_hosts')
      for (const h of Object.keys(asObj(members))) hosts.add(h);
  }
  return [...hosts].sort();
}

/** The provider network bound to the haproxy group that carries a default route (the public side). */
function findPublicNetwork(entries: unknown[]): Obj | undefined {
  const nets = entries.map((e) => asObj(asObj(e)['network']));
  const bound = nets.filter((n) => asArray(n['group_binds']).includes('haproxy'));
  return bound.find((n) => defaultRouteGateway(n) !== undefined) ?? bound[0];
}

function defaultRouteGateway(net: Obj): string | undefined {
  for (const route of asArray(net['static_routes'])) {
    const r = asObj(route);
    if (r['cidr'] === '0.0.0.0/0') return str(r['gateway']);
  }
  return str(net['gateway']);
}

function vlanIds(devices: unknown[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of devices) {
    const dev = asObj(d);
    const netdev = asObj(dev['NetDev']);
    const id = int(asObj(dev['VLAN'])['Id']);
    const name = str(netdev['Name']);
    if (name !== undefined && id !== undefined) out.set(name, id);
  }
  return out;
}

/** VLAN name → its parent (the network item listing it in `vlan:`) and its bridge. */
function vlanWiring(networks: unknown[]): [Map<string, string>, Map<string, string>] {
  const parents = new Map<string, string>();
  const bridges = new Map<string, string>();
  for (const n of networks) {
    const net = asObj(n);
    const iface = str(net['interface']);
    if (iface === undefined) continue;
    const vlan = net['vlan'];
    for (const v of typeof vlan === 'string' ? [vlan] : asArray(vlan)) {
      if (typeof v === 'string') parents.set(v, iface);
    }
    const bridge = str(net['bridge']);
    if (bridge !== undefined) bridges.set(iface, bridge);
  }
  return [parents, bridges];
}

function asObj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

function stripCidr(v: unknown): string | undefined {
  return str(v)?.replace(/\/\d+$/, '');
}
