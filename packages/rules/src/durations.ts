import type { SiteContext } from './context';
import { quote } from './context';

/**
 * The bond's MII monitor interval as the kernel gets it (docs/osa-facts.md#numeric-ranges):
 * systemd-networkd sends `MIIMonitorSec=` in whole milliseconds (the microseconds it parsed,
 * divided by 1000), so a value under 1 ms arrives as 0, and 0 turns MII link monitoring off; the
 * bonding driver takes at most 2^31 − 1 ms. A span without a unit, or not a span at all, is
 * DURATION_UNIT_MISSING (vlan-mac.ts) and not read here.
 */
const MIN_MS = 1;
const MAX_MS = 2 ** 31 - 1;

/** Microseconds per unit of systemd.time(7), as systemd spells them. */
const UNIT_USEC: ReadonlyMap<string, number> = new Map(
  (
    [
      [['usec', 'us', 'µs'], 1],
      [['msec', 'ms'], 1e3],
      [['seconds', 'second', 'sec', 's'], 1e6],
      [['minutes', 'minute', 'min', 'm'], 60e6],
      [['hours', 'hour', 'hr', 'h'], 3600e6],
      [['days', 'day', 'd'], 86400e6],
      [['weeks', 'week', 'w'], 604800e6],
    ] as const
  ).flatMap(([names, usec]) => names.map((n) => [n, usec] as const)),
);
const PART = /(\d+(?:\.\d+)?)\s*([a-zµ]+)\s*/gy;

/** A systemd time span with a unit on every number, in microseconds; undefined for anything else. */
export function timeSpanUsec(text: string): number | undefined {
  PART.lastIndex = 0;
  let usec = 0;
  let parts = 0;
  while (PART.lastIndex < text.length) {
    const m = PART.exec(text);
    const unit = m === null ? undefined : UNIT_USEC.get(m[2]!);
    if (m === null || unit === undefined) return undefined;
    usec += Number(m[1]) * unit;
    parts++;
  }
  return parts > 0 ? usec : undefined;
}

export function checkDurations(ctx: SiteContext): void {
  const bond = ctx.env.hostNetworking.bond;
  if (bond === undefined) return;
  const usec = timeSpanUsec(bond.miiMonitor.trim());
  if (usec === undefined) return;
  const ms = Math.floor(usec / 1000);
  if (ms >= MIN_MS && ms <= MAX_MS) return;
  ctx.report(
    'DURATION_RANGE',
    ['hostNetworking', 'bond', 'miiMonitor'],
    ms < MIN_MS
      ? `${quote(bond.miiMonitor)} is under 1 ms; expected 1ms or more, because systemd-networkd sends the MII monitor interval in whole milliseconds and 0 turns link monitoring off (a dead member would keep getting traffic)`
      : `${quote(bond.miiMonitor)} is over 2^31 − 1 ms; expected at most ${MAX_MS}ms (about 24.8 days), the most the kernel's bonding driver takes`,
  );
}
