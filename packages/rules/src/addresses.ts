import type { SiteContext } from './context';
import { compareText, quote } from './context';
import { addressFields } from './address-fields';
import { ipv4 } from '@osa-gitops/core';
const { parseAddress, parseCidr } = ipv4;
type Cidr = ipv4.Cidr;

/**
 * Rule 2: every address and CIDR is canonical IPv4, networks are real networks (no host bits,
 * room for hosts) and the networks of one site do not overlap. OSA hands `cidr_networks` to
 * netaddr, which accepts host bits and tiny networks without complaint (docs/osa-facts.md#cidr-networks).
 */
export function checkAddresses(ctx: SiteContext): void {
  checkNetworks(ctx);
  for (const field of addressFields(ctx.env)) {
    if (parseAddress(field.text) === undefined) {
      ctx.report('ADDRESS_INVALID', field.path, expectedAddress(field.text));
    }
  }
  ctx.env.providerNetworks.forEach((net, i) => {
    net.staticRoutes?.forEach((route, j) => {
      // Route destinations may be anything from 0.0.0.0/0 to a /32; only the form is checked.
      const parsed = parseCidr(route.cidr);
      const path = ['providerNetworks', i, 'staticRoutes', j, 'cidr'];
      if (!parsed.ok && parsed.reason === 'invalid')
        ctx.report('CIDR_INVALID', path, expectedCidr(route.cidr));
      if (!parsed.ok && parsed.reason === 'host-bits') {
        ctx.report('CIDR_HOST_BITS', path, hostBits(route.cidr, parsed.network));
      }
    });
  });
}

function checkNetworks(ctx: SiteContext): void {
  const valid: { name: string; cidr: Cidr }[] = [];
  for (const [name, text] of Object.entries(ctx.env.networks)) {
    const path = ['networks', name];
    const parsed = parseCidr(text);
    if (!parsed.ok) {
      if (parsed.reason === 'host-bits') ctx.report('CIDR_HOST_BITS', path, hostBits(text, parsed.network));
      else ctx.report('CIDR_INVALID', path, expectedCidr(text));
      continue;
    }
    const { prefix } = parsed.cidr;
    if (prefix === 0 || prefix >= 31) {
      ctx.report(
        'CIDR_TOO_SMALL',
        path,
        `${quote(text)} is a /${prefix}; expected a prefix between /1 and /30: OSA excludes the network and broadcast addresses, so a /31 or /32 has no address to hand out, and /0 is every address`,
      );
      continue;
    }
    valid.push({ name, cidr: parsed.cidr });
  }
  // Sort by first address and sweep, keeping the network that reaches furthest: O(n log n).
  valid.sort((a, b) => a.cidr.first - b.cidr.first || compareText(a.name, b.name));
  let reach: { name: string; cidr: Cidr } | undefined;
  for (const cur of valid) {
    if (reach !== undefined && cur.cidr.first <= reach.cidr.last) {
      ctx.report(
        'NETWORK_OVERLAP',
        ['networks', cur.name],
        `${cur.cidr.text} overlaps network ${quote(reach.name)} (${reach.cidr.text}); expected disjoint networks, or OSA hands one address to two containers`,
      );
    }
    if (reach === undefined || cur.cidr.last > reach.cidr.last) reach = cur;
  }
}

export function expectedAddress(text: string): string {
  return `${quote(text)} is not an IPv4 address; expected a dotted quad such as 203.0.113.10 (no leading zeros, no IPv6, no prefix)`;
}

function expectedCidr(text: string): string {
  return `${quote(text)} is not an IPv4 CIDR; expected a network such as 203.0.113.128/28 (no leading zeros, no IPv6)`;
}

function hostBits(text: string, network: string): string {
  return `${quote(text)} has host bits set; expected the network address ${network}`;
}
