import * as ipaddr from 'ipaddr.js';

/**
 * IPv4 for all of core: validation, render, import and verify read addresses and CIDRs through
 * this one module, so they agree on what a valid value is. Addresses are unsigned 32-bit numbers
 * so range math is plain arithmetic; masks, network and broadcast addresses come from ipaddr.js.
 *
 * Parsing is deliberately narrow: OSA feeds these strings to `netaddr`, and the renderer writes
 * them into YAML, so only the canonical dotted quad is accepted. ipaddr.js's `parse` alone is
 * lenient (octal `010`, hex, short forms); its `isValidFourPartDecimal` form is the strict one,
 * and the IPv4 class never accepts IPv6 or IPv4-mapped IPv6 (`::ffff:1.2.3.4`).
 *
 * A CIDR with host bits set (`10.0.0.5/24`) is not a network: `parseCidr` says so and names the
 * network that was probably meant. Nothing masks the host bits away silently.
 */

/** An inclusive range of addresses. */
export interface Ipv4Range {
  readonly first: number;
  readonly last: number;
}

/** A network: `first` is its network address, `last` its broadcast address. */
export interface Cidr extends Ipv4Range {
  /** The text as written. */
  readonly text: string;
  readonly prefix: number;
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
// Prefix lengths 0–32 written without leading zeros, so `/024` and `/+24` are rejected.
const PREFIX = /^(?:[0-9]|[12][0-9]|3[0-2])$/;

/** `203.0.113.129` → 3405803905; undefined for anything but a canonical dotted quad. */
export function parseAddress(text: string): number | undefined {
  if (!DOTTED_QUAD.test(text)) return undefined;
  // The regex admits only four decimal octets 0–255: reading them is plain arithmetic (what
  // ipaddr.js's parse did here cost a tenth of validation at fleet scale; the spec compares both).
  const dot1 = text.indexOf('.');
  const dot2 = text.indexOf('.', dot1 + 1);
  const dot3 = text.indexOf('.', dot2 + 1);
  return (
    Number(text.slice(0, dot1)) * 16777216 +
    Number(text.slice(dot1 + 1, dot2)) * 65536 +
    Number(text.slice(dot2 + 1, dot3)) * 256 +
    Number(text.slice(dot3 + 1))
  );
}

export function formatAddress(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** `203.0.113.128/28` → its range; host bits set (`.130/28`) are an error naming the network. */
export function parseCidr(text: string): CidrResult {
  // Every rule reads the site's few CIDRs again: a pure function of `text` with a frozen result,
  // kept (bounded) so each is parsed once.
  let known = cidrs.get(text);
  if (known === undefined) {
    known = Object.freeze(parseCidrOnce(text));
    if (cidrs.size >= 10_000) cidrs.clear();
    cidrs.set(text, known);
  }
  return known;
}

const cidrs = new Map<string, CidrResult>();

function parseCidrOnce(text: string): CidrResult {
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'invalid' };
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!DOTTED_QUAD.test(address) || !PREFIX.test(prefixText)) return { ok: false, reason: 'invalid' };
  const prefix = Number(prefixText);
  const network = ipaddr.IPv4.networkAddressFromCIDR(text);
  if (network.toString() !== address) {
    return { ok: false, reason: 'host-bits', network: `${network.toString()}/${prefix}` };
  }
  const first = toNumber(network);
  const last = toNumber(ipaddr.IPv4.broadcastAddressFromCIDR(text));
  return { ok: true, cidr: Object.freeze({ text, prefix, first, last, size: last - first + 1 }) };
}

export function contains(range: Ipv4Range, address: number): boolean {
  return range.first <= address && address <= range.last;
}

/** The network or broadcast address: inside the CIDR, but never usable by a host. */
export function isNetworkOrBroadcast(cidr: Cidr, address: number): boolean {
  return address === cidr.first || address === cidr.last;
}

/** `/22` → `255.255.252.0`, the form systemd_networkd's `netmask` takes (docs/osa-facts.md#systemd-networkd). */
export function netmaskOf(cidr: Cidr): string {
  return ipaddr.IPv4.subnetMaskFromPrefixLength(cidr.prefix).toString();
}

/**
 * For code that only runs on validated definitions (render, verify): a value that does not parse
 * is a programming error, so it throws instead of returning undefined.
 */
export function requireAddress(text: string): number {
  const n = parseAddress(text);
  if (n === undefined) {
    throw new Error(`needs a validated environment: ${JSON.stringify(text)} is not an IPv4 address`);
  }
  return n;
}

/** As `requireAddress`, for a network: an invalid CIDR or one with host bits set throws. */
export function requireCidr(text: string): Cidr {
  const r = parseCidr(text);
  if (!r.ok) {
    throw new Error(
      `needs a validated environment: ${JSON.stringify(text)} is not an IPv4 network` +
        (r.reason === 'host-bits' ? ` (host bits set; the network is ${r.network})` : ''),
    );
  }
  return r.cidr;
}

function toNumber(address: ipaddr.IPv4): number {
  const [a, b, c, d] = address.octets as [number, number, number, number];
  return a * 0x1000000 + b * 0x10000 + c * 0x100 + d;
}
