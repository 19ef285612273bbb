import type { BondVlan } from '@osa-gitops/core';
import { isMapping } from './config-dir';
import { finding, type ImportFinding } from './findings';
import type { Located } from './jinja';
import type { VarHit } from './variables';

/** The bond as the definition models it (`hostNetworking.bond`). */
export interface ImportedBond {
  name: string;
  mode?: string;
  transmitHashPolicy?: string;
  lacpTransmitRate?: string;
  miiMonitor?: string;
  mtu?: number;
}

export type ImportedVlan = Omit<BondVlan, 'address'> & { address?: 'host-ip' };

/** What one host's networkd lists say, in the definition's terms. */
export interface HostNetworkd {
  bond?: ImportedBond;
  /** Bond member → MAC (members without a MAC are left out with a finding). */
  members: Record<string, string>;
  /** Bond member → where its MAC is written. */
  memberSources: Record<string, { file: string; path: readonly (string | number)[] }>;
  /** VLANs on the bond other than the public one. */
  vlans: ImportedVlan[];
  /** The VLAN feeding the public bridge, when the host has it. */
  public?: { id: number; name: string; bond: string; mtu?: number };
  /** Interface/netdev name → the file stems the host's items use. */
  filenames: Map<string, { netdev?: string; network?: string }>;
}

export interface HostFacts {
  readonly host: string;
  /** The host's management address (management_ip, else ip). */
  readonly address: string;
  readonly publicBridge: string;
}

/** The guide's bridge timers, which the definition always renders (render/host-vars.ts). */
const BRIDGE_TIMERS: Record<string, unknown> = {
  ForwardDelaySec: 0,
  HelloTimeSec: 2,
  MaxAgeSec: 12,
  STP: false,
};

/**
 * Read one host's resolved `openstack_hosts_systemd_networkd_devices` / `_networks` (the
 * systemd_networkd role's item format, ansible-role-systemd_networkd `templates/` @ d27b012):
 * a bond, its members, VLANs on the bond and the bridges they feed. Anything else is reported as
 * left out: the rendered host_vars are the host's complete lists, so an item the definition
 * cannot express would no longer be built by openstack_hosts after the first deploy.
 */
export function readHostNetworkd(
  facts: HostFacts,
  devicesHit: VarHit | undefined,
  networksHit: VarHit | undefined,
  devices: readonly Located[],
  networks: readonly Located[],
): { net: HostNetworkd; findings: ImportFinding[] } {
  const findings: ImportFinding[] = [];
  const net: HostNetworkd = { members: {}, memberSources: {}, vlans: [], filenames: new Map() };
  const dFile = devicesHit?.file ?? '';
  const nFile = networksHit?.file ?? '';
  const dPath = devicesHit?.path ?? [];
  const nPath = networksHit?.path ?? [];
  const leftOut = (file: string, path: readonly (string | number)[], what: string, action?: string) =>
    findings.push(
      finding(
        'IMPORT_LEFT_OUT',
        file,
        path,
        `${facts.host}: ${what}`,
        action ??
          'not imported: the rendered host_vars are the complete networkd lists of the host, so openstack_hosts stops managing it (its file stays on the host)',
      ),
    );
  if ((devices.length === 0) !== (networks.length === 0)) {
    findings.push(
      finding(
        'IMPORT_NETWORKD_SKIPPED',
        devices.length === 0 ? nFile : dFile,
        devices.length === 0 ? nPath : dPath,
        `${facts.host} has networkd ${devices.length === 0 ? 'networks but no devices' : 'devices but no networks'}: openstack_hosts runs systemd_networkd only when both lists are non-empty (openstack-ansible-openstack_hosts tasks/main.yml @ b3c990e), so nothing is applied there today`,
        'imported as far as the definition expresses it; the rendered host_vars have both lists',
      ),
    );
  }
  const setFile = (name: string, kind: 'netdev' | 'network', stem: unknown) => {
    if (typeof stem !== 'string') return;
    net.filenames.set(name, { ...net.filenames.get(name), [kind]: stem });
  };

  // Devices.
  const vlanNetdevs = new Map<string, { id: number; file: string; path: readonly (string | number)[] }>();
  const bridgeNetdevs = new Map<string, { file: string; path: readonly (string | number)[] }>();
  devices.forEach((loc) => {
    const d = loc.value;
    const dFile = loc.file;
    const path = [...loc.path];
    const nd = isMapping(d) && isMapping(d.NetDev) ? d.NetDev : undefined;
    const name = nd && typeof nd.Name === 'string' ? nd.Name : undefined;
    if (!isMapping(d) || nd === undefined || name === undefined) {
      leftOut(dFile, path, 'a netdev item without NetDev.Name');
      return;
    }
    const extraSections = (known: string[]) => {
      for (const key of Object.keys(d)) {
        if (key === 'NetDev' || key === 'filename' || known.includes(key)) continue;
        leftOut(
          dFile,
          [...path, key],
          `section [${key}] of netdev ${name}`,
          'not imported: the definition does not model it',
        );
      }
      for (const key of Object.keys(nd)) {
        if (key !== 'Name' && key !== 'Kind')
          leftOut(
            dFile,
            [...path, 'NetDev', key],
            `NetDev.${key} of ${name}`,
            'not imported: the definition does not model it',
          );
      }
    };
    switch (nd.Kind) {
      case 'bond': {
        if (net.bond !== undefined) {
          leftOut(dFile, path, `a second bond ${name}`);
          return;
        }
        net.bond = readBond(name, d.Bond, dFile, [...path, 'Bond'], facts, findings);
        setFile(name, 'netdev', d.filename);
        extraSections(['Bond']);
        return;
      }
      case 'vlan': {
        const id = isMapping(d.VLAN) ? d.VLAN.Id : undefined;
        if (typeof id !== 'number' || !Number.isInteger(id)) {
          leftOut(dFile, path, `VLAN netdev ${name} without a numeric VLAN.Id`);
          return;
        }
        vlanNetdevs.set(name, { id, file: dFile, path });
        setFile(name, 'netdev', d.filename);
        extraSections(['VLAN']);
        return;
      }
      case 'bridge': {
        bridgeNetdevs.set(name, { file: dFile, path });
        setFile(name, 'netdev', d.filename);
        const timers = isMapping(d.Bridge) ? d.Bridge : {};
        const differs = Object.keys({ ...timers, ...BRIDGE_TIMERS }).filter(
          (k) => normalizeSystemd(timers[k]) !== normalizeSystemd(BRIDGE_TIMERS[k]),
        );
        if (differs.length > 0) {
          findings.push(
            finding(
              'IMPORT_LEFT_OUT',
              dFile,
              [...path, 'Bridge'],
              `${facts.host}: bridge ${name} sets ${differs.map((k) => `${k}=${String(timers[k] ?? '(unset)')}`).join(', ')}`,
              'not imported: the definition renders every bridge with ForwardDelaySec=0, HelloTimeSec=2, MaxAgeSec=12, STP=off (the guide’s values)',
            ),
          );
        }
        extraSections(['Bridge']);
        return;
      }
      default:
        leftOut(dFile, path, `netdev ${name} of kind ${String(nd.Kind)}`);
    }
  });

  // Networks.
  let bondItem: Record<string, unknown> | undefined;
  let bondItemPath: (string | number)[] = [];
  let bondItemFile = nFile;
  const vlanItems = new Map<
    string,
    { item: Record<string, unknown>; file: string; path: (string | number)[] }
  >();
  const bridgeItems = new Map<
    string,
    { item: Record<string, unknown>; file: string; path: (string | number)[] }
  >();
  networks.forEach((loc) => {
    const n = loc.value;
    const nFile = loc.file;
    const path = [...loc.path];
    if (!isMapping(n) || typeof n.interface !== 'string') {
      leftOut(nFile, path, 'a network item without interface');
      return;
    }
    const iface = n.interface;
    const extra = (known: string[]) => {
      for (const key of Object.keys(n)) {
        if (key !== 'interface' && key !== 'filename' && !known.includes(key)) {
          leftOut(
            nFile,
            [...path, key],
            `${key} of network ${iface}`,
            'not imported: the definition does not model it',
          );
        }
      }
    };
    if (typeof n.bond === 'string') {
      setFile(iface, 'network', n.filename);
      const mac = memberMac(n);
      if (net.bond !== undefined && n.bond !== net.bond.name) {
        findings.push(
          finding(
            'IMPORT_NETWORKD_DANGLING',
            nFile,
            [...path, 'bond'],
            `${facts.host}: ${iface} joins bond ${n.bond}, which no netdev defines`,
            'not imported',
          ),
        );
        return;
      }
      if (mac === undefined) {
        leftOut(
          nFile,
          path,
          `bond member ${iface} has no MAC (Match.MACAddress or Match.PermanentMACAddress in link_config_overrides or config_overrides)`,
          'not imported: the definition needs each bond member’s MAC',
        );
      } else {
        net.members[iface] = mac.value;
        net.memberSources[iface] = { file: nFile, path: [...path, mac.key, 'Match', mac.field] };
      }
      const rest = { ...n };
      delete rest.bond;
      if (isMapping(rest.link_config_overrides)) {
        const lco = rest.link_config_overrides;
        const onlyMac =
          Object.keys(lco).length === 1 && isMapping(lco.Match) && Object.keys(lco.Match).length === 1;
        if (onlyMac && mac !== undefined) delete rest.link_config_overrides;
      }
      if (isMapping(rest.config_overrides) && mac !== undefined && !isMapping(n.link_config_overrides)) {
        delete rest.config_overrides;
      }
      for (const key of Object.keys(rest)) {
        if (key !== 'interface' && key !== 'filename')
          leftOut(
            nFile,
            [...path, key],
            `${key} of bond member ${iface}`,
            'not imported: the definition does not model it',
          );
      }
      return;
    }
    if (net.bond !== undefined && iface === net.bond.name) {
      bondItem = n;
      bondItemPath = path;
      bondItemFile = nFile;
      setFile(iface, 'network', n.filename);
      if (typeof n.mtu === 'number') net.bond.mtu = n.mtu;
      extra(['vlan', 'mtu']);
      return;
    }
    if (vlanNetdevs.has(iface)) {
      vlanItems.set(iface, { item: n, file: nFile, path });
      setFile(iface, 'network', n.filename);
      extra(['bridge', 'mtu']);
      return;
    }
    if (bridgeNetdevs.has(iface)) {
      bridgeItems.set(iface, { item: n, file: nFile, path });
      setFile(iface, 'network', n.filename);
      extra(['address', 'netmask', 'gateway', 'dns', 'mtu']);
      return;
    }
    leftOut(nFile, path, `network ${iface} (not a bond member, the bond, or a VLAN/bridge on it)`);
  });

  // The chain bond → VLAN → bridge.
  const onBond =
    bondItem === undefined
      ? []
      : typeof bondItem.vlan === 'string'
        ? [bondItem.vlan]
        : Array.isArray(bondItem.vlan)
          ? bondItem.vlan
          : [];
  const used = new Set<string>();
  onBond.forEach((v, i) => {
    const path = [...bondItemPath, 'vlan', i];
    if (typeof v !== 'string') return;
    const netdev = vlanNetdevs.get(v);
    const item = vlanItems.get(v);
    if (netdev === undefined) {
      findings.push(
        finding(
          'IMPORT_NETWORKD_DANGLING',
          bondItemFile,
          path,
          `${facts.host}: the bond lists VLAN ${v}, which the host's devices do not define (systemd-networkd ignores it)`,
          'not imported',
        ),
      );
      return;
    }
    const bridge = item && typeof item.item.bridge === 'string' ? item.item.bridge : undefined;
    if (bridge === undefined || !bridgeNetdevs.has(bridge)) {
      findings.push(
        finding(
          'IMPORT_NETWORKD_DANGLING',
          item?.file ?? bondItemFile,
          item?.path ?? path,
          `${facts.host}: VLAN ${v} feeds no bridge the host defines`,
          'not imported: the definition models VLANs that feed a bridge',
        ),
      );
      return;
    }
    used.add(v);
    used.add(bridge);
    const mtu = typeof item!.item.mtu === 'number' ? item!.item.mtu : undefined;
    if (bridge === facts.publicBridge) {
      net.public = { id: netdev.id, name: v, bond: net.bond!.name, ...(mtu !== undefined ? { mtu } : {}) };
      return;
    }
    const vlan: ImportedVlan = { id: netdev.id, bridge };
    if (v !== `vlan-${bridge.replace(/^br-/, '')}`) vlan.name = v;
    if (mtu !== undefined) vlan.mtu = mtu;
    const b = bridgeItems.get(bridge);
    if (b !== undefined) {
      const address = b.item.address;
      if (address !== undefined) {
        if (address === facts.address) vlan.address = 'host-ip';
        else
          leftOut(
            b.file,
            [...b.path, 'address'],
            `bridge ${bridge} has address ${JSON.stringify(address)}, not the host's management address`,
            'not imported: the definition puts only the host’s own management address on a bridge',
          );
      }
      if (vlan.address === 'host-ip') {
        if (typeof b.item.gateway === 'string') vlan.gateway = b.item.gateway;
        if (Array.isArray(b.item.dns) && b.item.dns.every((x) => typeof x === 'string'))
          vlan.dns = b.item.dns as string[];
      } else {
        for (const key of ['gateway', 'dns'] as const) {
          if (b.item[key] !== undefined)
            leftOut(
              b.file,
              [...b.path, key],
              `${key} on bridge ${bridge}, which does not carry the host's address`,
              'not imported',
            );
        }
      }
    }
    net.vlans.push(vlan);
  });
  for (const [name, v] of vlanNetdevs) {
    if (!used.has(name)) leftOut(v.file, v.path, `VLAN ${name} is not on the bond`);
  }
  for (const [name, b] of bridgeNetdevs) {
    if (!used.has(name)) leftOut(b.file, b.path, `bridge ${name} is fed by no VLAN on the bond`);
  }
  return { net, findings };
}

function readBond(
  name: string,
  section: unknown,
  file: string,
  path: (string | number)[],
  facts: HostFacts,
  findings: ImportFinding[],
): ImportedBond {
  const bond: ImportedBond = { name };
  const s = isMapping(section) ? section : {};
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const mode = text(s.Mode);
  const hash = text(s.TransmitHashPolicy);
  const rate = text(s.LACPTransmitRate);
  if (mode !== undefined) bond.mode = mode;
  if (hash !== undefined) bond.transmitHashPolicy = hash;
  if (rate !== undefined) bond.lacpTransmitRate = rate;
  const mii = s.MIIMonitorSec;
  if (typeof mii === 'number' || (typeof mii === 'string' && /^\d+(\.\d+)?$/.test(mii))) {
    bond.miiMonitor = `${mii}ms`;
    findings.push(
      finding(
        'IMPORT_MII_MONITOR_SECONDS',
        file,
        [...path, 'MIIMonitorSec'],
        `${facts.host}: MIIMonitorSec: ${mii} has no unit, and systemd reads a bare number as seconds: the bond checks its links every ${mii} s (systemd.time(7))`,
        `imported as "${mii}ms" (what the guide means); write "${mii}s" in the definition to keep today's behaviour`,
      ),
    );
  } else if (typeof mii === 'string') {
    bond.miiMonitor = mii;
  }
  for (const key of Object.keys(s)) {
    if (!['Mode', 'TransmitHashPolicy', 'LACPTransmitRate', 'MIIMonitorSec'].includes(key)) {
      findings.push(
        finding(
          'IMPORT_LEFT_OUT',
          file,
          [...path, key],
          `${facts.host}: Bond.${key} of ${name}`,
          'not imported: the definition does not model it',
        ),
      );
    }
  }
  return bond;
}

/**
 * A member's MAC where configs put it: the guide's `link_config_overrides.Match.MACAddress`, a
 * `config_overrides.Match.MACAddress`, or what osa-gitops renders,
 * `config_overrides.Match.PermanentMACAddress` (docs/adr/0011).
 */
function memberMac(item: Record<string, unknown>): { value: string; key: string; field: string } | undefined {
  for (const key of ['link_config_overrides', 'config_overrides']) {
    const o = item[key];
    if (!isMapping(o) || !isMapping(o.Match)) continue;
    for (const field of ['MACAddress', 'PermanentMACAddress']) {
      const v = o.Match[field];
      if (typeof v === 'string') return { value: v, key, field };
    }
  }
  return undefined;
}

/** systemd reads booleans case-insensitively; YAML 1.1 turned `off` into false. */
function normalizeSystemd(v: unknown): string {
  if (v === false || v === 'off' || v === 'no' || v === 'false' || v === 0) return 'false';
  if (v === true || v === 'on' || v === 'yes' || v === 'true') return 'true';
  return String(v);
}
