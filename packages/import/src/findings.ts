/**
 * What `osa-gitops import` reports besides the definition it writes. Each finding has a stable
 * code (documented in `docs/import.md`; `import/docs.spec.ts` fails when one is missing there), the
 * file and the path inside that file it concerns, what the input really does, and what the import
 * did about it. Codes are a public contract (`import --json`): never rename one, add new ones.
 *
 * Kinds:
 * - `trap`: OSA or the roles do something other than what the input looks like; the definition
 *   says what was meant, so deploying it changes behaviour (named in the message);
 * - `left-out`: the definition cannot express it; it was not imported (never dropped silently);
 * - `added`: the definition renders something the input did not have;
 * - `note`: how a value was read (a template resolved, a default taken).
 */
export type FindingKind = 'trap' | 'left-out' | 'added' | 'note';

export const IMPORT_FINDING_CODES = {
  // Traps: OSA reads the input differently from how it looks.
  IMPORT_USED_IPS_DASH_RANGE: ['trap', 'A used_ips entry `a-b`: OSA reserves nothing for it.'],
  IMPORT_USED_IPS_CIDR: ['trap', 'A used_ips entry written as a CIDR: OSA reserves nothing for it.'],
  IMPORT_USED_IPS_SPACE: ['trap', 'A used_ips range `a, b` with a space: OSA crashes on it.'],
  IMPORT_PROVIDER_NETWORK_BESIDE: [
    'trap',
    'Provider-network keys beside `network:` instead of under it: OSA skips the network.',
  ],
  IMPORT_MAC_MULTICAST: ['trap', 'A bond member MAC has the multicast bit set: no NIC has it.'],
  IMPORT_MAC_SHARED: [
    'trap',
    "One set of bond member MACs is applied to several hosts (a global variable): only one host's NICs can have them.",
  ],
  IMPORT_MII_MONITOR_SECONDS: ['trap', '`MIIMonitorSec` without a unit: systemd reads it as seconds.'],
  IMPORT_HAPROXY_METAL: [
    'trap',
    'No env.d override makes haproxy_container non-metal: OSA runs HAProxy on the hosts.',
  ],
  IMPORT_ETH0_DEFAULT_ROUTE: [
    'trap',
    "The haproxy containers' eth0 keeps its DHCP default route (no `dhcp_use_routes: false`).",
  ],
  IMPORT_CONFD_REPLACES: [
    'trap',
    'A conf.d file sets a list or value that openstack_user_config.yml also sets: OSA replaces it, it does not append.',
  ],
  IMPORT_CONFD_ORDER: [
    'trap',
    'Two conf.d files set the same list or value: which one OSA keeps depends on directory order.',
  ],
  IMPORT_VIP_MISMATCH: ['trap', 'The keepalived VIP and the `*_lb_vip_address` of the same side differ.'],
  IMPORT_BIND_CONTAINER_ADDRESS: [
    'trap',
    "HAProxy binds each container's own address: nothing listens on the VIP once keepalived adds it.",
  ],
  IMPORT_VARIABLE_SHADOWED: [
    'trap',
    'A variable is set in several places; Ansible uses only the one with the highest precedence.',
  ],
  IMPORT_NETWORKD_DANGLING: [
    'trap',
    'A networkd item names a VLAN, bond or bridge that the host does not define.',
  ],
  IMPORT_NETWORKD_SKIPPED: [
    'trap',
    'A host has networkd devices but no networks (or the reverse): openstack_hosts skips networkd there.',
  ],

  // Left out: the definition cannot express it.
  IMPORT_LEFT_OUT: ['left-out', 'A setting the definition cannot express was not imported.'],
  IMPORT_HOSTS_DIFFER: [
    'left-out',
    "A host's networkd setup differs from the site-wide one the definition models.",
  ],
  IMPORT_JINJA_UNRESOLVED: [
    'left-out',
    'A Jinja template import does not recognise: not evaluated, not imported.',
  ],

  // Added: the definition renders what the input did not have.
  IMPORT_ADDED: ['added', 'The rendered tree has a setting the input did not have.'],

  // Notes.
  IMPORT_JINJA_RESOLVED: ['note', 'A Jinja template of a known pattern was read as plain data.'],
  IMPORT_NETWORKD_FILENAMES: [
    'note',
    "The networkd file names the hosts already have (the definition's renders differ from them).",
  ],
  IMPORT_DEFAULT_TAKEN: ['note', 'A value the input does not set was taken from OSA’s default.'],
  IMPORT_SUPERSEDED: [
    'note',
    'A file or key the rendered tree now owns: clean it up in the config dir when the site is first deployed.',
  ],
} as const satisfies Record<string, readonly [FindingKind, string]>;

export type ImportFindingCode = keyof typeof IMPORT_FINDING_CODES;

export interface ImportFinding {
  readonly code: ImportFindingCode;
  readonly kind: FindingKind;
  /** The file in the config dir, relative to it (e.g. `user_variables.yml`). */
  readonly file: string;
  /** Path inside that file's YAML, e.g. `['global_overrides', 'provider_networks', 3]`. */
  readonly path: readonly (string | number)[];
  /** What the input does (and why it matters). */
  readonly message: string;
  /** What the import did about it. */
  readonly action: string;
}

export function finding(
  code: ImportFindingCode,
  file: string,
  path: readonly (string | number)[],
  message: string,
  action: string,
): ImportFinding {
  return { code, kind: IMPORT_FINDING_CODES[code][0], file, path, message, action };
}

/** Thrown for input that is not an OSA config dir the import can read; nothing is written then. */
export class ImportInputError extends Error {
  readonly file: string | undefined;
  constructor(message: string, file?: string) {
    super(file === undefined ? message : `${file}: ${message}`);
    this.name = 'ImportInputError';
    this.file = file;
  }
}

/** `global_overrides.provider_networks[3]` style, for people. */
export function formatSourcePath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(file)';
}

/** Stable order: file, path, code, message. */
export function sortFindings(findings: readonly ImportFinding[]): ImportFinding[] {
  const key = (f: ImportFinding) =>
    `${f.file}\u0000${formatSourcePath(f.path)}\u0000${f.code}\u0000${f.message}`;
  return [...findings].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
