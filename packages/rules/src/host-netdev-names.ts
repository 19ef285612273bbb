import { formatPath, type HostNetdev, hostNetdevs } from '@osa-gitops/core';
import type { SiteContext } from './context';
import { compareText, quote } from './context';

/**
 * Every netdev name a host's host_vars write (the bond, its members, each VLAN interface and
 * bridge, the public ones on haproxy hosts, see model/host-netdevs.ts) is unique on that host.
 * Two netdevs of one name cannot both exist: systemd-networkd creates the one from the first
 * `.netdev` of that name and applies only the first `.network` that matches an interface
 * (systemd.network(5), "[Match] Section Options"), so the second one is silently not built, and a
 * bond member named like the bond or a VLAN is enslaved to nothing. Name syntax (15 bytes, no `/`,
 * `:`, whitespace, not `.`/`..`) is checked for the same names in interfaces.ts.
 *
 * Each collision is reported once, at the later place, naming the earlier one and a host it
 * happens on.
 */
export function checkHostNetdevNames(ctx: SiteContext): void {
  const reported = new Map<string, string[]>();
  const messages = new Map<
    string,
    { path: readonly (string | number)[]; text: (hosts: string[]) => string }
  >();
  for (const host of Object.keys(ctx.env.hosts).sort(compareText)) {
    const seen = new Map<string, HostNetdev>();
    const done = new Set<string>();
    for (const n of hostNetdevs(ctx.env, host)) {
      const first = seen.get(n.name);
      if (first === undefined) {
        seen.set(n.name, n);
        continue;
      }
      const at = formatPath(n.path);
      // One mistake, one issue: a derived VLAN name repeats its bridge's path.
      if (done.has(at)) continue;
      done.add(at);
      const key = `${at}\0${formatPath(first.path)}`;
      const hosts = reported.get(key);
      if (hosts !== undefined) {
        hosts.push(host);
        continue;
      }
      reported.set(key, [host]);
      messages.set(key, {
        path: n.path,
        text: (on) =>
          `${quote(n.name)} (${n.what}) is already ${first.what} (${formatPath(first.path)}) on ${on[0]}${on.length > 1 ? ` and ${on.length - 1} more host(s)` : ''}; expected a netdev name of its own on each host, because systemd-networkd builds only the first netdev of a name and applies only the first .network matching an interface`,
      });
    }
  }
  for (const [key, m] of messages) ctx.report('HOST_INTERFACE_DUPLICATE', m.path, m.text(reported.get(key)!));
}
