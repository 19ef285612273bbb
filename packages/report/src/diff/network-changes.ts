import { MANIFEST_FILE } from '@osa-gitops/render';
import {
  hostVarsFile,
  OPENSTACK_USER_CONFIG_FILE as USER_CONFIG_FILE,
  type RenderedTree,
  USER_VARIABLES_FILE,
} from '@osa-gitops/core';
import { DISRUPTION_BY_KIND } from './disruption';
import { readPublicPath } from './public-path';
import { diffTrees } from './diff-trees';
import { networkdFileChanges } from './networkd-files';
import { readSiteFacts, type SiteFacts } from './read-site-facts';
import type { NetworkChange, NetworkChangeKind } from './types';
import { unexplainedChanges, type ChangedLeaf } from './unexplained-changes';
import { cachingYamlReader, type YamlReader } from './yaml-reader';

const ARROW = '→';

/**
 * Classify what changed for network operators between two rendered trees of one site. Either
 * side may be absent (site added or removed). Changes come out in a stable order: by kind as
 * listed in `NetworkChangeKind`, then by subject. Whatever the recognised changes do not explain,
 * down to the changed YAML keys of a file, is reported as `file-changed`, so nothing changes
 * silently (unexplained-changes.ts).
 */
export function networkChanges(
  site: string,
  before?: RenderedTree,
  after?: RenderedTree,
  load: YamlReader = cachingYamlReader(),
): NetworkChange[] {
  if (!before && !after) return [];
  if (!before) {
    return [
      change(site, 'site-added', `site ${site} added${describeSite(after!)}`, { files: [...after!.keys()] }),
      ...networkdChanges(site, undefined, after!, load),
    ];
  }
  if (!after) return [change(site, 'site-removed', `site ${site} removed`, { files: [...before.keys()] })];

  const a = readSiteFacts(before, load);
  const b = readSiteFacts(after, load);
  const out: NetworkChange[] = [];
  const push = (kind: NetworkChangeKind, summary: string, extra: Extra) =>
    out.push(change(site, kind, summary, extra));

  vipChange(a.externalVip, b.externalVip, 'external', push);
  vipChange(a.internalVip, b.internalVip, 'internal', push);

  if (a.publicGateway !== b.publicGateway) {
    push(
      'public-gateway-changed',
      `public gateway (default route) ${show(a.publicGateway)} ${ARROW} ${show(b.publicGateway)}`,
      {
        before: a.publicGateway,
        after: b.publicGateway,
        files: [USER_CONFIG_FILE],
      },
    );
  }

  for (const c of vlanChanges(a, b)) {
    // Only the public VLAN feeds the haproxy containers' default route; the bond's other VLANs
    // (hostNetworking.vlans) carry the hosts' own networks, br-mgmt among them.
    const bridge = b.vlanBridges.get(c.hosts[0]!)?.get(c.name);
    const why =
      bridge === undefined || bridge === b.publicBridge
        ? undefined
        : `VLAN ${c.name} carries ${bridge} on these hosts: their switch ports must carry the new id before openstack-hosts-setup applies it; if ${bridge} is the management bridge, a mistake cuts the hosts off`;
    push('vlan-id-changed', `VLAN ${c.name} id ${c.from} ${ARROW} ${c.to} on ${c.hosts.join(', ')}`, {
      ...(why ? { why } : {}),
      subject: c.name,
      before: String(c.from),
      after: String(c.to),
      files: c.hosts.map(hostVarsFile),
    });
  }

  const hostsBefore = new Set(a.haproxyHosts);
  const hostsAfter = new Set(b.haproxyHosts);
  for (const host of b.haproxyHosts.filter((h) => !hostsBefore.has(h))) {
    push('haproxy-host-added', `host ${host} added to haproxy_hosts`, {
      subject: host,
      files: [USER_CONFIG_FILE, hostVarsFile(host)],
    });
  }
  for (const host of a.haproxyHosts.filter((h) => !hostsAfter.has(h))) {
    push('haproxy-host-removed', `host ${host} removed from haproxy_hosts`, {
      subject: host,
      files: [USER_CONFIG_FILE, hostVarsFile(host)],
    });
  }

  if (a.bindMode && b.bindMode && a.bindMode !== b.bindMode) {
    push('bind-mode-changed', `haproxy binds by ${a.bindMode} ${ARROW} by ${b.bindMode}`, {
      before: a.bindMode,
      after: b.bindMode,
      files: [USER_VARIABLES_FILE],
    });
  }

  for (const name of [...a.cidrNetworks.keys()].filter((n) => b.cidrNetworks.has(n)).sort()) {
    const from = a.cidrNetworks.get(name)!;
    const to = b.cidrNetworks.get(name)!;
    if (from !== to) {
      push('pool-resized', `network ${name} ${from} ${ARROW} ${to}`, {
        subject: name,
        before: from,
        after: to,
        files: [USER_CONFIG_FILE],
      });
    }
  }

  routerIdChange(a.externalRouterId, b.externalRouterId, 'external', push);
  routerIdChange(a.internalRouterId, b.internalRouterId, 'internal', push);
  out.push(...networkdChanges(site, before, after, load));

  let files = diffTrees(before, after).files;
  // The manifest lists the owned files, so it changes whenever a file comes or goes: bookkeeping.
  if (files.some((f) => f.kind !== 'changed' && f.path !== MANIFEST_FILE))
    files = files.filter((f) => f.path !== MANIFEST_FILE);
  const recognised = [...out];
  for (const u of unexplainedChanges(files, recognised, (p) => ({
    before: before.get(p),
    after: after.get(p),
  }))) {
    const summary =
      u.leaves === undefined || u.leaves.length === 0
        ? `${u.path} ${u.kind}`
        : `${u.path}: ${listLeaves(u.leaves)}`;
    push('file-changed', summary, { subject: u.path, files: [u.path] });
  }
  return out;
}

/** At most four keys with what happened to each, then a count: enough to find the lines. */
function listLeaves(leaves: readonly ChangedLeaf[]): string {
  const shown = leaves
    .slice(0, 4)
    .map((l) => `${l.path} ${l.op}`)
    .join(', ');
  return leaves.length > 4 ? `${shown} (+${leaves.length - 4} more)` : shown;
}

interface Extra {
  /** Replaces the kind's generic reason when this change has a more specific one. */
  readonly why?: string;
  readonly subject?: string;
  readonly before?: string;
  readonly after?: string;
  readonly files: readonly string[];
}

function change(site: string, kind: NetworkChangeKind, summary: string, extra: Extra): NetworkChange {
  const { disruption } = DISRUPTION_BY_KIND[kind];
  const why = extra.why ?? DISRUPTION_BY_KIND[kind].why;
  return {
    site,
    kind,
    disruption,
    summary,
    why,
    ...(extra.subject !== undefined ? { subject: extra.subject } : {}),
    ...(extra.before !== undefined ? { before: extra.before } : {}),
    ...(extra.after !== undefined ? { after: extra.after } : {}),
    files: extra.files,
  };
}

type Push = (kind: NetworkChangeKind, summary: string, extra: Extra) => void;

function vipChange(
  from: string | undefined,
  to: string | undefined,
  which: 'external' | 'internal',
  push: Push,
) {
  if (from === to) return;
  push(`${which}-vip-moved`, `${which} VIP ${show(from)} ${ARROW} ${show(to)}`, {
    subject: which,
    before: from,
    after: to,
    files: [USER_CONFIG_FILE, USER_VARIABLES_FILE],
  });
}

function routerIdChange(from: number | undefined, to: number | undefined, which: string, push: Push) {
  if (from === to) return;
  push('router-id-changed', `keepalived ${which} virtual_router_id ${show(from)} ${ARROW} ${show(to)}`, {
    subject: which,
    before: from === undefined ? undefined : String(from),
    after: to === undefined ? undefined : String(to),
    files: [USER_VARIABLES_FILE],
  });
}

/** VLAN id changes grouped by (netdev name, from, to) so ten hosts make one line, not ten. */
function vlanChanges(a: SiteFacts, b: SiteFacts) {
  const groups = new Map<string, { name: string; from: number; to: number; hosts: string[] }>();
  for (const [host, before] of a.vlans) {
    const after = b.vlans.get(host);
    if (!after) continue;
    for (const [name, from] of before) {
      const to = after.get(name);
      if (to === undefined || to === from) continue;
      const key = `${name}\0${from}\0${to}`;
      const g = groups.get(key) ?? { name, from, to, hosts: [] };
      g.hosts.push(host);
      groups.set(key, g);
    }
  }
  return [...groups.values()]
    .map((g) => ({ ...g, hosts: g.hosts.sort() }))
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.from - y.from || x.to - y.to));
}

/** `: external VIP …, internal VIP …, gateway …, VLAN …, haproxy hosts …` for a new site. */
function describeSite(tree: RenderedTree): string {
  const p = readPublicPath(tree);
  const parts = [
    p.externalVip && `external VIP ${p.externalVip}`,
    p.internalVip && `internal VIP ${p.internalVip}`,
    p.gateway && `gateway ${p.gateway}`,
    p.vlanId !== undefined && `VLAN ${p.vlanId}`,
    p.haproxyHosts.length > 0 && `haproxy hosts ${p.haproxyHosts.join(', ')}`,
  ].filter((x): x is string => typeof x === 'string' && x !== '');
  return parts.length > 0 ? `: ${parts.join(', ')}` : '';
}

function show(v: string | number | undefined): string {
  return v === undefined ? '(none)' : String(v);
}

/** Per host: the networkd files openstack-hosts-setup writes over, deletes, or leaves behind. */
function networkdChanges(
  site: string,
  before: RenderedTree | undefined,
  after: RenderedTree,
  load: YamlReader,
): NetworkChange[] {
  return networkdFileChanges(before, after, load).map((h) => {
    const parts = [
      h.takenOver.length > 0 &&
        `writes over ${h.takenOver.join(', ')} (files of these names already on the host are replaced)`,
      h.removed.length > 0 && `removes ${h.removed.join(', ')} (the role's cleanup of our prefix)`,
      h.leftBehind.length > 0 && `leaves ${h.leftBehind.join(', ')} on the host: delete by hand`,
    ].filter((p): p is string => typeof p === 'string');
    return change(site, 'networkd-files', `networkd files on ${h.host}: ${parts.join('; ')}`, {
      subject: h.host,
      // A host without host_vars now is not set up by openstack-hosts-setup: nothing to run there.
      files: after.has(hostVarsFile(h.host)) ? [hostVarsFile(h.host)] : [],
    });
  });
}
