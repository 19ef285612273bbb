import { type HostNetdev, hostNetdevs, type IssuePath, networkdStem, own } from '@osa-gitops/core';
import type { SiteContext } from './context';
import { compareText, quote } from './context';

/**
 * `hostNetworking.networkdFilenames` and `hosts.<host>.networkdFilenames`: file names the
 * systemd_networkd role writes on the host (`/etc/systemd/network/<stem>.netdev|.network|.link`,
 * ansible-role-systemd_networkd `tasks/main.yml` @ d27b012, which puts `filename` into the path
 * as it is). So a stem is a plain file name: no `/`, no `..`, no Jinja (the role templates the
 * path), no extension of its own, and short. Each key must be an interface the host's host_vars
 * name (the site map: some host's), or the entry takes over nothing. And per host, two interfaces
 * must not end up in one file: the role would write both into it, the second one winning.
 */

/** What a stem may look like: letters, digits, `_ . - @ +`, starting with a letter or digit. */
export const NETWORKD_STEM = /^[A-Za-z0-9][A-Za-z0-9_.@+-]*$/;
export const NETWORKD_STEM_MAX = 64;
const EXTENSION = /\.(?:network|netdev|link|conf)$/;

export function checkNetworkdFilenames(ctx: SiteContext): void {
  const { env } = ctx;
  const hosts = Object.keys(env.hosts).sort(compareText);
  const rendered = new Map<string, HostNetdev[]>(hosts.map((h) => [h, hostNetdevs(env, h)]));

  const site = env.hostNetworking.networkdFilenames ?? {};
  for (const [name, stem] of Object.entries(site)) {
    const path = ['hostNetworking', 'networkdFilenames', name];
    checkStem(ctx, path, stem);
    if (![...rendered.values()].some((list) => list.some((n) => n.name === name))) {
      ctx.report(
        'REFERENCE_UNKNOWN',
        path,
        `no host's networkd lists name an interface ${quote(name)}; expected the name of a bond, bond member, VLAN interface or bridge a host builds, or the entry takes over no file`,
      );
    }
  }
  for (const host of hosts) {
    const hostMap = env.hosts[host]!.networkdFilenames ?? {};
    const list = rendered.get(host)!;
    for (const [name, stem] of Object.entries(hostMap)) {
      const path = ['hosts', host, 'networkdFilenames', name];
      checkStem(ctx, path, stem);
      if (!list.some((n) => n.name === name)) {
        ctx.report(
          'REFERENCE_UNKNOWN',
          path,
          `${host}'s networkd lists name no interface ${quote(name)}; expected the name of its bond, a bond member, a VLAN interface or a bridge it builds`,
        );
      }
    }
    duplicates(ctx, host, list, 'netdev');
    duplicates(ctx, host, list, 'network');
  }
}

function checkStem(ctx: SiteContext, path: IssuePath, stem: string): void {
  const problem =
    stem.length > NETWORKD_STEM_MAX
      ? `is ${stem.length} characters; expected at most ${NETWORKD_STEM_MAX}`
      : !NETWORKD_STEM.test(stem) || stem.includes('..')
        ? `is not a plain file name; expected letters, digits and _ . - @ + (no /, no .., no spaces), as the role writes /etc/systemd/network/<stem>.network`
        : EXTENSION.test(stem)
          ? `ends in an extension; expected the stem only (the role adds .netdev, .network and .link)`
          : undefined;
  if (problem !== undefined)
    ctx.report('NETWORKD_FILENAME_INVALID', path, `file name ${quote(stem)} ${problem}`);
}

/** Two interfaces in one `.netdev` (or `.network`/`.link`) file of one host. */
function duplicates(
  ctx: SiteContext,
  host: string,
  list: readonly HostNetdev[],
  kind: 'netdev' | 'network',
): void {
  const env = ctx.env;
  const seen = new Map<string, HostNetdev>();
  for (const n of list) {
    if (!n[kind]) continue;
    const stem = networkdStem(env, host, n.order, n.name);
    const first = seen.get(stem);
    if (first === undefined) {
      seen.set(stem, n);
      continue;
    }
    // Two netdevs of one name share their default file: the name collision is the issue there.
    if (first.name === n.name) continue;
    const ext = kind === 'netdev' ? '.netdev' : '.network';
    ctx.report(
      'NETWORKD_FILENAME_DUPLICATE',
      mappingPath(ctx, host, n.name) ?? mappingPath(ctx, host, first.name) ?? n.path,
      `on ${host}, ${quote(n.name)} (${n.what}) and ${quote(first.name)} (${first.what}) would both be written to ${stem}${ext}; expected a file name of its own per interface, or the role overwrites one with the other`,
    );
  }
}

/** Where a name's file name is set for the host, if it is. */
function mappingPath(ctx: SiteContext, host: string, name: string): IssuePath | undefined {
  const hostMap = ctx.env.hosts[host]!.networkdFilenames;
  if (hostMap !== undefined && own(hostMap, name) !== undefined)
    return ['hosts', host, 'networkdFilenames', name];
  const siteMap = ctx.env.hostNetworking.networkdFilenames;
  if (siteMap !== undefined && own(siteMap, name) !== undefined)
    return ['hostNetworking', 'networkdFilenames', name];
  return undefined;
}
