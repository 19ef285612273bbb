import { z } from 'zod';

/**
 * The part of an OpenStack-Ansible inventory (`openstack_inventory.json`, or the generator's
 * `--list` output: the same document) that an allocation preview compares. The generator writes
 * every group at the top level as `{hosts: [...], children: [...]}` and each host's variables
 * under `_meta.hostvars` (openstack-ansible `osa_toolkit/generate.py` @ ff08037,
 * `_add_container_hosts` / `_add_additional_networks`). Read leniently: an inventory is OSA's
 * state, shaped by whatever release wrote it, so unknown keys are ignored and only the fields
 * below must have the expected types when present.
 */

/** One address OSA gave a host, from `container_networks.<key>`. */
export interface InventoryInterface {
  /** The `container_networks` key, e.g. `container_address`, `public_api_address`. */
  readonly key: string;
  /** The interface inside the container (`eth20`); absent on metal hosts. */
  readonly interface: string | null;
  readonly address: string | null;
  readonly bridge: string | null;
}

export interface InventoryHost {
  readonly name: string;
  /** `physical_host`: the metal host a container runs on (a metal host names itself). */
  readonly physicalHost: string | null;
  readonly isMetal: boolean;
  /** `component`, e.g. `haproxy`; null for a metal host. */
  readonly component: string | null;
  /** Sorted by key. */
  readonly interfaces: readonly InventoryInterface[];
}

export interface InventoryView {
  /** Every host with variables, by name. */
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  /** Each group's direct `hosts`, sorted. Groups that hold no host directly are left out. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
}

export type ReadInventoryResult =
  { readonly ok: true; readonly inventory: InventoryView } | { readonly ok: false; readonly error: string };

const NetworkEntry = z.looseObject({
  address: z.string().nullish(),
  interface: z.string().nullish(),
  bridge: z.string().nullish(),
});

const HostVars = z.looseObject({
  physical_host: z.string().nullish(),
  is_metal: z.boolean().nullish(),
  component: z.string().nullish(),
  properties: z.looseObject({ is_metal: z.boolean().nullish() }).nullish(),
  container_networks: z.record(z.string(), NetworkEntry).nullish(),
});

const Group = z.looseObject({ hosts: z.array(z.string()).nullish() });

const Inventory = z.looseObject({
  _meta: z.looseObject({ hostvars: z.record(z.string(), HostVars) }),
});

/** An empty inventory: what a site has before OSA's first run. */
export const EMPTY_INVENTORY: InventoryView = { hosts: new Map(), groups: new Map() };

/** Read an inventory document (already parsed from JSON). Never throws. */
export function readInventory(document: unknown): ReadInventoryResult {
  const parsed = Inventory.safeParse(document);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? first.path.map(String).join('.') || '(top level)' : '(top level)';
    return {
      ok: false,
      error: `not an OpenStack-Ansible inventory: ${where}: ${first?.message ?? 'unexpected shape'}`,
    };
  }
  const hosts = new Map<string, InventoryHost>();
  for (const name of Object.keys(parsed.data._meta.hostvars).sort()) {
    const vars = parsed.data._meta.hostvars[name]!;
    const isMetal = vars.is_metal ?? vars.properties?.is_metal ?? vars.physical_host === name;
    const interfaces = Object.entries(vars.container_networks ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, n]) => ({
        key,
        interface: n.interface ?? null,
        address: n.address ?? null,
        bridge: n.bridge ?? null,
      }));
    hosts.set(name, {
      name,
      physicalHost: vars.physical_host ?? null,
      isMetal,
      component: vars.component ?? null,
      interfaces,
    });
  }
  const groups = new Map<string, readonly string[]>();
  const doc = document as Record<string, unknown>;
  for (const name of Object.keys(doc).sort()) {
    if (name === '_meta' || name === 'all') continue;
    const group = Group.safeParse(doc[name]);
    if (!group.success) {
      return { ok: false, error: `not an OpenStack-Ansible inventory: group ${name} is not {hosts: [...]}` };
    }
    const members = [...new Set(group.data.hosts ?? [])].sort();
    if (members.length > 0) groups.set(name, members);
  }
  return { ok: true, inventory: { hosts, groups } };
}
