import * as ipaddr from 'ipaddr.js';

/**
 * Strict IPv4 helpers for validation. Addresses are unsigned 32-bit numbers so range math is
 * plain arithmetic. Parsing is deliberately narrow: OSA feeds these strings to `netaddr`, and the
 * renderer writes them into YAML, so only the canonical dotted quad is accepted. ipaddr.js's
 * `parse` alone is lenient (octal `010`, hex, short forms); its `isValidFourPartDecimal` form is
 * the strict one, and the IPv4 class never accepts IPv6 or IPv4-mapped IPv6 (`::ffff:1.2.3.4`).
 */

export interface Cidr {
  /** The text as written. */
  readonly text: string;
  readonly prefix: number;
  /** Network address. */
  readonly first: number;
  /** Broadcast address. */
  readonly last: number;
  /** 2^(32-prefix), as a number (up to 2^32, exact in a double). */
  readonly size: number;
}

export type CidrResult =
  | { readonly ok: true; readonly cidr: Cidr }
  | { readonly ok: false; readonly reason: 'invalid' }
  | { readonly ok: false; readonly reason: 'host-bits'; readonly network: string };

// 0–255 without leading zeros, four times: exactly ipaddr.js's `isValidFourPartDecimal` form (the
// spec cross-checks the two). The regex decides; ipaddr.js then reads the octets. Calling
// ipaddr.js's validators on every string is slow: they throw and catch internally on bad input.
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const DOTTED_QUAD = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** `203.0.113.129` → 3405803905; undefined for anything but a canonical dotted quad. */
export function parseAddress(text: string): number | undefined {
  if (!DOTTED_QUAD.test(text)) return undefined;
  const [a, b, c, d] = ipaddr.IPv4.parse(text).octets as [number, number, number, number];
  return a * 0x1000000 + b * 0x10000 + c * 0x100 + d;
}

export function formatAddress(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

// Prefix lengths 0–32 written without leading zeros, so `/024` and `/+24` are rejected.
const PREFIX = /^(?:[0-9]|[12][0-9]|3[0-2])$/;

/** `203.0.113.128/28` → its range; host bits set (`.130/28`) are an error naming the network. */
export function parseCidr(text: string): CidrResult {
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'invalid' };
  const prefixText = text.slice(slash + 1);
  const base = parseAddress(text.slice(0, slash));
  if (base === undefined || !PREFIX.test(prefixText)) return { ok: false, reason: 'invalid' };
  const prefix = Number(prefixText);
  const size = 2 ** (32 - prefix);
  const first = base - (base % size);
  if (first !== base) return { ok: false, reason: 'host-bits', network: `${formatAddress(first)}/${prefix}` };
  return { ok: true, cidr: { text, prefix, first, last: first + size - 1, size } };
}

export function contains(cidr: Cidr, address: number): boolean {
  return cidr.first <= address && address <= cidr.last;
}

/** The network or broadcast address: inside the CIDR, but never usable by a host. */
export function isNetworkOrBroadcast(cidr: Cidr, address: number): boolean {
  return address === cidr.first || address === cidr.last;
}
