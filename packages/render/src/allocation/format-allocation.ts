import { escapeMarkdown, inlineCode } from '@osa-gitops/core';
import { allocationUnchanged, type AllocationPreview, type StaleAddress } from './allocation-diff';
import type { InventoryHost, InventoryInterface } from './osa-inventory';

/**
 * Why the addresses of new containers are a sample, said wherever a preview is shown: OSA's
 * generator shuffles each pool and names new containers with a random suffix
 * (openstack-ansible `osa_toolkit/ip.py` `random.shuffle`, `generate.py` `uuid.uuid4`,
 * @ ff08037), so the real run draws again. Existing containers keep what the inventory has.
 */
export const RANDOM_DRAW_NOTE =
  'New containers get their name suffix and addresses drawn at random when the real deploy runs ' +
  "OSA's generator; the preview shows one such draw from the same free pool. Containers already " +
  'in the inventory keep their names and addresses.';

/** One line per interface: `eth20 203.0.113.134 (public_api_address on br-public-api)`. */
function describeInterface(i: InventoryInterface): string {
  const where = [i.key, i.bridge && `on ${i.bridge}`].filter(Boolean).join(' ');
  return `${i.interface ?? '(host)'} ${i.address ?? '(no address)'} (${where})`;
}

function describeStale(a: StaleAddress): string {
  return (
    `${a.container} keeps ${a.interface ?? a.key} ${a.address}, outside ${a.network} ${a.cidr}: OSA does not re-address ` +
    `an existing container; remove it from the inventory (openstack-ansible's scripts/inventory-manage.py -r) and ` +
    `destroy it, so the next run creates it with an address in ${a.cidr}`
  );
}

function describeContainer(h: InventoryHost): string {
  return `${h.name}${h.physicalHost ? ` on ${h.physicalHost}` : ''}`;
}

export function formatAllocationText(p: AllocationPreview): string {
  const out = [`Allocation preview for ${p.site}${p.fromEmpty ? ' (no inventory yet: first run)' : ''}`];
  if (allocationUnchanged(p)) {
    out.push("  OSA's inventory would not change: no container added, removed or re-addressed.");
    return `${out.join('\n')}\n`;
  }
  for (const h of p.containersAdded) {
    out.push(`  + container ${describeContainer(h)}`);
    for (const i of h.interfaces) out.push(`      ${describeInterface(i)}`);
  }
  for (const h of p.containersRemoved) out.push(`  - container ${describeContainer(h)}`);
  for (const c of p.containersChanged) {
    out.push(`  ~ container ${c.name}${c.physicalHost ? ` on ${c.physicalHost}` : ''}`);
    for (const i of c.before) out.push(`      was ${describeInterface(i)}`);
    for (const i of c.after) out.push(`      now ${describeInterface(i)}`);
  }
  for (const h of p.metalAdded) out.push(`  + host ${h}`);
  for (const h of p.metalRemoved) out.push(`  - host ${h}`);
  for (const g of p.groupsChanged) {
    const parts = [...g.added.map((h) => `+${h}`), ...g.removed.map((h) => `-${h}`)];
    out.push(`  group ${g.group}: ${parts.join(' ')}`);
  }
  for (const a of p.staleAddresses) out.push(`  ! ${describeStale(a)}`);
  if (p.containersAdded.length > 0) out.push('', `  Note: ${RANDOM_DRAW_NOTE}`);
  return `${out.join('\n')}\n`;
}

export function formatAllocationMarkdown(p: AllocationPreview): string {
  const title = `#### Allocation preview: ${escapeMarkdown(p.site)}${p.fromEmpty ? ' (first run)' : ''}`;
  if (allocationUnchanged(p)) {
    return `${title}\n\nOSA's inventory would not change: no container added, removed or re-addressed.\n`;
  }
  const rows: string[] = [
    '| change | container or host | interface | address | network |',
    '|---|---|---|---|---|',
  ];
  const cell = (t: string | null) => (t ? inlineCode(t) : '–');
  for (const h of p.containersAdded) {
    if (h.interfaces.length === 0) rows.push(`| added | ${cell(describeContainer(h))} | – | – | – |`);
    for (const i of h.interfaces)
      rows.push(
        `| added | ${cell(describeContainer(h))} | ${cell(i.interface)} | ${cell(i.address)} | ${cell(i.key)} |`,
      );
  }
  for (const h of p.containersRemoved) rows.push(`| removed | ${cell(describeContainer(h))} | – | – | – |`);
  for (const c of p.containersChanged) {
    for (const i of c.after) {
      const old = c.before.find((b) => b.key === i.key);
      const address =
        old && old.address !== i.address ? `${old.address ?? '–'} → ${i.address ?? '–'}` : i.address;
      rows.push(`| changed | ${cell(c.name)} | ${cell(i.interface)} | ${cell(address)} | ${cell(i.key)} |`);
    }
    for (const i of c.before.filter((b) => !c.after.some((a) => a.key === b.key)))
      rows.push(
        `| changed | ${cell(c.name)} | ${cell(i.interface)} | ${cell(`${i.address ?? '–'} → none`)} | ${cell(i.key)} |`,
      );
  }
  for (const h of p.metalAdded) rows.push(`| host added | ${cell(h)} | – | – | – |`);
  for (const h of p.metalRemoved) rows.push(`| host removed | ${cell(h)} | – | – | – |`);
  const groups = p.groupsChanged.map((g) => {
    const parts = [...g.added.map((h) => `+${h}`), ...g.removed.map((h) => `-${h}`)];
    return `- ${inlineCode(g.group)}: ${parts.map(inlineCode).join(' ')}`;
  });
  const sections = rows.length > 2 ? [title, '', ...rows] : [title];
  if (p.staleAddresses.length > 0)
    sections.push(
      '',
      '**OSA keeps these addresses, outside their network now:**',
      '',
      ...p.staleAddresses.map((a) => `- ${escapeMarkdown(describeStale(a))}`),
    );
  if (groups.length > 0)
    sections.push('', '<details><summary>Groups changed</summary>', '', ...groups, '', '</details>');
  if (p.containersAdded.length > 0) sections.push('', `> ${RANDOM_DRAW_NOTE}`);
  return `${sections.join('\n')}\n`;
}

/** JSON for machines: the preview as data, with a schema version like the other reports. */
export function allocationToJson(p: AllocationPreview): Record<string, unknown> {
  return { schemaVersion: 1, ...p, unchanged: allocationUnchanged(p) };
}
