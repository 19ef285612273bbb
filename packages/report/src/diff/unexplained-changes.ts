import type { FileDiff } from './types';
import type { NetworkChange, NetworkChangeKind } from './types';
import {
  HOST_VARS_PREFIX,
  OPENSTACK_USER_CONFIG_FILE as USER_CONFIG_FILE,
  USER_VARIABLES_FILE,
} from '@osa-gitops/core';
import { readYaml, type YamlReader } from './yaml-reader';

/**
 * What a file diff changed beyond the recognised network changes. A recognised change "claims"
 * the leaves (YAML key paths) it explains; every other changed leaf is reported, so a VIP move
 * cannot hide a `group_binds` edit in the same file (found by review). Claims err on the side of
 * claiming too little: an unclaimed leaf shows up as an extra `file-changed` line, never silence.
 */

export interface ChangedLeaf {
  /** `a.b[2].c` style. */
  readonly path: string;
  readonly op: 'added' | 'removed' | 'changed';
}

/** Changed leaves of one YAML file, sorted by path; undefined when a side does not parse. */
export function changedLeaves(
  beforeText: string | undefined,
  afterText: string | undefined,
  load: YamlReader = readYaml,
): ChangedLeaf[] | undefined {
  const before = beforeText === undefined ? undefined : (load(beforeText) ?? INVALID);
  const after = afterText === undefined ? undefined : (load(afterText) ?? INVALID);
  if (before === INVALID || after === INVALID) return undefined;
  const a = flatten(before);
  const b = flatten(after);
  const out: ChangedLeaf[] = [];
  for (const [k, v] of a) {
    if (!b.has(k)) out.push({ path: k, op: 'removed' });
    else if (b.get(k) !== v) out.push({ path: k, op: 'changed' });
  }
  for (const k of b.keys()) if (!a.has(k)) out.push({ path: k, op: 'added' });
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

const INVALID = Symbol('invalid');

function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, '[]');
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(prefix, '{}');
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

const USED_IPS = /^used_ips(\[|$)/;
/** A VIP in `haproxy_tls_vip_binds` (render/user-variables.ts): a bind address or the first SAN record. */
const TLS_BIND_VIP = /^haproxy_tls_vip_binds\[\d+\]\.(address|pki_san_records\[0\])$/;

/** Leaf patterns each change kind explains, per file (the subject fills host and network names). */
function claims(change: NetworkChange): { file: RegExp; leaf: RegExp }[] {
  const exact = (file: string) => new RegExp(`^${escape(file)}$`);
  const config = exact(USER_CONFIG_FILE);
  const vars = exact(USER_VARIABLES_FILE);
  const subject = change.subject ?? '';
  const byKind: Partial<Record<NetworkChangeKind, { file: RegExp; leaf: RegExp }[]>> = {
    'external-vip-moved': [
      { file: config, leaf: /^global_overrides\.external_lb_vip_address$/ },
      { file: config, leaf: USED_IPS },
      { file: vars, leaf: /^haproxy_(keepalived_external_vip_cidr|bind_external_lb_vip_address)$/ },
      // The TLS binds carry the VIP as the bind address (by address) or as the first SAN record.
      { file: vars, leaf: TLS_BIND_VIP },
    ],
    'internal-vip-moved': [
      { file: config, leaf: /^global_overrides\.internal_lb_vip_address$/ },
      { file: config, leaf: USED_IPS },
      { file: vars, leaf: /^haproxy_(keepalived_internal_vip_cidr|bind_internal_lb_vip_address)$/ },
      { file: vars, leaf: TLS_BIND_VIP },
    ],
    'public-gateway-changed': [
      { file: config, leaf: /^global_overrides\.provider_networks\[\d+\]\.network\.(static_routes|gateway)/ },
      { file: config, leaf: USED_IPS },
      // The external keepalived instance pings the public gateway.
      { file: vars, leaf: /^keepalived_external_ping_address$/ },
    ],
    'vlan-id-changed': [
      {
        file: new RegExp(`^${escape(HOST_VARS_PREFIX)}[^/]+\\.yml$`),
        leaf: /^openstack_hosts_systemd_networkd_devices\[\d+\]\.VLAN\.Id$/,
      },
    ],
    'haproxy-host-added': [
      { file: config, leaf: new RegExp(`^haproxy[-_]hosts(\\.${escape(subject)}(\\.|$)|$)`) },
      { file: exact(`${HOST_VARS_PREFIX}${subject}.yml`), leaf: /.*/ },
    ],
    'haproxy-host-removed': [
      { file: config, leaf: new RegExp(`^haproxy[-_]hosts(\\.${escape(subject)}(\\.|$)|$)`) },
      { file: exact(`${HOST_VARS_PREFIX}${subject}.yml`), leaf: /.*/ },
    ],
    'bind-mode-changed': [
      { file: vars, leaf: /^haproxy_bind_/ },
      { file: vars, leaf: /^haproxy_tls_vip_binds(\[|$)/ },
    ],
    'pool-resized': [
      { file: config, leaf: new RegExp(`^cidr_networks\\.${escape(subject)}$`) },
      { file: config, leaf: USED_IPS },
    ],
    'router-id-changed': [
      { file: vars, leaf: new RegExp(`^haproxy_keepalived_${escape(subject)}_virtual_router_id$`) },
    ],
  };
  return byKind[change.kind] ?? [];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * For each changed file, the leaves no recognised change claims. Files added or removed whole
 * and unparsable files are returned with `leaves: undefined` unless a change lists the file.
 */
export function unexplainedChanges(
  files: readonly FileDiff[],
  changes: readonly NetworkChange[],
  read: (path: string) => { before?: string; after?: string },
  load: YamlReader = readYaml,
): { path: string; kind: FileDiff['kind']; leaves?: ChangedLeaf[] }[] {
  const out: { path: string; kind: FileDiff['kind']; leaves?: ChangedLeaf[] }[] = [];
  const allClaims = changes.flatMap(claims);
  const listed = new Set(changes.flatMap((c) => c.files));
  for (const file of files) {
    if (file.kind !== 'changed' || !file.path.endsWith('.yml')) {
      if (!listed.has(file.path)) out.push({ path: file.path, kind: file.kind });
      continue;
    }
    const { before, after } = read(file.path);
    const leaves = changedLeaves(before, after, load);
    if (leaves === undefined) {
      if (!listed.has(file.path)) out.push({ path: file.path, kind: file.kind });
      continue;
    }
    const fileClaims = allClaims.filter((c) => c.file.test(file.path));
    const rest = leaves.filter((leaf) => !fileClaims.some((c) => c.leaf.test(leaf.path)));
    // A file whose only difference is its text (comments, formatting) but no value is still shown.
    if (rest.length > 0 || (leaves.length === 0 && !listed.has(file.path)))
      out.push({ path: file.path, kind: file.kind, leaves: rest });
  }
  return out;
}
