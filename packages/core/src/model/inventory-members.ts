import { HAPROXY_CONTAINER } from './derive';
import { normalizeGroup } from './osa-groups';
import { OSA_COMPONENT_SKEL, OSA_CONTAINER_SKEL, OSA_PHYSICAL_SKEL } from './osa-env-d';

/**
 * Which inventory members OSA's inventory generator builds for a site, and which groups hold
 * them: the part of openstack-ansible `osa_toolkit/generate.py` (ff08037) that provider networks'
 * `group_binds` are resolved against. `docs/host-bridges.md` walks through it with upstream
 * function names; `test/host-bridges.oracle.int.spec.ts` compares the result with the generator.
 *
 * - A physical host is a member of each of its `<x>_hosts` groups (`user_defined_setup`).
 * - For every container_skel S and each of its `belongs_to` groups `<x>_containers`, every host
 *   of `<x>_hosts` gets `affinity[S]` (default 1) containers of S (`_add_container_hosts`), one
 *   set per host however many of S's groups the host is in. A container is a member of S, of each
 *   component S `contains`, and of `<x>_all`.
 * - A metal S (`is_metal: true`; haproxy_container is not, the rendered env.d says so) builds no
 *   container: the host itself joins S's components and `<x>_all` (`_build_container_hosts`).
 * - The host joins `<x>_all` for every `<x>_containers` it is processed for, metal or not, even
 *   at affinity 0 (`_append_to_host_groups` appends every metal entry of the host).
 * - Group children come from env.d `belongs_to`: a component belongs to `<service>_all`, a
 *   container_skel to its `<x>_containers`, `<x>_containers` to `all_containers`, `<x>_hosts` to
 *   `hosts`. `all` holds only variables in the generated inventory, so binding it reaches nothing.
 */

/** A member of the inventory: a physical host (metal) or one container on it. */
export interface InventoryMember {
  /** Inventory name: the host name, or `<host>/<skel>` (`#n` from the 2nd) for a container. */
  readonly id: string;
  /** The physical host it runs on (OSA `physical_host`). */
  readonly host: string;
  /** The container_skel of a container; undefined for the host itself. */
  readonly skel?: string;
  /** For the host itself: the components of its metal container_skels, sorted. */
  readonly components: readonly string[];
}

export interface InventoryMembers {
  /** Every member, hosts first, in host order then container_skel order. */
  readonly members: readonly InventoryMember[];
  /** Members of a group, its children's included (OSA `_hosts_in_group`); [] for unknown groups. */
  membersOf(group: string): readonly InventoryMember[];
}

/** container_skels whose `is_metal` the rendered tree overrides (env.d/haproxy.yml). */
const RENDERED_IS_METAL: Readonly<Record<string, boolean>> = { [HAPROXY_CONTAINER]: false };

/** `<x>_containers` → `<x>_hosts` / `<x>_all`: OSA's regex on the last `_` (`_add_container_hosts`). */
function siblingGroup(containerGroup: string, suffix: string): string {
  return normalizeGroup(containerGroup.replace(/_[^_]*$/, `_${suffix}`));
}

/** The part of a site the generator builds members from: host names, groups and affinity. */
export interface InventoryHosts {
  readonly hosts: Readonly<
    Record<
      string,
      { readonly groups: readonly string[]; readonly affinity?: Readonly<Record<string, number>> }
    >
  >;
}

/** One `belongs_to` entry of a container_skel, with the groups it is resolved against. */
interface SkelBinding {
  readonly skel: string;
  readonly metal: boolean;
  readonly contains: readonly string[];
  readonly hostGroup: string;
  readonly allGroup: string;
}

/**
 * env.d facts that do not depend on the site, computed once: every container_skel's bindings
 * (sorted by skel, then `belongs_to` order) and, per `<x>_hosts` group, the skels it reaches. A
 * site's hosts are in a handful of groups, so `inventoryMembers` visits those skels only instead
 * of every skel × every host (it was most of validation's time at 1,000 sites, bench).
 */
let skelIndex:
  | { readonly bindings: readonly SkelBinding[]; readonly skelsByHostGroup: Map<string, Set<string>> }
  | undefined;

function skelBindings(): NonNullable<typeof skelIndex> {
  if (skelIndex !== undefined) return skelIndex;
  const bindings: SkelBinding[] = [];
  const skelsByHostGroup = new Map<string, Set<string>>();
  for (const skel of Object.keys(OSA_CONTAINER_SKEL).sort()) {
    const def = OSA_CONTAINER_SKEL[skel]!;
    const metal = RENDERED_IS_METAL[skel] ?? def.isMetal;
    for (const containerGroup of def.belongsTo) {
      const hostGroup = siblingGroup(containerGroup, 'hosts');
      bindings.push({
        skel,
        metal,
        contains: def.contains,
        hostGroup,
        allGroup: siblingGroup(containerGroup, 'all'),
      });
      const skels = skelsByHostGroup.get(hostGroup) ?? new Set<string>();
      skels.add(skel);
      skelsByHostGroup.set(hostGroup, skels);
    }
  }
  skelIndex = { bindings, skelsByHostGroup };
  return skelIndex;
}

export function inventoryMembers(env: InventoryHosts): InventoryMembers {
  const direct = new Map<string, InventoryMember[]>();
  const directSets = new Map<string, Set<InventoryMember>>();
  const add = (group: string, member: InventoryMember): void => {
    let set = directSets.get(group);
    if (set === undefined) {
      set = new Set();
      directSets.set(group, set);
      direct.set(group, []);
    }
    if (set.has(member)) return;
    set.add(member);
    direct.get(group)!.push(member);
  };

  const hostNames = Object.keys(env.hosts).sort();
  const groupsOf = new Map(hostNames.map((h) => [h, new Set(env.hosts[h]!.groups.map(normalizeGroup))]));
  const metalComponents = new Map<string, Set<string>>(hostNames.map((h) => [h, new Set<string>()]));
  const hostMember = new Map<string, InventoryMember>();
  const containers: InventoryMember[] = [];
  // Host members are built last (their component list is only known then): collect their groups.
  const hostGroups = new Map<string, Set<string>>(hostNames.map((h) => [h, new Set(groupsOf.get(h))]));

  // Only the skels some host's groups reach; visited in the same order as all of them would be.
  const { bindings, skelsByHostGroup } = skelBindings();
  const reached = new Set<string>();
  for (const groups of groupsOf.values())
    for (const g of groups) for (const skel of skelsByHostGroup.get(g) ?? []) reached.add(skel);
  const built = new Map<string, InventoryMember[]>(); // `${skel}\0${host}` → its containers
  // Hosts per group, in host order.
  const hostsIn = new Map<string, string[]>();
  for (const host of hostNames) {
    for (const g of groupsOf.get(host)!) {
      const list = hostsIn.get(g);
      if (list === undefined) hostsIn.set(g, [host]);
      else list.push(host);
    }
  }
  for (const { skel, metal, contains, hostGroup, allGroup } of bindings) {
    if (!reached.has(skel)) continue;
    for (const host of hostsIn.get(hostGroup) ?? []) {
      hostGroups.get(host)!.add(allGroup);
      const affinity = Math.max(0, env.hosts[host]!.affinity?.[skel] ?? 1);
      if (affinity === 0) continue;
      if (metal) {
        for (const c of contains) {
          metalComponents.get(host)!.add(c);
          hostGroups.get(host)!.add(c);
        }
        continue;
      }
      const key = `${skel}\0${host}`;
      let mine = built.get(key);
      if (mine === undefined) {
        mine = Array.from({ length: affinity }, (_, i) => ({
          id: `${host}/${skel}${i === 0 ? '' : `#${i + 1}`}`,
          host,
          skel,
          components: [],
        }));
        built.set(key, mine);
        containers.push(...mine);
        for (const m of mine) {
          add(skel, m);
          for (const c of contains) add(c, m);
        }
      }
      for (const m of mine) add(allGroup, m);
    }
  }

  for (const host of hostNames) {
    const member: InventoryMember = {
      id: host,
      host,
      components: [...metalComponents.get(host)!].sort(),
    };
    hostMember.set(host, member);
    for (const g of hostGroups.get(host)!) add(g, member);
  }

  // A group's members: its descendants' direct members, in the order OSA's `_hosts_in_group`
  // recursion meets them (children first, depth first, then the group's own), each once.
  const cache = new Map<string, InventoryMember[]>();
  const membersOf = (group: string): InventoryMember[] => {
    const g = normalizeGroup(group);
    let list = cache.get(g);
    if (list === undefined) {
      const out = new Set<InventoryMember>();
      for (const d of groupPostOrder(g)) for (const m of direct.get(d) ?? []) out.add(m);
      list = [...out];
      cache.set(g, list);
    }
    return list;
  };

  return {
    members: [...hostNames.map((h) => hostMember.get(h)!), ...containers],
    membersOf: (group) => membersOf(group),
  };
}

let groupChildrenOnce: Map<string, string[]> | undefined;
const postOrders = new Map<string, readonly string[]>();

/**
 * `group` and every group below it in the env.d tree (which does not depend on the site, so this
 * is computed once per group): children depth first, each before its parent, each once, a cycle
 * cut where it closes.
 */
function groupPostOrder(group: string): readonly string[] {
  const known = postOrders.get(group);
  if (known !== undefined) return known;
  const children = (groupChildrenOnce ??= groupChildren());
  const order: string[] = [];
  const seen = new Set<string>();
  const walk = (g: string): void => {
    if (seen.has(g)) return;
    seen.add(g);
    for (const child of children.get(g) ?? []) walk(child);
    order.push(g);
  };
  walk(group);
  postOrders.set(group, order);
  return order;
}

/** Parent → children, from every env.d `belongs_to` (`skel_load`, `container_skel_load`). */
function groupChildren(): Map<string, string[]> {
  const children = new Map<string, string[]>();
  const link = (child: string, parents: readonly string[]): void => {
    for (const p of parents) children.set(p, [...(children.get(p) ?? []), child]);
  };
  for (const [name, parents] of Object.entries(OSA_COMPONENT_SKEL)) link(name, parents);
  for (const [name, parents] of Object.entries(OSA_PHYSICAL_SKEL)) link(name, parents);
  for (const [name, def] of Object.entries(OSA_CONTAINER_SKEL)) link(name, def.belongsTo);
  return children;
}
