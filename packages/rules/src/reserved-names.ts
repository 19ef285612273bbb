import { HOST_NAME, OSA_CONTAINER_SKELS, OSA_GROUPS, OSA_HOST_GROUPS } from '@osa-gitops/core';
import type { SiteContext } from './context';

/**
 * Rule 10b, reserved host names (HOST_NAME_RESERVED): a host may not take a name Ansible or OSA
 * already gives to something else (issue 26).
 *
 * - Ansible's implicit `localhost`: an inventory host of that name replaces it, with its
 *   `ansible_host`, so every `delegate_to: localhost` task (the verify playbook's result files,
 *   any OSA task delegated to the deploy host) runs on that host instead (tried with ansible-core).
 * - Ansible's implicit groups `all` and `ungrouped`.
 * - Every group OSA's inventory generator makes from its env.d (physical, container and component
 *   groups and what they belong to, `hosts`, `all_containers`, `lxc_hosts`): OSA keeps a host and a
 *   group of one name (a host `haproxy` next to the group `haproxy`), and Ansible's `--limit
 *   haproxy`, `hosts: haproxy` and `groups['haproxy']` then name two different things.
 *
 * Only exact names: Ansible does not turn `-` into `_` in host names (a host `swift-proxy` is not
 * the group `swift_proxy`). Names that are no RFC 1123 label are HOST_NAME_INVALID (hosts.ts).
 * `render/test/reserved-names.oracle.int.spec.ts` checks that every group the real generator
 * writes, and every group of OSA's env.d, is in this list.
 */
const ANSIBLE_RESERVED: ReadonlyMap<string, string> = new Map([
  [
    'localhost',
    "Ansible's implicit local host: an inventory host named localhost takes every task delegated to localhost (delegate_to: localhost: the verify playbook's result files, OSA's delegated tasks) to its own address",
  ],
  ['all', "Ansible's implicit group of every host"],
  ['ungrouped', "Ansible's implicit group of the hosts in no other group"],
]);

/**
 * Groups OSA's generator makes besides those of env.d's tables: `lxc_hosts`, and `<x>_all` for
 * every physical host group `<x>_hosts` (generate.py's `_append_to_host_groups`). It also makes
 * `<host>_host_containers` per host, which no other host can be named (`_` is no host name).
 */
const OSA_GENERATED_GROUPS: ReadonlySet<string> = new Set([
  'lxc_hosts',
  'all_containers',
  'hosts',
  ...[...OSA_HOST_GROUPS].map((g) => g.replace(/_hosts$/, '_all')),
]);

/** Why `name` is reserved for a host, or undefined when it is free. */
export function reservedHostName(name: string): string | undefined {
  const ansible = ANSIBLE_RESERVED.get(name);
  if (ansible !== undefined) return ansible;
  if (
    OSA_GROUPS.has(name) ||
    OSA_HOST_GROUPS.has(name) ||
    OSA_CONTAINER_SKELS.has(name) ||
    OSA_GENERATED_GROUPS.has(name)
  ) {
    return `a group of OSA's inventory (env.d): a host and a group of one name make --limit ${name}, hosts: ${name} and groups['${name}'] ambiguous`;
  }
  return undefined;
}

export function checkReservedNames(ctx: SiteContext): void {
  for (const name of Object.keys(ctx.env.hosts)) {
    if (!HOST_NAME.test(name)) continue; // HOST_NAME_INVALID
    const why = reservedHostName(name);
    if (why === undefined) continue;
    ctx.report(
      'HOST_NAME_RESERVED',
      ['hosts', name],
      `host name ${name} is reserved: it is ${why}; expected another name (the machine's own, as DNS knows it)`,
    );
  }
}
