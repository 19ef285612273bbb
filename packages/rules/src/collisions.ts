import type { SiteContext } from './context';
import { addressFields, type AddressField } from './address-fields';
import { ipv4 } from '@osa-gitops/core';
const { parseAddress } = ipv4;

/**
 * Rule 5, first half: gateways, VIPs and host addresses are distinct. OSA does not notice when a
 * VIP equals a host or gateway address (docs/osa-facts.md#generator-errors: no error for a VIP missing from used_ips), and
 * ARP then decides who answers. Gateways may repeat among themselves (several routes through
 * one router); a host may repeat its own `ip` as `managementIp`; two hosts with one `ip` are
 * HOST_IP_DUPLICATE (hosts.ts).
 */
export function checkCollisions(ctx: SiteContext): void {
  // Per address, the first field and the first field of another owner: enough to find an
  // earlier field of a different owner in O(1), without all-pairs comparisons.
  const seen = new Map<number, { first: AddressField; other?: AddressField }>();
  for (const field of addressFields(ctx.env)) {
    const address = parseAddress(field.text);
    if (address === undefined) continue;
    const entry = seen.get(address);
    if (entry === undefined) {
      seen.set(address, { first: field });
      continue;
    }
    const clash = [entry.first, entry.other].find(
      (earlier) =>
        earlier !== undefined &&
        earlier.owner !== field.owner &&
        !(earlier.role === 'host-ip' && field.role === 'host-ip'),
    );
    if (clash !== undefined) {
      ctx.report(
        'ADDRESS_COLLISION',
        field.path,
        `${field.label} is ${field.text}, which is already ${clash.label}; expected distinct gateway, VIP and host addresses`,
      );
    }
    if (entry.other === undefined && entry.first.owner !== field.owner) entry.other = field;
  }
}
