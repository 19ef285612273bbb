/**
 * Minimal IPv4 arithmetic for render (addresses as unsigned 32-bit numbers). Render only runs on
 * validated definitions, so a malformed value here is a programming error and throws.
 */

const QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** `203.0.113.129` → 3405803905; throws on anything but a plain dotted quad. */
export function parseIpv4(text: string): number {
  const m = QUAD.exec(text);
  const octets = m ? m.slice(1).map(Number) : [];
  if (octets.length !== 4 || octets.some((o) => o > 255)) {
    throw new Error(`render needs a validated environment: ${JSON.stringify(text)} is not an IPv4 address`);
  }
  return ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface Ipv4Range {
  readonly first: number;
  readonly last: number;
}

/** `203.0.113.128/28` → its first (network) and last (broadcast) address. */
export function parseCidr(text: string): Ipv4Range {
  const [addr, prefixText, ...rest] = text.split('/');
  const prefix = Number(prefixText);
  if (rest.length > 0 || !/^\d{1,2}$/.test(prefixText ?? '') || prefix > 32) {
    throw new Error(`render needs a validated environment: ${JSON.stringify(text)} is not an IPv4 CIDR`);
  }
  const size = 2 ** (32 - prefix);
  const first = parseIpv4(addr!) - (parseIpv4(addr!) % size);
  return { first, last: first + size - 1 };
}

/** `10.30.0.0/22` → `255.255.252.0`, the form systemd_networkd's `netmask` takes (docs/osa-facts.md#systemd-networkd). */
export function netmaskOf(cidr: string): string {
  const { first, last } = parseCidr(cidr);
  return formatIpv4((0xffffffff - (last - first)) >>> 0);
}
