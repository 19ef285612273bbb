import {
  EnvironmentSchema,
  HAPROXY_CONTAINER,
  HAPROXY_GROUP,
  HAPROXY_HOST_GROUP,
  defaultNetworkdStem,
  hostBridgeNeeds,
  hostNetdevs,
  ipv4,
  isDnsName,
  normalizeGroup,
  type EnvironmentInput,
} from '@osa-gitops/core';
import { isMapping, osaMerge, parseConfigDir, type ConfigFile, type ParsedConfigDir } from './config-dir';
import { finding, ImportInputError, sortFindings, type ImportFinding } from './findings';
import { containsTemplate, isTemplate, resolveTemplate, type Located } from './jinja';
import { readHostNetworkd, type HostNetworkd } from './networkd';
import { importProviderNetworks, type ImportedNetwork } from './provider-networks';
import { importUsedIps } from './used-ips';
import { haproxyScope, hostScope, layerOf, type VarHit, type VarScope } from './variables';
const { parseAddress } = ipv4;

export interface ImportOptions {
  /** The site name the definition gets (checked by the caller against existing sites). */
  readonly site: string;
}

/** networkd file stems found on one host: interface/netdev name → stems. */
export type HostFilenames = ReadonlyMap<string, { readonly netdev?: string; readonly network?: string }>;

export interface ImportResult {
  /** The definition, as plain data (what `environment.ts` evaluates to). */
  readonly input: EnvironmentInput;
  /** Sorted findings. */
  readonly findings: readonly ImportFinding[];
  /** Per host, the networkd file stems its items use today (only where they differ from ours). */
  readonly filenames: ReadonlyMap<string, HostFilenames>;
}

const USER_CONFIG = 'openstack_user_config.yml';
const DEVICES = 'openstack_hosts_systemd_networkd_devices';
const NETWORKS = 'openstack_hosts_systemd_networkd_networks';
/** Files the render writes (render/*.ts): an input file of the same name is replaced by ours. */
const RENDERED_FILE =
  /^(?:openstack_user_config\.yml|env\.d\/haproxy\.yml|group_vars\/haproxy\/lxc_network\.yml|host_vars\/[^/]+\.yml|user_variables_haproxy_lxc\.yml)$/;
const GLOBAL_KEYS = [
  'internal_lb_vip_address',
  'external_lb_vip_address',
  'management_bridge',
  'provider_networks',
];
/** Variables the rendered tree sets for haproxy (render/user-variables.ts, render/lxc-network.ts). */
const HAPROXY_VARS = [
  'haproxy_bind_external_lb_vip_interface',
  'haproxy_bind_internal_lb_vip_interface',
  'haproxy_bind_external_lb_vip_address',
  'haproxy_bind_internal_lb_vip_address',
  'haproxy_use_keepalived',
  'haproxy_keepalived_external_vip_cidr',
  'haproxy_keepalived_internal_vip_cidr',
  'haproxy_keepalived_external_interface',
  'haproxy_keepalived_internal_interface',
  'haproxy_keepalived_external_virtual_router_id',
  'haproxy_keepalived_internal_virtual_router_id',
  'haproxy_tls_vip_binds',
  'haproxy_bind_on_non_local',
  'keepalived_external_ping_address',
  'keepalived_internal_ping_address',
  'lxc_container_networks',
];
/** Host variables the rendered host_vars set besides the two lists (render/host-vars.ts). */
const NETWORKD_VARS = ['openstack_hosts_systemd_networkd_prefix', 'systemd_interface_cleanup'];

/**
 * An existing OSA config dir → a site definition and findings. Pure: the caller reads the files
 * (`openstack_user_config.yml`, `conf.d/`, `env.d/`, `user_*.yml`, `group_vars/`, `host_vars/`)
 * and writes the result. Reads YAML only; Jinja is never evaluated (see `jinja.ts` for the shapes
 * it recognises). Throws ImportInputError when the input is not a config dir it can read: then
 * nothing must be written.
 */
export function importConfigDir(files: readonly ConfigFile[], opts: ImportOptions): ImportResult {
  const dir = parseConfigDir(files);
  const findings: ImportFinding[] = [...dir.findings];
  const seen = new Set<string>();
  const once = (f: ImportFinding) => {
    const key = JSON.stringify([f.code, f.file, f.path, f.message]);
    if (!seen.has(key)) {
      seen.add(key);
      findings.push(f);
    }
  };

  const { config, originOf } = mergeUserConfig(dir, once);
  checkTopLevel(config, originOf);

  // cidr_networks.
  const cidrRaw = config.cidr_networks;
  if (!isMapping(cidrRaw) || Object.keys(cidrRaw).length === 0) {
    throw new ImportInputError(
      'no cidr_networks mapping: OSA stops with "No container CIDR specified in user config"',
      originOf(['cidr_networks']),
    );
  }
  const networks: Record<string, string> = {};
  for (const [name, cidr] of Object.entries(cidrRaw)) {
    if (typeof cidr === 'string') networks[name] = cidr;
    else
      once(
        finding(
          'IMPORT_LEFT_OUT',
          originOf(['cidr_networks', name]),
          ['cidr_networks', name],
          `${JSON.stringify(cidr)} is not one CIDR (OSA crashes on a list)`,
          'not imported',
        ),
      );
  }

  const { reserved, findings: ipFindings } = importUsedIps(config.used_ips, networks, originOf(['used_ips']));
  ipFindings.forEach(once);

  // global_overrides.
  const globals = isMapping(config.global_overrides) ? config.global_overrides : {};
  const globalsFile = originOf(['global_overrides']);
  for (const key of Object.keys(globals)) {
    if (!GLOBAL_KEYS.includes(key)) {
      once(
        finding(
          'IMPORT_LEFT_OUT',
          originOf(['global_overrides', key]),
          ['global_overrides', key],
          `global_overrides.${key} is not part of the definition`,
          'not imported: the rendered openstack_user_config.yml will not have it; keep it in a conf.d/ file (OSA merges conf.d into openstack_user_config.yml)',
        ),
      );
    }
  }
  const managementBridge =
    typeof globals.management_bridge === 'string' ? globals.management_bridge : undefined;
  const pn = importProviderNetworks(
    globals.provider_networks,
    originOf(['global_overrides', 'provider_networks']),
    ['global_overrides', 'provider_networks'],
  );
  pn.findings.forEach(once);
  const publicNet = pickPublicNetwork(pn.networks, once);

  // Hosts.
  const hosts = readHosts(config, originOf, once);
  const globalLayer = layerOf(globalsFile, ['global_overrides'], globals);

  // Host networking, per host.
  const consumed = new Set<string>([DEVICES, NETWORKS, ...NETWORKD_VARS]);
  const nets = new Map<string, HostNetworkd>();
  const netSource = new Map<string, { devices?: VarHit; networks?: VarHit }>();
  for (const [name, h] of hosts) {
    const groups = [...new Set([...h.groups.map(normalizeGroup), 'hosts', 'all'])];
    const scope = hostScope(dir, name, groups, h.hostVars, globalLayer);
    const resolve = (varName: string): { hit?: VarHit; items?: Located[] } => {
      const { hit, shadowed } = scope.lookup(varName);
      reportShadowed(hit, shadowed, once);
      if (hit === undefined) return { items: [] };
      let items: readonly Located[];
      if (isTemplate(hit.value)) {
        const r = resolveTemplate(hit.value, {
          isMetal: true,
          groups: new Set(groups),
          lookup: (n) => {
            consumed.add(n);
            return scope.lookup(n).hit;
          },
        });
        if (!r.ok) {
          once(
            finding(
              'IMPORT_JINJA_UNRESOLVED',
              hit.file,
              hit.path,
              `a template import does not recognise (${r.reason})`,
              `not evaluated; the host networking of every host it applies to is not imported`,
            ),
          );
          return { hit };
        }
        once(
          finding(
            'IMPORT_JINJA_RESOLVED',
            hit.file,
            hit.path,
            r.pattern === 'list-builder'
              ? "the guide's list builder over is_metal and groups[...]"
              : 'a reference to another variable',
            'read per host from the variables it names (no template evaluated)',
          ),
        );
        items =
          r.items ??
          (Array.isArray(r.value)
            ? r.value.map((value, i) => ({ value, file: hit.file, path: [...hit.path, i] }))
            : []);
      } else if (Array.isArray(hit.value)) {
        items = hit.value.map((value, i) => ({ value, file: hit.file, path: [...hit.path, i] }));
      } else {
        once(finding('IMPORT_LEFT_OUT', hit.file, hit.path, `${varName} is not a list`, 'not imported'));
        items = [];
      }
      return {
        hit,
        items: items.filter((item) => {
          if (!containsTemplate(item.value)) return true;
          once(
            finding(
              'IMPORT_JINJA_UNRESOLVED',
              item.file,
              item.path,
              'a networkd item with Jinja templates in it',
              'not evaluated, not imported',
            ),
          );
          return false;
        }),
      };
    };
    const devices = resolve(DEVICES);
    const networksVal = resolve(NETWORKS);
    if (devices.items === undefined || networksVal.items === undefined) continue;
    const read = readHostNetworkd(
      { host: name, address: h.managementIp ?? h.ip, publicBridge: publicNet.net.bridge },
      devices.hit,
      networksVal.hit,
      devices.items,
      networksVal.items,
    );
    read.findings.forEach(once);
    nets.set(name, read.net);
    netSource.set(name, {
      ...(devices.hit ? { devices: devices.hit } : {}),
      ...(networksVal.hit ? { networks: networksVal.hit } : {}),
    });
  }
  const hostNetworking = aggregateNetworking(hosts, nets, netSource, once);

  // HAProxy and keepalived, as the haproxy containers see them.
  const hscope = haproxyScope(dir, globalLayer);
  const unreadable = findings.some((f) => f.code === 'IMPORT_JINJA_UNRESOLVED');
  const read = readHaproxy(hscope, pn.networks, publicNet, hostNetworking.public, once, unreadable);
  // A ping address equal to the one render derives (the management VLAN's gateway) is not a choice.
  const mgmtGateway = hostNetworking.vlans.find((v) => v.address === 'host-ip')?.gateway;
  const { internalPingAddress, ...keepalived } = read.keepalived ?? {};
  const haproxy =
    internalPingAddress !== undefined && internalPingAddress === mgmtGateway ? { ...read, keepalived } : read;
  checkLxcNetwork(hscope, once);
  checkEnvD(dir, once);
  reportSuperseded(dir, config, originOf, consumed, once);

  const hostsOut: EnvironmentInput['hosts'] = {};
  for (const [name, h] of hosts) {
    const members = hostNetworking.members.get(name);
    hostsOut[name] = {
      ip: h.ip,
      ...(h.managementIp !== undefined ? { managementIp: h.managementIp } : {}),
      groups: h.groups,
      ...(members !== undefined && Object.keys(members).length > 0 ? { bondMembers: members } : {}),
      ...(h.affinity !== undefined ? { affinity: h.affinity } : {}),
    };
  }

  const input: EnvironmentInput = {
    name: opts.site,
    description: 'Imported by osa-gitops import',
    networks,
    ...(Object.keys(reserved).length > 0 ? { reserved } : {}),
    ...(managementBridge !== undefined ? { managementBridge } : {}),
    providerNetworks: pn.networks.filter((n) => n !== publicNet).map((n) => n.net),
    hostNetworking: {
      ...(hostNetworking.bond !== undefined ? { bond: hostNetworking.bond as never } : {}),
      ...(hostNetworking.vlans.length > 0 ? { vlans: hostNetworking.vlans } : {}),
    },
    hosts: hostsOut,
    haproxy,
    deploy: {
      runnerLabel: `osa-deploy-${opts.site}`,
      configDir: '/etc/openstack_deploy',
      osaDir: '/opt/openstack-ansible',
    },
  };
  const filenames = new Map<string, HostFilenames>();
  for (const [host, net] of nets) {
    const differing = foreignFilenames(net);
    if (differing.size > 0) filenames.set(host, differing);
  }
  carryFilenames(input, nets);
  reportFilenames(filenames, netSource, once);
  declareExternalBridges(input, once);
  return { input, findings: sortFindings(mergeHostFindings(findings, [...hosts.keys()])), filenames };
}

/**
 * Per-host findings about one shared source (a global variable builds every host's lists) are
 * merged into one naming the hosts: `infra1, infra2: MIIMonitorSec: 100 …`.
 */
function mergeHostFindings(findings: readonly ImportFinding[], hosts: readonly string[]): ImportFinding[] {
  const known = new Set(hosts);
  const groups = new Map<string, { first: ImportFinding; rest: string; hosts: string[] }>();
  const out: ImportFinding[] = [];
  for (const f of findings) {
    const colon = f.message.indexOf(': ');
    const host = colon > 0 ? f.message.slice(0, colon) : '';
    if (!known.has(host)) {
      out.push(f);
      continue;
    }
    const rest = f.message.slice(colon + 2);
    const key = JSON.stringify([f.code, f.file, f.path, rest, f.action]);
    const g = groups.get(key);
    if (g) g.hosts.push(host);
    else groups.set(key, { first: f, rest, hosts: [host] });
  }
  for (const g of groups.values()) out.push({ ...g.first, message: `${g.hosts.join(', ')}: ${g.rest}` });
  return out;
}

type Emit = (f: ImportFinding) => void;

/** openstack_user_config.yml, then every conf.d file merged over it as OSA does. */
function mergeUserConfig(dir: ParsedConfigDir, emit: Emit) {
  const origins = new Map<string, string>();
  const key = (p: readonly (string | number)[]) => JSON.stringify(p);
  const config: Record<string, unknown> = {};
  if (dir.userConfig) {
    origins.set(key([]), USER_CONFIG);
    osaMerge(config, structuredClone(dir.userConfig.data));
  } else {
    origins.set(key([]), dir.confD[0]!.path);
  }
  const originOf = (path: readonly (string | number)[]): string => {
    for (let i = path.length; i >= 0; i--) {
      const o = origins.get(key(path.slice(0, i)));
      if (o !== undefined) return o;
    }
    return USER_CONFIG;
  };
  for (const f of dir.confD) {
    osaMerge(config, structuredClone(f.data), (path, old) => {
      if (old !== undefined) {
        const prev = originOf(path);
        const now = getPath(f.data, path);
        if (JSON.stringify(old.value) !== JSON.stringify(now)) {
          emit(
            prev === USER_CONFIG
              ? finding(
                  'IMPORT_CONFD_REPLACES',
                  f.path,
                  path,
                  `${path.join('.')} here replaces the one in ${USER_CONFIG} whole (OSA merges only mappings; lists and values are replaced, osa_toolkit/dictutils.py merge_dict @ ff08037)`,
                  `imported the value OSA uses: this file's`,
                )
              : finding(
                  'IMPORT_CONFD_ORDER',
                  f.path,
                  path,
                  `${path.join('.')} is also set in ${prev}; OSA walks conf.d in directory order (os.walk, unsorted), so either may win`,
                  `imported this file's value (conf.d files read in sorted path order); set it in one file only`,
                ),
          );
        }
      }
      for (const k of [...origins.keys()]) if (k.startsWith(key(path).slice(0, -1))) origins.delete(k);
      origins.set(key(path), f.path);
    });
  }
  return { config, originOf };
}

function getPath(data: unknown, path: readonly string[]): unknown {
  let cur = data;
  for (const p of path) cur = isMapping(cur) ? cur[p] : undefined;
  return cur;
}

function checkTopLevel(config: Record<string, unknown>, originOf: (p: string[]) => string): void {
  const unknown = Object.keys(config).filter(
    (k) => !['cidr_networks', 'used_ips', 'global_overrides'].includes(k) && !k.endsWith('hosts'),
  );
  if (unknown.length > 0) {
    const where = [...new Set(unknown.map((k) => originOf([k])))].join(', ');
    throw new ImportInputError(
      `unknown top-level key(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')} in ${where}: expected cidr_networks, used_ips, global_overrides and <group>_hosts groups only`,
    );
  }
}

interface ImportedHost {
  ip: string;
  managementIp?: string;
  groups: string[];
  affinity?: Record<string, number>;
  hostVars?: ReturnType<typeof layerOf>;
}

/** `<group>hosts: {<host>: {ip, management_ip, affinity, ...}}` → hosts with their groups. */
function readHosts(
  config: Record<string, unknown>,
  originOf: (p: string[]) => string,
  emit: Emit,
): Map<string, ImportedHost> {
  const hosts = new Map<string, ImportedHost>();
  for (const [group, members] of Object.entries(config)) {
    if (!group.endsWith('hosts')) continue;
    const file = originOf([group]);
    if (members === null || (isMapping(members) && Object.keys(members).length === 0)) {
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          file,
          [group],
          `group ${group} has no hosts`,
          'not imported: the definition lists groups per host',
        ),
      );
      continue;
    }
    if (!isMapping(members)) {
      throw new ImportInputError(
        `${group} is ${Array.isArray(members) ? 'a list' : typeof members}; expected a mapping of host names to {ip: ...}`,
        file,
      );
    }
    for (const [name, entry] of Object.entries(members)) {
      const path = [group, name];
      if (!isMapping(entry) || typeof entry.ip !== 'string') {
        throw new ImportInputError(
          `${group}.${name} has no ip: OSA stops with KeyError: 'ip'`,
          originOf(path),
        );
      }
      const existing = hosts.get(name);
      if (existing !== undefined && existing.ip !== entry.ip) {
        throw new ImportInputError(
          `host ${name} has ip ${existing.ip} in one group and ${entry.ip} in ${group}: OSA stops with MultipleIpForHostError`,
          originOf(path),
        );
      }
      const h: ImportedHost = existing ?? { ip: entry.ip, groups: [] };
      if (!h.groups.includes(group)) h.groups.push(group);
      if (typeof entry.management_ip === 'string') h.managementIp ??= entry.management_ip;
      if (isMapping(entry.affinity)) {
        const aff: Record<string, number> = {};
        for (const [k, v] of Object.entries(entry.affinity)) if (typeof v === 'number') aff[k] = v;
        if (h.affinity !== undefined && JSON.stringify(h.affinity) !== JSON.stringify(aff)) {
          emit(
            finding(
              'IMPORT_LEFT_OUT',
              originOf(path),
              [...path, 'affinity'],
              `${name} has a different affinity in another group`,
              'imported the first one; the definition has one affinity per host',
            ),
          );
        } else h.affinity = aff;
      }
      if (isMapping(entry.host_vars)) {
        h.hostVars = layerOf(originOf(path), [...path, 'host_vars'], entry.host_vars);
        emit(
          finding(
            'IMPORT_LEFT_OUT',
            originOf(path),
            [...path, 'host_vars'],
            `inventory host_vars of ${name} (${Object.keys(entry.host_vars).join(', ')})`,
            'read for host networking only, otherwise not imported: the rendered openstack_user_config.yml replaces this file; move them to host_vars/',
          ),
        );
      }
      for (const key of Object.keys(entry)) {
        if (!['ip', 'management_ip', 'affinity', 'host_vars'].includes(key)) {
          emit(
            finding(
              'IMPORT_LEFT_OUT',
              originOf(path),
              [...path, key],
              `${key} of host ${name} is not part of the definition`,
              'not imported: the rendered openstack_user_config.yml will not have it',
            ),
          );
        }
      }
      hosts.set(name, h);
    }
  }
  if (hosts.size === 0)
    throw new ImportInputError('no host groups (<group>_hosts) with hosts: nothing to import');
  return hosts;
}

/**
 * The haproxy containers' public network: bound to the `haproxy` group, with a default route
 * (the guide's `static_routes: [{cidr: 0.0.0.0/0, gateway: ...}]`).
 */
function pickPublicNetwork(nets: readonly ImportedNetwork[], emit: Emit): ImportedNetwork {
  const candidates = nets.filter(
    (n) =>
      n.net.groupBinds.some((g) => normalizeGroup(g) === HAPROXY_GROUP) &&
      !n.net.isManagementAddress &&
      (n.net.staticRoutes?.some((r) => r.cidr === '0.0.0.0/0') || n.net.gateway !== undefined),
  );
  if (candidates.length === 0) {
    throw new ImportInputError(
      'no provider network binds the haproxy group with a default route (static_routes 0.0.0.0/0 or gateway): this config does not run HAProxy in LXC as the OSA guide sets it up, which is what a definition models',
    );
  }
  const pub = candidates[candidates.length - 1]!;
  for (const other of candidates.slice(0, -1)) {
    emit(
      finding(
        'IMPORT_LEFT_OUT',
        other.file,
        other.path,
        `a second public-looking network for haproxy (bridge ${other.net.bridge})`,
        `kept as an ordinary provider network; ${pub.net.bridge} is the public one`,
      ),
    );
  }
  const n = pub.net;
  const extras: string[] = [];
  if (n.groupBinds.length !== 1)
    extras.push(`group_binds ${JSON.stringify(n.groupBinds)} (the definition binds haproxy only)`);
  if (n.type !== 'raw') extras.push(`type ${n.type}`);
  if (n.addressPrefix !== undefined) extras.push(`address_prefix ${n.addressPrefix}`);
  if (n.bridgeType !== undefined) extras.push(`container_bridge_type ${n.bridgeType}`);
  if (n.containerType !== undefined && n.containerType !== 'veth')
    extras.push(`container_type ${n.containerType}`);
  if (n.referenceGroup !== undefined) extras.push(`reference_group ${n.referenceGroup}`);
  if (n.range !== undefined || n.netName !== undefined || n.hostBindOverride !== undefined)
    extras.push('range/net_name/host_bind_override');
  const routes = n.staticRoutes ?? [];
  if (routes.length > 1 || (routes.length === 1 && n.gateway !== undefined))
    extras.push('further static routes or gateway');
  if (routes.length === 0) {
    emit(
      finding(
        'IMPORT_DEFAULT_TAKEN',
        pub.file,
        [...pub.path, 'gateway'],
        `the public network sets gateway: ${n.gateway} instead of a static default route`,
        'imported as the containers’ default gateway; rendered as static_routes 0.0.0.0/0 via it',
      ),
    );
  }
  if (extras.length > 0) {
    emit(
      finding(
        'IMPORT_LEFT_OUT',
        pub.file,
        pub.path,
        `the public network also has ${extras.join(', ')}`,
        'not imported: the definition renders the public network as the guide does (raw, veth, haproxy, default route)',
      ),
    );
  }
  if (n.ipFromQ === undefined || n.containerInterface === undefined) {
    throw new ImportInputError(
      `the public network (bridge ${n.bridge}) has no ip_from_q or container_interface: OSA cannot give the haproxy containers an address on it`,
      pub.file,
    );
  }
  return pub;
}

function reportShadowed(hit: VarHit | undefined, shadowed: readonly VarHit[], emit: Emit): void {
  if (hit === undefined) return;
  for (const s of shadowed) {
    if (JSON.stringify(s.value) === JSON.stringify(hit.value)) continue;
    emit(
      finding(
        'IMPORT_VARIABLE_SHADOWED',
        s.file,
        s.path,
        `${String(s.path[s.path.length - 1])} here is never used: ${hit.file} sets it with higher precedence`,
        `imported the value from ${hit.file}`,
      ),
    );
  }
}

interface SiteNetworking {
  bond?: HostNetworkd['bond'];
  vlans: HostNetworkd['vlans'];
  public?: HostNetworkd['public'];
  members: Map<string, Record<string, string>>;
}

/**
 * The definition has one bond and one VLAN list for the site (and the public VLAN on haproxy
 * hosts); per host only the bond members. The first host (in config order) that has a bond sets
 * the site's; a host that differs is reported.
 */
function aggregateNetworking(
  hosts: ReadonlyMap<string, ImportedHost>,
  nets: ReadonlyMap<string, HostNetworkd>,
  sources: ReadonlyMap<string, { devices?: VarHit; networks?: VarHit }>,
  emit: Emit,
): SiteNetworking {
  const site: SiteNetworking = { vlans: [], members: new Map() };
  let bondHost: string | undefined;
  let publicHost: string | undefined;
  const where = (host: string) => sources.get(host)?.devices ?? sources.get(host)?.networks;
  const differ = (host: string, what: string, action: string) => {
    const w = where(host);
    emit(finding('IMPORT_HOSTS_DIFFER', w?.file ?? '', w?.path ?? [], `${host}: ${what}`, action));
  };
  for (const [name] of hosts) {
    const net = nets.get(name);
    if (net?.bond === undefined) continue;
    const shape = JSON.stringify({ bond: net.bond, vlans: net.vlans });
    if (bondHost === undefined) {
      bondHost = name;
      site.bond = net.bond;
      site.vlans = net.vlans;
    } else if (shape !== JSON.stringify({ bond: site.bond, vlans: site.vlans })) {
      differ(
        name,
        `its bond or the VLANs on it differ from ${bondHost}'s`,
        `imported ${bondHost}'s for every host (the definition has one bond and VLAN list per site); check this host`,
      );
    }
    site.members.set(name, net.members);
  }
  const macHosts = new Map<string, string[]>();
  for (const [name, members] of site.members) {
    for (const [iface, mac] of Object.entries(members)) {
      const normal = mac.toLowerCase();
      macHosts.set(normal, [...(macHosts.get(normal) ?? []), `${name} ${iface}`]);
      if ((parseInt(normal.slice(0, 2), 16) & 1) === 1) {
        const w = nets.get(name)!.memberSources[iface] ?? sources.get(name)?.networks;
        emit(
          finding(
            'IMPORT_MAC_MULTICAST',
            w?.file ?? '',
            w?.path ?? [],
            `${name}: ${mac} (${iface}) has the multicast bit set (lowest bit of the first octet): no NIC has this MAC, so the .link file that matches it never applies`,
            'imported as written; validation reports MAC_MULTICAST until the definition has the NIC’s real MAC',
          ),
        );
      }
    }
  }
  for (const [mac, users] of macHosts) {
    const hostsUsing = new Set(users.map((u) => u.split(' ')[0]));
    if (hostsUsing.size < 2) continue;
    const [first, iface] = users[0]!.split(' ') as [string, string];
    const w = nets.get(first)!.memberSources[iface] ?? sources.get(first)?.networks;
    emit(
      finding(
        'IMPORT_MAC_SHARED',
        w?.file ?? '',
        w?.path ?? [],
        `${mac} is a bond member MAC on ${users.join(', ')}: a variable set for all hosts gives every host the same MACs, so at most one host's NIC matches`,
        'imported per host as written; validation reports MAC_DUPLICATE until each host has its own NICs’ MACs',
      ),
    );
  }
  for (const [name, h] of hosts) {
    const isHaproxy = h.groups.some((g) => normalizeGroup(g) === HAPROXY_HOST_GROUP);
    const pub = nets.get(name)?.public;
    if (pub === undefined) {
      if (isHaproxy && nets.get(name) !== undefined)
        differ(name, 'a haproxy host without the public VLAN and bridge', 'the rendered host_vars add them');
      continue;
    }
    if (publicHost === undefined) {
      publicHost = name;
      site.public = pub;
    } else if (JSON.stringify(pub) !== JSON.stringify(site.public)) {
      differ(name, `its public VLAN differs from ${publicHost}'s`, `imported ${publicHost}'s`);
    }
    if (!isHaproxy)
      differ(
        name,
        'has the public VLAN and bridge but is not in haproxy_hosts',
        'not imported: the definition builds them on haproxy hosts only',
      );
  }
  return site;
}

function readHaproxy(
  scope: VarScope,
  providerNetworks: readonly ImportedNetwork[],
  publicNet: ImportedNetwork,
  publicVlan: HostNetworkd['public'],
  emit: Emit,
  templatesUnread: boolean,
): EnvironmentInput['haproxy'] {
  const get = (name: string) => {
    const { hit, shadowed } = scope.lookup(name);
    reportShadowed(hit, shadowed, emit);
    if (hit !== undefined && isTemplate(hit.value)) {
      const r = resolveTemplate(hit.value, {
        isMetal: false,
        groups: new Set([HAPROXY_GROUP]),
        lookup: (n) => scope.lookup(n).hit,
      });
      if (r.ok && r.pattern === 'variable') {
        emit(
          finding(
            'IMPORT_JINJA_RESOLVED',
            hit.file,
            hit.path,
            'a reference to another variable',
            'read as that variable’s value',
          ),
        );
        return { hit, value: r.value };
      }
    }
    return hit === undefined ? undefined : { hit, value: hit.value };
  };
  const mgmt = providerNetworks.find((n) => n.net.isManagementAddress);
  const pub = publicNet.net;

  // VIPs: keepalived's CIDRs are what is on the wire; the *_lb_vip_address are what services use.
  let lbExternalName: string | undefined;
  const vip = (side: 'external' | 'internal'): string => {
    const cidr = get(`haproxy_keepalived_${side}_vip_cidr`);
    const lb = get(`${side}_lb_vip_address`);
    const fromCidr = typeof cidr?.value === 'string' ? cidr.value.replace(/\/32$/, '') : undefined;
    const lbValue = typeof lb?.value === 'string' ? lb.value : undefined;
    if (fromCidr !== undefined && parseAddress(fromCidr) !== undefined) {
      if (lbValue !== undefined && lbValue !== fromCidr) {
        const isName = parseAddress(lbValue) === undefined;
        const asExternalName = isName && side === 'external' && isDnsName(lbValue);
        if (asExternalName) lbExternalName = lbValue;
        emit(
          isName
            ? finding(
                'IMPORT_LEFT_OUT',
                lb!.hit.file,
                lb!.hit.path,
                `${side}_lb_vip_address is the name ${lbValue}`,
                asExternalName
                  ? `imported as haproxy.vips.externalName, which goes into the HAProxy certificate; the definition renders the VIP ${fromCidr} as ${side}_lb_vip_address`
                  : `not imported: the definition renders the VIP ${fromCidr} as ${side}_lb_vip_address`,
              )
            : finding(
                'IMPORT_VIP_MISMATCH',
                lb!.hit.file,
                lb!.hit.path,
                `${side}_lb_vip_address ${lbValue} differs from keepalived's ${side} VIP ${cidr!.value}: services are pointed at an address keepalived does not bring up`,
                `imported ${fromCidr} (keepalived's) for both`,
              ),
        );
      }
      if (typeof cidr?.value === 'string' && !cidr.value.endsWith('/32') && cidr.value.includes('/')) {
        emit(
          finding(
            'IMPORT_LEFT_OUT',
            cidr.hit.file,
            cidr.hit.path,
            `the ${side} VIP is ${cidr.value}`,
            `imported as ${fromCidr}; the definition renders it as /32`,
          ),
        );
      }
      return fromCidr;
    }
    if (lbValue !== undefined && parseAddress(lbValue) !== undefined) {
      emit(
        finding(
          'IMPORT_ADDED',
          lb!.hit.file,
          lb!.hit.path,
          `no haproxy_keepalived_${side}_vip_cidr: keepalived uses OSA's placeholder VIP (169.254.x.1/24)`,
          `the definition renders haproxy_keepalived_${side}_vip_cidr ${lbValue}/32`,
        ),
      );
      return lbValue;
    }
    throw new ImportInputError(
      `no ${side} VIP: neither haproxy_keepalived_${side}_vip_cidr nor ${side}_lb_vip_address is an IPv4 address`,
    );
  };
  const external = vip('external');
  const internal = vip('internal');
  // The site's published name: the external TLS bind's SAN records as osa-gitops renders them
  // (render/user-variables.ts), else a name in external_lb_vip_address.
  const tls = get('haproxy_tls_vip_binds');
  const externalBind = Array.isArray(tls?.value)
    ? tls.value.find((b) => isMapping(b) && b.type === 'external')
    : undefined;
  const sanNames = (
    isMapping(externalBind) && Array.isArray(externalBind.pki_san_records) ? externalBind.pki_san_records : []
  ).filter((r): r is string => typeof r === 'string' && parseAddress(r) === undefined && isDnsName(r));
  const externalName = sanNames[0] ?? lbExternalName;

  // Binds.
  const extIf = get('haproxy_bind_external_lb_vip_interface');
  const intIf = get('haproxy_bind_internal_lb_vip_interface');
  const extAddr = get('haproxy_bind_external_lb_vip_address');
  const intAddr = get('haproxy_bind_internal_lb_vip_address');
  let bind: 'interface' | 'address';
  if (extIf?.value !== undefined && extIf.value !== null) {
    bind = 'interface';
    if (extIf.value !== pub.containerInterface) {
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          extIf.hit.file,
          extIf.hit.path,
          `HAProxy binds ${String(extIf.value)}, not the public network's ${pub.containerInterface}`,
          `the definition binds ${pub.containerInterface}`,
        ),
      );
    }
    if (mgmt?.net.containerInterface !== undefined && intIf?.value !== mgmt.net.containerInterface) {
      emit(
        finding(
          'IMPORT_ADDED',
          intIf?.hit.file ?? extIf.hit.file,
          intIf?.hit.path ?? extIf.hit.path,
          `the internal bind interface is ${JSON.stringify(intIf?.value ?? null)}`,
          `the definition binds the management network's ${mgmt.net.containerInterface}`,
        ),
      );
    }
    for (const a of [extAddr, intAddr]) {
      if (a !== undefined && a.value !== '*')
        emit(
          finding(
            'IMPORT_LEFT_OUT',
            a.hit.file,
            a.hit.path,
            `bind address ${JSON.stringify(a.value)} with an interface bind`,
            'the definition binds "*" on the interface',
          ),
        );
    }
  } else {
    bind = 'address';
    for (const [a, want] of [
      [extAddr, external],
      [intAddr, internal],
    ] as const) {
      if (a === undefined) {
        continue;
      }
      if (typeof a.value === 'string' && /container_networks\s*\[/.test(a.value)) {
        emit(
          finding(
            'IMPORT_BIND_CONTAINER_ADDRESS',
            a.hit.file,
            a.hit.path,
            `HAProxy binds the container's own address (${a.value}); keepalived adds the VIP as a further address, and a socket bound to the container's address does not accept the VIP's traffic`,
            `the definition binds the VIP ${want} (haproxy_bind_on_non_local lets the backups bind it too)`,
          ),
        );
      } else if (a.value !== want) {
        emit(
          finding(
            'IMPORT_LEFT_OUT',
            a.hit.file,
            a.hit.path,
            `HAProxy binds ${JSON.stringify(a.value)}`,
            `the definition binds the VIP ${want}`,
          ),
        );
      }
    }
    if (extAddr === undefined && intAddr === undefined) {
      emit(
        finding(
          'IMPORT_DEFAULT_TAKEN',
          'user_variables.yml',
          [],
          'no HAProxy bind variables: OSA binds the *_lb_vip_address',
          'imported as bind: address',
        ),
      );
    }
  }

  // keepalived.
  for (const [side, want] of [
    ['external', pub.containerInterface],
    ['internal', mgmt?.net.containerInterface],
  ] as const) {
    const v = get(`haproxy_keepalived_${side}_interface`);
    if (v === undefined) {
      emit(
        finding(
          'IMPORT_ADDED',
          'user_variables.yml',
          [],
          `haproxy_keepalived_${side}_interface is not set: keepalived uses management_bridge, which does not exist inside the container`,
          `the definition renders ${want ?? '(the management network’s interface)'}`,
        ),
      );
    } else if (v.value !== want) {
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          v.hit.file,
          v.hit.path,
          `keepalived's ${side} instance is on ${JSON.stringify(v.value)}`,
          `the definition puts it on ${want ?? 'the management network’s interface'}`,
        ),
      );
    }
  }
  const vrid = (side: string, dflt: number): number => {
    const v = get(`haproxy_keepalived_${side}_virtual_router_id`);
    if (typeof v?.value === 'number') return v.value;
    if (typeof v?.value === 'string' && /^\d+$/.test(v.value)) return Number(v.value);
    return dflt;
  };
  const useKeepalived = get('haproxy_use_keepalived');
  if (useKeepalived?.value !== true) {
    emit(
      finding(
        'IMPORT_ADDED',
        useKeepalived?.hit.file ?? 'user_variables.yml',
        useKeepalived?.hit.path ?? [],
        'haproxy_use_keepalived is not true: OSA enables keepalived only with more than one haproxy host',
        'the definition renders haproxy_use_keepalived: true',
      ),
    );
  }

  // The internal instance's ping target, when the config names one (127.0.0.1, OSA's fallback,
  // is what the definition renders when there is nothing better; see render/user-variables.ts).
  const ping = get('keepalived_internal_ping_address');
  const internalPing =
    typeof ping?.value === 'string' && ping.value !== '127.0.0.1' && parseAddress(ping.value) !== undefined
      ? ping.value
      : undefined;

  if (publicVlan === undefined) {
    throw new ImportInputError(
      `no haproxy host builds the public bridge ${pub.bridge} from a VLAN on a bond through openstack_hosts_systemd_networkd_devices/_networks: the definition needs the public VLAN id and bond` +
        (templatesUnread
          ? ' (those lists are Jinja templates import does not read: write them as plain lists, or in the shape of the OSA guide’s list builder, docs/import.md)'
          : ''),
    );
  }
  const defaultVlanName = `vlan-${pub.bridge.replace(/^br-/, '')}`;
  const gateway = pub.staticRoutes?.find((r) => r.cidr === '0.0.0.0/0')?.gateway ?? pub.gateway!;
  const mtu = pub.mtu ?? publicVlan.mtu;
  return {
    publicNetwork: {
      cidrName: pub.ipFromQ!,
      gateway,
      vlan: publicVlan.id,
      ...(publicVlan.name !== defaultVlanName ? { vlanInterface: publicVlan.name } : {}),
      bond: publicVlan.bond,
      bridge: pub.bridge,
      containerInterface: pub.containerInterface!,
      ...(mtu !== undefined ? { mtu } : {}),
    },
    vips: { external, internal, ...(externalName !== undefined ? { externalName } : {}) },
    bind,
    keepalived: {
      externalRouterId: vrid('external', 10),
      internalRouterId: vrid('internal', 11),
      ...(internalPing !== undefined ? { internalPingAddress: internalPing } : {}),
    },
  };
}

/** The guide's group_vars/haproxy: eth0 without a DHCP default route. */
function checkLxcNetwork(scope: VarScope, emit: Emit): void {
  const { hit } = scope.lookup('lxc_container_networks');
  const eth0 = isMapping(hit?.value) ? hit.value.lxcbr0_address : undefined;
  if (!isMapping(eth0) || eth0.dhcp_use_routes !== false) {
    emit(
      finding(
        'IMPORT_ETH0_DEFAULT_ROUTE',
        hit?.file ?? 'group_vars/haproxy',
        hit?.path ?? [],
        "the haproxy containers' eth0 (lxcbr0, DHCP) keeps its default route, metric 20, which beats the public network's default route (metric 21): replies leave through the SNATed lxcbr0",
        'the rendered group_vars/haproxy/lxc_network.yml sets dhcp_use_routes: false',
      ),
    );
    return;
  }
  if (eth0.mtu === undefined) {
    emit(
      finding(
        'IMPORT_ADDED',
        hit!.file,
        [...hit!.path, 'lxcbr0_address'],
        'the eth0 entry has no mtu: overriding lxc_container_networks replaces OSA’s whole default, which has one',
        'the rendered entry adds mtu: "{{ lxc_net_mtu | default(1500) }}" (OSA\'s own default)',
      ),
    );
  }
  for (const key of Object.keys(hit!.value as object)) {
    if (key !== 'lxcbr0_address')
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          hit!.file,
          [...hit!.path, key],
          `container network ${key}`,
          'not imported: the rendered lxc_container_networks has eth0 only',
        ),
      );
  }
  const known = ['bridge', 'bridge_type', 'interface', 'type', 'mtu', 'dhcp_use_routes'];
  for (const key of Object.keys(eth0)) {
    if (!known.includes(key))
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          hit!.file,
          [...hit!.path, 'lxcbr0_address', key],
          `${key} on eth0`,
          'not imported',
        ),
      );
  }
}

/** The hosts of `haproxy_hosts` (user config and conf.d): on a metal site, the HAProxy instances. */
function metalHaproxyHosts(dir: ParsedConfigDir): string[] {
  const hosts = new Set<string>();
  for (const f of [...(dir.userConfig ? [dir.userConfig] : []), ...dir.confD]) {
    const group = f.data['haproxy_hosts'];
    if (isMapping(group)) for (const h of Object.keys(group)) hosts.add(h);
  }
  return [...hosts].sort();
}

/** What the first deploy does about a metal HAProxy site (docs/deploy.md, the metal cut-over). */
function metalCutoverAction(hosts: readonly string[]): string {
  const which = hosts.length > 0 ? hosts.join(', ') : 'the haproxy hosts';
  return (
    'the rendered env.d/haproxy.yml moves HAProxy into LXC containers; OSA keeps the metal hosts in the haproxy group, ' +
    `so the first deploy plans a cut-over for ${which}: HAProxy, the service frontends and galera's trusted proxies are ` +
    'set up in the containers with the metal hosts left out, then, with its own approval (deploy --metal-cutover ' +
    'approved, or done by hand and --metal-cutover done), keepalived and haproxy stop on them and ' +
    'scripts/inventory-manage.py -r takes them out of the haproxy group; the VIPs are down from then until the ' +
    'keepalived stage brings them up in the containers'
  );
}

/** env.d: the guide's `is_metal: false` for haproxy_container, nothing else. */
function checkEnvD(dir: ParsedConfigDir, emit: Emit): void {
  const merged: Record<string, unknown> = {};
  for (const f of dir.envD) osaMerge(merged, structuredClone(f.data));
  const skel = isMapping(merged.container_skel) ? merged.container_skel : {};
  const haproxy = isMapping(skel[HAPROXY_CONTAINER]) ? skel[HAPROXY_CONTAINER] : {};
  const props = isMapping(haproxy.properties) ? haproxy.properties : {};
  const file =
    dir.envD.find((f) => f.path === 'env.d/haproxy.yml')?.path ?? dir.envD[0]?.path ?? 'env.d/haproxy.yml';
  if (props.is_metal !== false) {
    emit(
      finding(
        'IMPORT_HAPROXY_METAL',
        file,
        ['container_skel', HAPROXY_CONTAINER, 'properties', 'is_metal'],
        'nothing sets haproxy_container is_metal: false, so OSA runs HAProxy on the hosts (its stock env.d says is_metal: true)',
        metalCutoverAction(metalHaproxyHosts(dir)),
      ),
    );
  }
  for (const f of dir.envD) {
    const rest = structuredClone(f.data);
    const s = isMapping(rest.container_skel) ? rest.container_skel : undefined;
    const h = s && isMapping(s[HAPROXY_CONTAINER]) ? s[HAPROXY_CONTAINER] : undefined;
    const p = h && isMapping(h.properties) ? h.properties : undefined;
    if (p) delete p.is_metal;
    if (h && p && Object.keys(p).length === 0) delete h.properties;
    if (s && h && Object.keys(h).length === 0) delete s[HAPROXY_CONTAINER];
    if (s && Object.keys(s).length === 0) delete rest.container_skel;
    if (Object.keys(rest).length > 0) {
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          f.path,
          [],
          `env.d settings ${Object.keys(rest).join(', ')}`,
          f.path === 'env.d/haproxy.yml'
            ? 'not imported, and the rendered env.d/haproxy.yml replaces this file: move them to another env.d file'
            : 'not imported; the file stays in the config dir (the deploy leaves it alone)',
        ),
      );
    }
  }
}

/**
 * Files and keys the rendered tree takes over, and the rest of the variables files: named so
 * nothing is dropped silently, and so the operator cleans up what would fight the rendered tree.
 */
function reportSuperseded(
  dir: ParsedConfigDir,
  config: Record<string, unknown>,
  originOf: (p: string[]) => string,
  consumed: ReadonlySet<string>,
  emit: Emit,
): void {
  const ours = new Set([...consumed, ...HAPROXY_VARS]);
  const varFiles = [
    ...dir.userVariables,
    ...[...dir.groupVars.values()].flat(),
    ...[...dir.hostVars.values()].flat(),
  ];
  for (const f of varFiles) {
    const owned = Object.keys(f.data).filter((k) => ours.has(k));
    const other = Object.keys(f.data).filter((k) => !ours.has(k));
    const renderedHere = RENDERED_FILE.test(f.path);
    if (owned.length > 0 && !renderedHere) {
      emit(
        finding(
          'IMPORT_SUPERSEDED',
          f.path,
          [],
          `${owned.join(', ')}: imported into the definition, which renders ${owned.length > 1 ? 'them' : 'it'}`,
          f.path.startsWith('user_')
            ? `remove ${owned.length > 1 ? 'them' : 'it'} from ${f.path} before the first deploy: extra vars override the rendered host_vars and group_vars`
            : `remove ${owned.length > 1 ? 'them' : 'it'} from ${f.path} before the first deploy, so that one place sets each`,
        ),
      );
    }
    if (other.length > 0) {
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          f.path,
          [],
          `variables the definition does not model: ${other.join(', ')}`,
          renderedHere
            ? 'not imported, and the rendered file of the same name replaces this one on the first deploy: move them to another file'
            : 'not imported; they stay in the config dir, which the deploy leaves alone (it writes only the files in osa-gitops-manifest.json)',
        ),
      );
    }
  }
  if (
    dir.groupVars.has('haproxy') &&
    dir.groupVars.get('haproxy')!.some((f) => !f.path.startsWith('group_vars/haproxy/'))
  ) {
    emit(
      finding(
        'IMPORT_SUPERSEDED',
        'group_vars/haproxy',
        [],
        'a group_vars/haproxy file beside the rendered group_vars/haproxy/ directory',
        'Ansible reads the directory only once it exists: move anything else in this file into group_vars/haproxy/ (the deploy refuses while it would be hidden)',
      ),
    );
  }
  for (const f of dir.confD) {
    const owned = Object.keys(f.data).flatMap((key) =>
      key === 'global_overrides'
        ? Object.keys(isMapping(f.data[key]) ? (f.data[key] as object) : {})
            .filter((k) => GLOBAL_KEYS.includes(k))
            .map((k) => `global_overrides.${k}`)
        : [key],
    );
    if (owned.length > 0) {
      emit(
        finding(
          'IMPORT_SUPERSEDED',
          f.path,
          [],
          `${owned.join(', ')}: imported into the definition, which renders ${owned.length > 1 ? 'them' : 'it'} in openstack_user_config.yml`,
          `remove ${owned.length > 1 ? 'them' : 'it'} from ${f.path} before the first deploy: OSA merges conf.d over openstack_user_config.yml, and a list or value here replaces the rendered one`,
        ),
      );
    }
  }
  void config;
  void originOf;
}

/**
 * The networkd file names the hosts have today, taken over in the definition
 * (`hostNetworking.networkdFilenames`, per host `networkdFilenames`) for every interface the
 * definition renders on that host, so the next apply overwrites those files instead of adding
 * rivals beside them. One stem per interface is rendered for all its files: where a host's
 * `.netdev` and `.network` stems differ (the guide's `05-generic-bond0` / `05-general-bond0`),
 * the `.network` one is taken (systemd applies the first matching `.network`; ours for the
 * `.netdev` sorts before the old one and wins). A name whose stem is the same on every host that
 * renders it goes site-wide; the rest per host.
 */
function carryFilenames(input: EnvironmentInput, nets: ReadonlyMap<string, HostNetworkd>): void {
  const parsed = EnvironmentSchema.safeParse(input);
  if (!parsed.success) return;
  const byName = new Map<string, { host: string; stem: string | undefined }[]>();
  for (const host of Object.keys(input.hosts)) {
    const net = nets.get(host);
    for (const d of hostNetdevs(parsed.data, host)) {
      const s = net?.filenames.get(d.name);
      const found = s?.network ?? s?.netdev;
      const stem = found !== undefined && found !== defaultNetworkdStem(d.order, d.name) ? found : undefined;
      byName.set(d.name, [...(byName.get(d.name) ?? []), { host, stem }]);
    }
  }
  const site: Record<string, string> = {};
  for (const [name, uses] of byName) {
    const stems = new Set(uses.map((u) => u.stem));
    const only = [...stems][0];
    if (stems.size === 1 && only !== undefined) {
      site[name] = only;
      continue;
    }
    for (const u of uses) {
      if (u.stem === undefined) continue;
      const h = input.hosts[u.host]!;
      h.networkdFilenames = { ...h.networkdFilenames, [name]: u.stem };
    }
  }
  if (Object.keys(site).length > 0) {
    input.hostNetworking = { ...input.hostNetworking, networkdFilenames: site };
  }
}

/** Our render's stems (render/host-vars.ts): `NN-osa-gitops-<name>`. */
function foreignFilenames(net: HostNetworkd): Map<string, { netdev?: string; network?: string }> {
  const order = (name: string): number =>
    net.bond?.name === name || Object.hasOwn(net.members, name)
      ? 5
      : name.startsWith('br-') || net.vlans.some((v) => v.bridge === name) || net.public?.name === undefined
        ? 11
        : 10;
  const out = new Map<string, { netdev?: string; network?: string }>();
  for (const [name, stems] of net.filenames) {
    const isVlan =
      net.public?.name === name ||
      net.vlans.some((v) => (v.name ?? `vlan-${v.bridge.replace(/^br-/, '')}`) === name);
    const ours = `${String(isVlan ? 10 : order(name)).padStart(2, '0')}-osa-gitops-${name}`;
    if ((stems.netdev ?? ours) !== ours || (stems.network ?? ours) !== ours) out.set(name, stems);
  }
  return out;
}

function reportFilenames(
  filenames: ReadonlyMap<string, HostFilenames>,
  sources: ReadonlyMap<string, { devices?: VarHit; networks?: VarHit }>,
  emit: Emit,
): void {
  for (const [host, names] of filenames) {
    const w = sources.get(host)?.networks ?? sources.get(host)?.devices;
    const list = [...names]
      .map(
        ([name, s]) =>
          `${name}: ${[s.netdev && `${s.netdev}.netdev`, s.network && `${s.network}.network`].filter(Boolean).join(', ')}`,
      )
      .join('; ');
    emit(
      finding(
        'IMPORT_NETWORKD_FILENAMES',
        w?.file ?? '',
        w?.path ?? [],
        `${host}: has networkd files ${list}`,
        'carried into the definition (networkdFilenames) for the interfaces it renders on the host, so the next apply overwrites these files instead of adding rivals beside them; where the .netdev and .network names differ, the .network name is kept and the old .netdev stays on the host (ours sorts first and wins)',
      ),
    );
  }
}

/**
 * A running site's hosts have every bridge its containers use. One the imported networkd lists do
 * not build (often br-mgmt on its own NIC, set up outside OSA's variables) is built elsewhere on
 * the hosts, so the definition declares it in `hostNetworking.externalBridges` (declared, never
 * rendered) instead of reporting it as missing, and the import says so.
 */
function declareExternalBridges(input: EnvironmentInput, once: (f: ImportFinding) => void): void {
  const parsed = EnvironmentSchema.safeParse(input);
  if (!parsed.success) return;
  const env = parsed.data;
  const built = new Set<string>([
    ...(env.hostNetworking.vlans ?? []).map((v) => v.bridge),
    env.haproxy.publicNetwork.bridge,
  ]);
  const bonded = Object.entries(env.hosts)
    .filter(([, h]) => h.bondMembers !== undefined && Object.keys(h.bondMembers).length > 0)
    .map(([name]) => name);
  if (bonded.length === 0) return;
  const missing = new Map<string, string[]>();
  for (const [host, needs] of hostBridgeNeeds(env)) {
    if (!bonded.includes(host)) continue;
    for (const bridge of needs.bridges.keys())
      if (!built.has(bridge)) missing.set(bridge, [...(missing.get(bridge) ?? []), host]);
  }
  if (missing.size === 0) return;
  const hostIpOnVlan = (env.hostNetworking.vlans ?? []).some((v) => v.address === 'host-ip');
  const externalBridges = [...missing.keys()].sort().map((bridge) => ({
    bridge,
    ...(bridge === env.managementBridge && !hostIpOnVlan ? { address: 'host-ip' as const } : {}),
  }));
  input.hostNetworking = { ...input.hostNetworking, externalBridges };
  for (const { bridge } of externalBridges) {
    once(
      finding(
        'IMPORT_ADDED',
        'openstack_user_config.yml',
        ['global_overrides', 'provider_networks'],
        `bridge ${bridge} is used by containers on ${missing.get(bridge)!.join(', ')}, but the imported networkd lists do not build it`,
        `declared in hostNetworking.externalBridges as built outside osa-gitops; check that it exists on those hosts`,
      ),
    );
  }
}
