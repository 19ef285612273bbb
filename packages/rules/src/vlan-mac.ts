import { MAC_ADDRESS } from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';

/**
 * Rule 9: what ends up in the host's systemd-networkd files (docs/osa-facts.md#systemd-networkd, #mac-addresses, #time-spans):
 * the bond members' MACs (each member's `.network` matches its NIC by name and
 * `PermanentMACAddress=`, docs/adr/0011), and the bond's MII monitor interval. VLAN ids are
 * bounded by the model itself (core's bounds.ts, VLAN_ID_RANGE from the shape check).
 */

/** A systemd time span with units (systemd.time(7)): `100ms`, `1s`, `2min`, `1min 30s`. */
const TIME_SPAN =
  /^(?:\d+(?:\.\d+)?\s*(?:usec|us|µs|msec|ms|seconds|second|sec|s|minutes|minute|min|m|hours|hour|hr|h|days|day|d|weeks|week|w)\s*)+$/;
const BARE_NUMBER = /^\d+(?:\.\d+)?$/;

export function checkVlanAndMacs(ctx: SiteContext): void {
  const { env } = ctx;

  const seen = new Map<string, string>();
  for (const [host, h] of Object.entries(env.hosts)) {
    for (const [nic, mac] of Object.entries(h.bondMembers ?? {})) {
      const path = ['hosts', host, 'bondMembers', nic];
      if (!MAC_ADDRESS.test(mac) || /^(?:00:){5}00$/.test(mac)) {
        ctx.report(
          'MAC_INVALID',
          path,
          `${quote(mac)} is not a MAC address; expected six colon-separated hex octets such as 02:25:83:e1:77:c8`,
        );
        continue;
      }
      const normal = mac.toLowerCase();
      if ((parseInt(normal.slice(0, 2), 16) & 1) === 1) {
        ctx.report(
          'MAC_MULTICAST',
          path,
          `${mac} has the multicast bit set (lowest bit of the first octet), so no NIC has it; expected a unicast MAC. The OSA guide's example df:25:83:e1:77:c8 has this bit set (docs/osa-facts.md#mac-addresses)`,
        );
      }
      const owner = seen.get(normal);
      if (owner !== undefined) {
        ctx.report(
          'MAC_DUPLICATE',
          path,
          `${mac} is already the MAC of ${owner}; expected each NIC's own MAC`,
        );
      } else {
        seen.set(normal, `${host} ${nic}`);
      }
    }
  }

  const bond = env.hostNetworking.bond;
  if (bond !== undefined && !TIME_SPAN.test(bond.miiMonitor)) {
    const bare = BARE_NUMBER.test(bond.miiMonitor);
    ctx.report(
      'DURATION_UNIT_MISSING',
      ['hostNetworking', 'bond', 'miiMonitor'],
      bare
        ? `${quote(bond.miiMonitor)} has no unit, and systemd reads a bare number as seconds; expected a unit such as 100ms. The OSA guide's MIIMonitorSec: 100 is 100 seconds (docs/osa-facts.md#time-spans)`
        : `${quote(bond.miiMonitor)} is not a systemd time span; expected a number with a unit such as 100ms, 1s or 2min`,
    );
  }
}
