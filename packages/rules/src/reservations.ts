import type { SiteContext } from './context';
import { quote } from './context';
import { type Interval, ipv4, own } from '@osa-gitops/core';
const { contains, formatAddress, parseAddress, parseCidr } = ipv4;

/**
 * Rule 5, second half: reserved entries. Operators write `a.b.c.d` or a friendly range
 * `a.b.c.d-e.f.g.h`; the renderer emits OSA's `first,last` form. OSA itself silently ignores
 * `a-b` and CIDRs in `used_ips` and crashes on `a, b` with a space (docs/osa-facts.md#used-ips),
 * so anything but the two accepted forms is refused here, before it can reach a deploy.
 */
export function checkReservations(ctx: SiteContext): void {
  for (const [name, entries] of Object.entries(ctx.env.reserved)) {
    const cidr = ctx.cidrs.get(name);
    if (own(ctx.env.networks, name) === undefined) {
      const known = Object.keys(ctx.env.networks).join(', ');
      ctx.report(
        'RESERVED_UNKNOWN_NETWORK',
        ['reserved', name],
        `addresses are reserved under ${quote(name)}, which is not a key of networks; expected one of: ${known}`,
      );
    }
    entries.forEach((entry, i) => {
      const path = ['reserved', name, i];
      const parsed = parseReserved(entry);
      if (!parsed.ok) {
        ctx.report('RESERVED_FORMAT', path, `${quote(entry)} ${parsed.problem}`);
        return;
      }
      const { first, last } = parsed.range;
      if (first > last) {
        ctx.report(
          'RESERVED_RANGE_ORDER',
          path,
          `range ${entry} ends before it starts; expected ${formatAddress(last)}-${formatAddress(first)}`,
        );
        return;
      }
      if (cidr !== undefined && !(contains(cidr, first) && contains(cidr, last))) {
        ctx.report(
          'RESERVED_OUTSIDE_NETWORK',
          path,
          `${entry} is not inside network ${quote(name)} (${cidr.text}); expected addresses of the network it is listed under`,
        );
      }
    });
  }
}

const FORMAT = 'expected an address `a.b.c.d` or a range `a.b.c.d-e.f.g.h`';

export type ReservedParse =
  { readonly ok: true; readonly range: Interval } | { readonly ok: false; readonly problem: string };

/** Parse one reserved entry; a range is returned as written (`first` may exceed `last`). */
export function parseReserved(entry: string): ReservedParse {
  if (/\s/.test(entry)) {
    return {
      ok: false,
      problem: `contains whitespace; ${FORMAT}. OSA crashes on spaces in used_ips (AddrFormatError, docs/osa-facts.md#used-ips)`,
    };
  }
  if (entry.includes('/')) {
    const hint = parseCidr(entry);
    const range = hint.ok ? `: write ${formatAddress(hint.cidr.first)}-${formatAddress(hint.cidr.last)}` : '';
    return {
      ok: false,
      problem: `is a CIDR; ${FORMAT}${range}. OSA silently ignores a CIDR in used_ips and reserves nothing (docs/osa-facts.md#used-ips)`,
    };
  }
  if (entry.includes(',')) {
    return {
      ok: false,
      problem: `uses OSA's comma form; ${FORMAT} (the renderer writes the comma form OSA reads, docs/osa-facts.md#used-ips)`,
    };
  }
  const parts = entry.split('-');
  const addresses = parts.map(parseAddress);
  if (parts.length > 2 || addresses.some((a) => a === undefined))
    return { ok: false, problem: `is malformed; ${FORMAT}` };
  const first = addresses[0]!;
  return { ok: true, range: { first, last: addresses[1] ?? first } };
}
