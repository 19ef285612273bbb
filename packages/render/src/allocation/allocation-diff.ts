import { addressInCidr, type AddressNetwork } from './address-networks';
import type { InventoryHost, InventoryInterface, InventoryView } from './osa-inventory';

/**
 * What OpenStack-Ansible's inventory generator will do on a site: the difference between the
 * inventory the deploy host has now and the one the generator produces from the synced tree.
 * Plain data; `format-allocation.ts` renders it.
 */
export interface AllocationPreview {
  readonly site: string;
  /** Containers (non-metal hosts) the generator adds, with every address it gave them. */
  readonly containersAdded: readonly InventoryHost[];
  /** Containers the new inventory no longer has. */
  readonly containersRemoved: readonly InventoryHost[];
  /** Containers in both whose addresses or interfaces differ. */
  readonly containersChanged: readonly ContainerChange[];
  /** Metal hosts added to or gone from the inventory. */
  readonly metalAdded: readonly string[];
  readonly metalRemoved: readonly string[];
  /** Groups whose direct members changed. */
  readonly groupsChanged: readonly GroupChange[];
  /**
   * Addresses the new inventory keeps outside their network's CIDR. OSA never re-addresses a
   * container that already has an entry for a network (`generate.py` `_add_additional_networks`
   * updates only interface, bridge, type and MTU), so moving a network leaves every existing
   * container on its old address: the preview says so instead of showing "no change".
   */
  readonly staleAddresses: readonly StaleAddress[];
  /**
   * True when the comparison started from no inventory at all (a site OSA never ran on): every
   * container is new and every address is drawn at random on the real run.
   */
  readonly fromEmpty: boolean;
}

export interface ContainerChange {
  readonly name: string;
  readonly physicalHost: string | null;
  readonly before: readonly InventoryInterface[];
  readonly after: readonly InventoryInterface[];
}

export interface StaleAddress {
  readonly container: string;
  readonly key: string;
  readonly interface: string | null;
  readonly address: string;
  readonly network: string;
  readonly cidr: string;
}

export interface GroupChange {
  readonly group: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export interface PreviewAllocationOptions {
  readonly site: string;
  readonly before: InventoryView;
  readonly after: InventoryView;
  readonly fromEmpty?: boolean;
  /** `container_networks` key → network (addressNetworksFromUserConfig of the tree's user config). */
  readonly networks?: ReadonlyMap<string, AddressNetwork>;
}

/** Compare two inventories. Output is sorted by name, so equal inputs give equal previews. */
export function previewAllocation(opts: PreviewAllocationOptions): AllocationPreview {
  const { before, after } = opts;
  const containersAdded: InventoryHost[] = [];
  const containersRemoved: InventoryHost[] = [];
  const containersChanged: ContainerChange[] = [];
  const metalAdded: string[] = [];
  const metalRemoved: string[] = [];

  for (const [name, host] of after.hosts) {
    const old = before.hosts.get(name);
    if (!old) {
      if (host.isMetal) metalAdded.push(name);
      else containersAdded.push(host);
    } else if (!host.isMetal && !sameInterfaces(old.interfaces, host.interfaces)) {
      containersChanged.push({
        name,
        physicalHost: host.physicalHost,
        before: old.interfaces,
        after: host.interfaces,
      });
    }
  }
  for (const [name, host] of before.hosts) {
    if (after.hosts.has(name)) continue;
    if (host.isMetal) metalRemoved.push(name);
    else containersRemoved.push(host);
  }

  const groupsChanged: GroupChange[] = [];
  const groupNames = [...new Set([...before.groups.keys(), ...after.groups.keys()])].sort();
  for (const group of groupNames) {
    const was = new Set(before.groups.get(group) ?? []);
    const now = new Set(after.groups.get(group) ?? []);
    const added = [...now].filter((h) => !was.has(h)).sort();
    const removed = [...was].filter((h) => !now.has(h)).sort();
    if (added.length > 0 || removed.length > 0) groupsChanged.push({ group, added, removed });
  }

  const staleAddresses: StaleAddress[] = [];
  for (const host of after.hosts.values()) {
    if (host.isMetal) continue;
    for (const i of host.interfaces) {
      const net = opts.networks?.get(i.key);
      if (net && i.address && !addressInCidr(i.address, net.cidr)) {
        staleAddresses.push({
          container: host.name,
          key: i.key,
          interface: i.interface,
          address: i.address,
          ...net,
        });
      }
    }
  }

  return {
    site: opts.site,
    containersAdded,
    containersRemoved,
    containersChanged,
    metalAdded,
    metalRemoved,
    groupsChanged,
    staleAddresses,
    fromEmpty: opts.fromEmpty ?? before.hosts.size === 0,
  };
}

/** Nothing the generator would add, remove or re-address. */
export function allocationUnchanged(p: AllocationPreview): boolean {
  return (
    p.containersAdded.length === 0 &&
    p.containersRemoved.length === 0 &&
    p.containersChanged.length === 0 &&
    p.metalAdded.length === 0 &&
    p.metalRemoved.length === 0 &&
    p.groupsChanged.length === 0 &&
    p.staleAddresses.length === 0
  );
}

function sameInterfaces(a: readonly InventoryInterface[], b: readonly InventoryInterface[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    return x.key === y.key && x.interface === y.interface && x.address === y.address && x.bridge === y.bridge;
  });
}
