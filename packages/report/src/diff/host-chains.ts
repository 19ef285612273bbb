import { hostOfHostVarsFile, OPENSTACK_USER_CONFIG_FILE, type RenderedTree } from '@osa-gitops/core';
import type { ChainNetwork, ChainSite, HostBuild, HostChain } from '../explain/host-chain';
import { hostChains } from '../explain/host-chain';
import { readSiteFacts } from './read-site-facts';
import type { TreeDiff } from './types';
import type { YamlReader } from './yaml-reader';

/**
 * The whole chain (NIC → bond → VLAN → bridge → container interface → network/VIP) of the hosts
 * whose networking a change touches: hosts whose `host_vars/<host>.yml` was added or changed.
 * Read back from the rendered YAML of the after tree, like every other part of the report, so
 * it shows what openstack_hosts and OSA's inventory will read. Bridges declared outside the bond
 * (`hostNetworking.externalBridges`) are not in the tree, so a needed bridge the tree does not
 * build is shown as not built by osa-gitops (`unverified`), never as missing: the definition's
 * validation, which knows the declarations, reports the ones that really are.
 */
export function changedHostChains(tree: RenderedTree, diff: TreeDiff, load: YamlReader): HostChain[] {
  const hosts = diff.files
    .filter((f) => f.kind !== 'removed')
    .flatMap((f) => hostOfHostVarsFile(f.path) ?? []);
  if (hosts.length === 0) return [];
  const site = chainSiteFromTree(tree, load);
  return hostChains(
    site,
    hosts.filter((h) => Object.hasOwn(site.hosts, h)),
  );
}

type Obj = Record<string, unknown>;

/** A rendered tree as a ChainSite; missing or hand-broken pieces are left out, never thrown on. */
export function chainSiteFromTree(tree: RenderedTree, load: YamlReader): ChainSite {
  const config = asObj(load(tree.get(OPENSTACK_USER_CONFIG_FILE)));
  const facts = readSiteFacts(tree, load);

  const hosts: Record<string, { ip?: string; groups: string[]; affinity?: Record<string, number> }> = {};
  for (const [group, members] of Object.entries(config)) {
    if (!group.endsWith('hosts')) continue;
    for (const [name, entry] of Object.entries(asObj(members))) {
      const e = asObj(entry);
      const h = (hosts[name] ??= { groups: [] });
      h.groups.push(group);
      const ip = str(e['ip']);
      if (ip !== undefined) h.ip = ip;
      const affinity: Record<string, number> = {};
      for (const [k, v] of Object.entries(asObj(e['affinity']))) if (typeof v === 'number') affinity[k] = v;
      if (Object.keys(affinity).length > 0) h.affinity = affinity;
    }
  }

  const networks: ChainNetwork[] = [];
  asArray(asObj(config['global_overrides'])['provider_networks']).forEach((entry, i) => {
    const n = asObj(asObj(entry)['network']);
    const bridge = str(n['container_bridge']);
    if (bridge === undefined) return;
    const ipFromQ = str(n['ip_from_q']);
    const isPublic = bridge === facts.publicBridge && ipFromQ === facts.publicCidrName;
    networks.push({
      label: `provider_networks[${i}]`,
      bridge,
      groupBinds: asArray(n['group_binds']).filter((g): g is string => typeof g === 'string'),
      ...opt('containerInterface', str(n['container_interface'])),
      ...opt('referenceGroup', str(n['reference_group'])),
      ...opt('ipFromQ', ipFromQ),
      ...opt('addressPrefix', str(n['address_prefix'])),
      ...opt('hostBindOverride', str(n['host_bind_override'])),
      ...(n['is_management_address'] === true ? { isManagementAddress: true } : {}),
      ...(isPublic ? { isPublic: true, ...opt('defaultGateway', facts.publicGateway) } : {}),
    });
  });

  const built = new Map<string, HostBuild>();
  for (const [path, text] of tree) {
    const host = hostOfHostVarsFile(path);
    if (host === undefined) continue;
    const vars = asObj(load(text));
    const build = hostBuild(
      asArray(vars['openstack_hosts_systemd_networkd_devices']),
      asArray(vars['openstack_hosts_systemd_networkd_networks']),
    );
    if (build !== undefined) built.set(host, build);
  }

  return {
    site: '',
    hosts,
    networks,
    cidrs: Object.fromEntries(facts.cidrNetworks),
    built,
    vips: { ...opt('external', facts.externalVip), ...opt('internal', facts.internalVip) },
  };
}

/** Bond, members (with their `.link` MAC), VLANs with their bridges and the bridges' addresses. */
function hostBuild(devices: unknown[], networks: unknown[]): HostBuild | undefined {
  let bondName: string | undefined;
  const vlanIds = new Map<string, number>();
  for (const d of devices) {
    const netdev = asObj(asObj(d)['NetDev']);
    const name = str(netdev['Name']);
    if (name === undefined) continue;
    if (netdev['Kind'] === 'bond') bondName ??= name;
    const id = asObj(asObj(d)['VLAN'])['Id'];
    if (netdev['Kind'] === 'vlan' && typeof id === 'number') vlanIds.set(name, id);
  }
  const members: { nic: string; mac?: string }[] = [];
  const bridgeOf = new Map<string, string>();
  const addressOf = new Map<string, { address?: string; gateway?: string }>();
  for (const n of networks) {
    const net = asObj(n);
    const iface = str(net['interface']);
    if (iface === undefined) continue;
    if (str(net['bond']) !== undefined) {
      // The member's .network matches its permanent MAC (docs/adr/0011); trees rendered before
      // that carry it in the .link overrides, where it decided nothing but still names the NIC.
      const mac =
        str(asObj(asObj(net['config_overrides'])['Match'])['PermanentMACAddress']) ??
        str(asObj(asObj(net['link_config_overrides'])['Match'])['MACAddress']);
      members.push({ nic: iface, ...opt('mac', mac) });
    }
    const bridge = str(net['bridge']);
    if (bridge !== undefined) bridgeOf.set(iface, bridge);
    const address = str(net['address']);
    const netmask = str(net['netmask']);
    const gateway = str(net['gateway']);
    if (address !== undefined || gateway !== undefined) {
      addressOf.set(iface, {
        ...opt('address', address === undefined ? undefined : `${address}${prefixOf(netmask)}`),
        ...opt('gateway', gateway),
      });
    }
  }
  const vlans: HostBuild['vlans'][number][] = [];
  for (const [name, id] of vlanIds) {
    const bridge = bridgeOf.get(name);
    if (bridge === undefined) continue;
    vlans.push({ name, id, bridge, ...addressOf.get(bridge) });
  }
  if (bondName === undefined && vlans.length === 0) return undefined;
  return { ...(bondName !== undefined ? { bond: { name: bondName, members } } : {}), vlans };
}

/** `255.255.252.0` → `/22`; empty when unknown or not a contiguous mask. */
function prefixOf(netmask: string | undefined): string {
  if (netmask === undefined) return '';
  const octets = netmask.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return '';
  const bits = octets.map((o) => o.toString(2).padStart(8, '0')).join('');
  return /^1*0*$/.test(bits) ? `/${bits.indexOf('0') === -1 ? 32 : bits.indexOf('0')}` : '';
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
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
