/**
 * Strict name patterns. Names become folders, branch names, Nx project names, YAML keys and
 * Linux interface names, and every string we emit reaches Ansible, which evaluates Jinja.
 * A strict allow-list here is the first door against `../`, `{{ }}` and YAML tricks.
 *
 * The zod schema only checks shapes; these patterns are applied by validation rules so that each
 * failure gets its own stable code and a message saying what was expected.
 */

/** Site name: kebab-case, short (folder, branch `osa-gitops/<site>`, Nx project `site-<site>`). */
export const SITE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const SITE_NAME_MAX = 32;

/** Host names as OSA and DNS accept them (RFC 1123 label, lowercase). */
export const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
/** OSA metal host name limit (docs/osa-facts.md#name-lengths). Container limit is checked by validation (52 - group - 1). */
export const HOST_NAME_MAX = 63;

/** `cidr_networks` keys / `ip_from_q` queue names: they become `<queue>_address` variable names. */
export const QUEUE_NAME = /^[a-z][a-z0-9_]*$/;

/** OSA inventory group names (`shared-infra_hosts`, `haproxy`, `all_containers`, ...). */
export const GROUP_NAME = /^[a-z][a-z0-9_-]*$/;

/**
 * Linux interface names: the kernel allows more, but we allow only what is safe in YAML, in
 * systemd unit file names and in shell-free argv. Length (15 bytes) is checked by validation so
 * the message can say which limit was crossed.
 */
export const INTERFACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const INTERFACE_NAME_MAX = 15;

/** MAC address, colon form, as systemd-networkd `MACAddress=` accepts. */
export const MAC_ADDRESS = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$/;

/**
 * RFC 1123 host name (haproxy.vips.externalName; import reads one back with the same rule): labels of
 * letters, digits and inner hyphens; not all-numeric at the end.
 */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.replace(/\.$/, '').split('.');
  if (!labels.every((l) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l))) return false;
  // An address such as 203.0.113.140 belongs in vips.external, not here.
  return !/^\d+$/.test(labels[labels.length - 1]!);
}
