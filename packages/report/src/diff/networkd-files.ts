import { hostOfHostVarsFile, type RenderedTree } from '@osa-gitops/core';
import { readYaml, type YamlReader } from './yaml-reader';

/**
 * Which systemd-networkd files a change writes over, deletes, or leaves behind on each host, read
 * from the host_vars of both trees. The systemd_networkd role writes `<filename>.netdev` per device
 * and `<filename>.network` + `<filename>.link` per network item, never deletes a file except, with
 * `systemd_interface_cleanup: true`, the `*<prefix>*.netdev` and `*<prefix>*.network` files before
 * writing (ansible-role-systemd_networkd `tasks/main.yml` @ d27b012; openstack_hosts passes
 * `openstack_hosts_systemd_networkd_prefix` as the prefix, openstack-ansible-openstack_hosts
 * `tasks/openstack_hosts_systemd.yml` @ b3c990e). See docs/host-networking.md.
 */
export interface HostNetworkdFiles {
  readonly host: string;
  /** Written under a name not our own: overwrites a file already on the host (taken over). */
  readonly takenOver: readonly string[];
  /** No longer written; deleted by the role's cleanup on the next openstack-hosts-setup. */
  readonly removed: readonly string[];
  /** No longer written and not deleted by anything: stays on the host until removed by hand. */
  readonly leftBehind: readonly string[];
}

interface HostFiles {
  readonly files: ReadonlySet<string>;
  /** The cleanup glob's prefix when `systemd_interface_cleanup` is on, else undefined. */
  readonly cleanupPrefix?: string;
}

/** Default prefix openstack_hosts hands the role (openstack_hosts `defaults/main.yml` @ b3c990e). */
const OPENSTACK_HOSTS_PREFIX = 'openstack-net';

/** Our own file names contain this; anything else in host_vars is a name taken over. */
export const OWN_FILE_MARK = 'osa-gitops';

export function networkdFileChanges(
  before: RenderedTree | undefined,
  after: RenderedTree | undefined,
  load: YamlReader = readYaml,
): HostNetworkdFiles[] {
  const a = hostFiles(before, load);
  const b = hostFiles(after, load);
  const hosts = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: HostNetworkdFiles[] = [];
  for (const host of hosts) {
    const old = a.get(host)?.files ?? new Set<string>();
    const now = b.get(host);
    const files = now?.files ?? new Set<string>();
    const takenOver = [...files].filter((f) => !f.includes(OWN_FILE_MARK) && !old.has(f)).sort();
    const gone = [...old].filter((f) => !files.has(f)).sort();
    // The role runs only with both lists non-empty; a host without host_vars gets no cleanup.
    const prefix = now?.cleanupPrefix;
    const cleaned = (f: string) =>
      prefix !== undefined && (f.endsWith('.netdev') || f.endsWith('.network')) && f.includes(prefix);
    const removed = gone.filter(cleaned);
    const leftBehind = gone.filter((f) => !cleaned(f));
    if (takenOver.length + removed.length + leftBehind.length > 0)
      out.push({ host, takenOver, removed, leftBehind });
  }
  return out;
}

function hostFiles(tree: RenderedTree | undefined, load: YamlReader): Map<string, HostFiles> {
  const out = new Map<string, HostFiles>();
  if (tree === undefined) return out;
  for (const [path, text] of tree) {
    const host = hostOfHostVarsFile(path);
    if (host === undefined) continue;
    const vars = asObj(load(text));
    const devices = asArray(vars['openstack_hosts_systemd_networkd_devices']);
    const networks = asArray(vars['openstack_hosts_systemd_networkd_networks']);
    if (devices.length === 0 || networks.length === 0) continue;
    const files = new Set<string>();
    for (const d of devices) {
      const f = asObj(d)['filename'];
      if (typeof f === 'string') files.add(`${f}.netdev`);
    }
    for (const n of networks) {
      const f = asObj(n)['filename'];
      if (typeof f === 'string') {
        files.add(`${f}.network`);
        files.add(`${f}.link`);
      }
    }
    const prefixVar = vars['openstack_hosts_systemd_networkd_prefix'];
    const prefix = typeof prefixVar === 'string' && prefixVar !== '' ? prefixVar : OPENSTACK_HOSTS_PREFIX;
    const cleanup = vars['systemd_interface_cleanup'] === true;
    out.set(host, { files, ...(cleanup ? { cleanupPrefix: prefix } : {}) });
  }
  return out;
}

type Obj = Record<string, unknown>;
function asObj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}
function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
