/**
 * Reading OSA's inventory state (`openstack_inventory.json`), never writing it.
 *
 * Brownfield caveat (docs/osa-facts.md#brownfield, VERIFIED there): an inventory generated while haproxy was
 * on metal keeps those metal hosts in the `haproxy` group after the env.d override moves haproxy
 * into containers. Metal entries are recognised by `properties.is_metal: true` or by being their
 * own physical host.
 */
export function findMetalHaproxyHosts(json: string): string[] | undefined {
  const inv = parseInventory(json);
  if (inv === undefined) return undefined;
  const hostvars = ((inv._meta as { hostvars?: unknown } | undefined)?.hostvars ?? {}) as Record<
    string,
    { properties?: { is_metal?: unknown }; physical_host?: unknown } | undefined
  >;
  const metal = new Set<string>();
  const seen = new Set<string>();
  const visit = (group: string): void => {
    if (seen.has(group)) return;
    seen.add(group);
    const entry = inv[group] as { hosts?: unknown; children?: unknown } | undefined;
    for (const host of Array.isArray(entry?.hosts) ? entry.hosts : []) {
      if (typeof host !== 'string') continue;
      const vars = hostvars[host];
      if (vars?.properties?.is_metal === true || vars?.physical_host === host) metal.add(host);
    }
    for (const child of Array.isArray(entry?.children) ? entry.children : []) {
      if (typeof child === 'string') visit(child);
    }
  };
  visit('haproxy');
  return [...metal].sort();
}

/**
 * Which of `groups` have members in OSA's inventory (hosts of the group or of its children, as
 * Ansible reads the generated JSON). The frontends stage runs the playbooks of these groups too:
 * the inventory also holds hosts of `conf.d/` files this tool does not render. Unreadable JSON
 * gives none.
 */
export function populatedInventoryGroups(json: string, groups: Iterable<string>): string[] {
  const inv = parseInventory(json);
  if (inv === undefined) return [];
  const memo = new Map<string, boolean>();
  const populated = (group: string, path: Set<string>): boolean => {
    const known = memo.get(group);
    if (known !== undefined) return known;
    if (path.has(group)) return false;
    path.add(group);
    const entry = inv[group] as { hosts?: unknown; children?: unknown } | undefined;
    const hosts = Array.isArray(entry?.hosts) ? entry.hosts : [];
    const children = Array.isArray(entry?.children) ? entry.children : [];
    const result =
      hosts.some((h) => typeof h === 'string') ||
      children.some((c) => typeof c === 'string' && populated(c, path));
    path.delete(group);
    memo.set(group, result);
    return result;
  };
  return [...new Set(groups)].filter((g) => populated(g, new Set())).sort();
}

/** The inventory as a JSON object, or undefined when it is not one. */
function parseInventory(json: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
