import { GeneratorFailure } from '../../lib/generator-failure';

/**
 * A placeholder address slot for a new site: the smallest n in 1..254 such that no existing
 * network or VIP touches 10.n.0.0/16 (inside networks) or 198.18.n.0/24 (public, RFC 2544
 * benchmarking space, which no real site uses). A scaffold then passes the fleet checks
 * (overlap, duplicate VIP) on the first render, whatever the other sites use.
 */
export function pickAddressSlot(existing: readonly unknown[]): number {
  const taken: [number, number][] = [];
  for (const value of existing) {
    for (const text of addressesOf(value)) {
      const range = parseRange(text);
      if (range) taken.push(range);
    }
  }
  const free = (first: number, last: number): boolean => taken.every(([a, b]) => b < first || a > last);
  for (let n = 1; n <= 254; n++) {
    const inside = ip(10, n, 0, 0);
    const pub = ip(198, 18, n, 0);
    if (free(inside, inside + 0xffff) && free(pub, pub + 0xff)) return n;
  }
  throw new GeneratorFailure(
    'No free placeholder slot (10.n.0.0/16 and 198.18.n.0/24 are all used); write the site by hand.',
  );
}

/** Networks and VIPs of a loaded (not yet validated) definition; anything unexpected is skipped. */
function addressesOf(value: unknown): string[] {
  const out: string[] = [];
  const networks = (value as { networks?: unknown } | null)?.networks;
  if (networks && typeof networks === 'object') out.push(...Object.values(networks).filter(isString));
  const vips = (value as { haproxy?: { vips?: unknown } } | null)?.haproxy?.vips;
  if (vips && typeof vips === 'object') out.push(...Object.values(vips).filter(isString));
  return out;
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

/** `a.b.c.d` or `a.b.c.d/p` as an inclusive numeric range. */
function parseRange(text: string): [number, number] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const addr = ip(octets[0]!, octets[1]!, octets[2]!, octets[3]!);
  const size = 2 ** (32 - prefix);
  const first = addr - (addr % size);
  return [first, first + size - 1];
}

function ip(a: number, b: number, c: number, d: number): number {
  return ((a * 256 + b) * 256 + c) * 256 + d;
}
