import {
  addressKey,
  bridgeNeeds,
  type BridgeNetwork,
  type BridgeUse,
  normalizeGroup,
} from '@osa-gitops/core';

/**
 * Per host, the whole path a reviewer needs to see: NIC → bond → VLAN → bridge → container
 * interface → network / VIP, for every bridge the host builds, declares or needs. Built from a
 * neutral description of a site (`ChainSite`) so that the same code explains a definition
 * (`explain` command, from-environment.ts) and a rendered tree read back from YAML (the PR
 * report, from-tree.ts). Which members need which bridge comes from model/host-bridges.ts.
 */

export interface ChainNetwork extends BridgeNetwork {
  /** For people: `providerNetworks[0]`, `the public network`, or the rendered entry's index. */
  readonly label: string;
  readonly isManagementAddress?: boolean;
  /** The haproxy containers' public network: carries the external VIP and their default route. */
  readonly isPublic?: boolean;
  /** Default route of the containers on this network (the public gateway). */
  readonly defaultGateway?: string;
}

/** What osa-gitops builds on one host (its host_vars). */
export interface HostBuild {
  readonly bond?: { readonly name: string; readonly members: readonly { nic: string; mac?: string }[] };
  readonly vlans: readonly {
    readonly name: string;
    readonly id?: number;
    readonly bridge: string;
    /** `ip/prefix` when the bridge gets the host's address. */
    readonly address?: string;
    readonly gateway?: string;
  }[];
}

export interface ChainSite {
  readonly site: string;
  readonly hosts: Readonly<
    Record<
      string,
      {
        readonly ip?: string;
        readonly managementIp?: string;
        readonly groups: readonly string[];
        readonly affinity?: Readonly<Record<string, number>>;
      }
    >
  >;
  /** Every provider network OSA sees, in order. */
  readonly networks: readonly ChainNetwork[];
  /** `cidr_networks`. */
  readonly cidrs: Readonly<Record<string, string>>;
  /** host → what osa-gitops builds there; hosts without an entry get nothing from osa-gitops. */
  readonly built: ReadonlyMap<string, HostBuild>;
  /**
   * Bridges declared outside the bond, on every host with a bond (`hostNetworking.externalBridges`).
   * Undefined when unknown (a rendered tree does not carry them): a needed bridge nothing builds
   * is then `not-built` and `unverified`, not `missing`.
   */
  readonly external?: readonly {
    readonly bridge: string;
    readonly interface?: string;
    readonly hostIp?: boolean;
  }[];
  readonly vips: { readonly external?: string; readonly internal?: string };
  /** `hostNetworking.complete`, when known. */
  readonly complete?: boolean;
}

export type BridgeSource =
  | {
      readonly kind: 'bond-vlan';
      readonly nics: readonly { nic: string; mac?: string }[];
      readonly bond?: string;
      readonly vlan: string;
      readonly vlanId?: number;
      readonly address?: string;
      readonly gateway?: string;
    }
  | { readonly kind: 'external'; readonly interface?: string; readonly hostIp: boolean }
  /** Needed on a host osa-gitops builds nothing on: the operator's own networking must have it. */
  | { readonly kind: 'not-modelled' }
  /** Needed on a host with a modelled bond, but nothing builds or declares it. */
  | { readonly kind: 'missing' }
  /** Needed on a host osa-gitops builds, not built there; whether it is declared is unknown. */
  | { readonly kind: 'not-built' };

export interface ChainUse {
  /** container_skel names, or `host` for the host's own entry. */
  readonly members: readonly string[];
  /** Interface inside the containers; absent for the host's own entry. */
  readonly interface?: string;
  /** `container_networks` key, e.g. `container_address`. */
  readonly key: string;
  readonly network: string;
  /** `name cidr` of the network's `ip_from_q`, when known. */
  readonly cidr?: string;
  /** The host's own address on it (management network). */
  readonly address?: string;
  /** `external VIP 203.0.113.140`, `internal VIP 172.29.236.9`. */
  readonly vips: readonly string[];
  /** The containers' default route on this network. */
  readonly defaultGateway?: string;
  /** Set when neutron binds this interface instead of the bridge (the host's own entry). */
  readonly bindOverride?: string;
}

export interface BridgeChain {
  readonly bridge: string;
  readonly source: BridgeSource;
  /**
   * `unused`: built or declared, but nothing on the host needs it. `unverified`: needed and not
   * built, and the declarations outside the bond are unknown (read from a rendered tree).
   */
  readonly status: 'ok' | 'missing' | 'unused' | 'unverified';
  readonly uses: readonly ChainUse[];
}

export interface HostChain {
  readonly host: string;
  readonly ip?: string;
  readonly groups: readonly string[];
  /** osa-gitops builds this host's networking (it has host_vars with a bond or VLANs). */
  readonly modelled: boolean;
  /** Containers OSA creates on it (container_skel names, one per container). */
  readonly containers: readonly string[];
  /** Components running on the host itself. */
  readonly metalComponents: readonly string[];
  readonly bridges: readonly BridgeChain[];
}

const HAPROXY_CONTAINER = 'haproxy_container';

/** Chains of the given hosts (default: all), sorted by host name. */
export function hostChains(site: ChainSite, only?: readonly string[]): HostChain[] {
  const needs = bridgeNeeds(site, site.networks);
  const hosts = Object.keys(site.hosts)
    .sort()
    .filter((h) => only === undefined || only.includes(h));
  return hosts.map((host) => {
    const need = needs.get(host)!;
    const build = site.built.get(host);
    const h = site.hosts[host]!;
    const sources = new Map<string, BridgeSource>();
    if (build !== undefined) {
      for (const v of [...build.vlans].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) {
        if (sources.has(v.bridge)) continue;
        sources.set(v.bridge, {
          kind: 'bond-vlan',
          nics: build.bond?.members ?? [],
          ...(build.bond ? { bond: build.bond.name } : {}),
          vlan: v.name,
          ...(v.id !== undefined ? { vlanId: v.id } : {}),
          ...(v.address !== undefined ? { address: v.address } : {}),
          ...(v.gateway !== undefined ? { gateway: v.gateway } : {}),
        });
      }
      for (const e of site.external ?? []) {
        if (sources.has(e.bridge)) continue;
        sources.set(e.bridge, {
          kind: 'external',
          ...(e.interface !== undefined ? { interface: e.interface } : {}),
          hostIp: e.hostIp === true,
        });
      }
    }
    const bridges: BridgeChain[] = [];
    for (const [bridge, source] of sources) {
      const uses = need.uses.filter((u) => u.bridge === bridge);
      const required = need.bridges.has(bridge);
      bridges.push({ bridge, source, status: required ? 'ok' : 'unused', uses: describe(site, uses) });
    }
    for (const [bridge, uses] of need.bridges) {
      if (sources.has(bridge)) continue;
      const [kind, status] =
        build === undefined
          ? (['not-modelled', 'ok'] as const)
          : site.external === undefined
            ? (['not-built', 'unverified'] as const)
            : (['missing', 'missing'] as const);
      bridges.push({ bridge, source: { kind }, status, uses: describe(site, uses) });
    }
    return {
      host,
      ...(h.ip !== undefined ? { ip: h.ip } : {}),
      groups: h.groups,
      modelled: build !== undefined,
      containers: need.containers.map((c) => c.skel!),
      metalComponents: need.metalComponents,
      bridges,
    };
  });
}

/** One line per (network, interface, kind of member), with what sits at the far end. */
function describe(site: ChainSite, uses: readonly BridgeUse[]): ChainUse[] {
  const groups = new Map<string, BridgeUse[]>();
  for (const u of uses) {
    const onHost = u.member.skel === undefined;
    const key = `${u.network}\u0000${onHost ? 'host' : (u.interface ?? '')}`;
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  const out: ChainUse[] = [];
  for (const list of groups.values()) {
    const first = list[0]!;
    const net = site.networks[first.network]!;
    const onHost = first.member.skel === undefined;
    const members = onHost ? ['host'] : [...new Set(list.map((u) => u.member.skel!))].sort();
    const cidr = net.ipFromQ !== undefined ? site.cidrs[net.ipFromQ] : undefined;
    const vips: string[] = [];
    if (!onHost && members.includes(HAPROXY_CONTAINER)) {
      if (net.isPublic && site.vips.external !== undefined)
        vips.push(`external VIP ${site.vips.external} on ${HAPROXY_CONTAINER}`);
      if (net.isManagementAddress && site.vips.internal !== undefined)
        vips.push(`internal VIP ${site.vips.internal} on ${HAPROXY_CONTAINER}`);
    }
    const host = site.hosts[first.member.host];
    const address = onHost && net.isManagementAddress ? (host?.managementIp ?? host?.ip) : undefined;
    out.push({
      members,
      ...(first.interface !== undefined ? { interface: first.interface } : {}),
      key: addressKey(net),
      network: net.label,
      ...(cidr !== undefined ? { cidr: `${net.ipFromQ} ${cidr}` } : {}),
      ...(address !== undefined ? { address } : {}),
      vips,
      ...(!onHost && net.defaultGateway !== undefined ? { defaultGateway: net.defaultGateway } : {}),
      ...(first.bindOverride !== undefined ? { bindOverride: first.bindOverride } : {}),
    });
  }
  return out;
}

/** True when the host is in the group (after OSA's `-` → `_`). */
export function inGroup(groups: readonly string[], group: string): boolean {
  return groups.some((g) => normalizeGroup(g) === group);
}
