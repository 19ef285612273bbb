// Folds the hosts' networkd reads into the site's one bond, VLAN list and public VLAN, and per host bond
// members; reports hosts that differ and bad MACs.
import { HAPROXY_HOST_GROUP, normalizeGroup } from '@osa-gitops/core';
import { finding } from '../findings';
import type { HostNetworkd } from '../networkd';
import type { VarHit } from '../variables';
import type { Emit, ImportedHost } from './types';

export interface SiteNetworking {
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
export function aggregateNetworking(
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
