import {
  bondVlanName,
  INTERFACE_NAME,
  INTERFACE_NAME_MAX,
  type IssuePath,
  normalizeGroup,
  vlanInterfaceName,
} from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';
import { HAPROXY_CONTAINER_GROUPS } from './haproxy-groups';
import { locatedNetworks } from './network-paths';

/**
 * Rule 8: Linux interface names. The kernel's dev_valid_name (docs/osa-facts.md#interface-names) refuses empty
 * names, more than 15 bytes, `.`/`..`, `/`, `:` and whitespace; we also require INTERFACE_NAME so
 * the names are safe in YAML and unit file names. Container interfaces have two more limits:
 * at most 6 characters (the host-side veth is `<8 chars>_<iface>` cut to 15, docs/osa-facts.md#lxc-container-networks) and unique
 * inside the container, where `eth0` is taken by lxcbr0 (docs/osa-facts.md#lxc-container-networks default lxc_container_networks).
 */

/** The haproxy container's implicit first interface (lxcbr0_address). */
const IMPLICIT_INTERFACE = 'eth0';
export const CONTAINER_INTERFACE_MAX = 6;

export function checkInterfaces(ctx: SiteContext): void {
  const { env } = ctx;
  const bond = env.hostNetworking.bond;
  if (bond !== undefined) linuxName(ctx, ['hostNetworking', 'bond', 'name'], bond.name, 'bond');
  for (const [host, h] of Object.entries(env.hosts)) {
    for (const nic of Object.keys(h.bondMembers ?? {}))
      linuxName(ctx, ['hosts', host, 'bondMembers', nic], nic, 'bond member');
  }
  const pub = env.haproxy.publicNetwork;
  const vlanPath: IssuePath =
    pub.vlanInterface !== undefined
      ? ['haproxy', 'publicNetwork', 'vlanInterface']
      : ['haproxy', 'publicNetwork', 'bridge'];
  const vlanWhat =
    pub.vlanInterface !== undefined ? 'VLAN interface' : 'VLAN interface derived from the bridge';
  linuxName(ctx, vlanPath, vlanInterfaceName(pub), vlanWhat);
  (env.hostNetworking.vlans ?? []).forEach((vlan, i) => {
    const at = (key: string): IssuePath => ['hostNetworking', 'vlans', i, key];
    const bridgeOk = linuxName(ctx, at('bridge'), vlan.bridge, 'bridge');
    if (vlan.name !== undefined) linuxName(ctx, at('name'), vlan.name, 'VLAN interface');
    // A derived name is checked only when its bridge is fine: one mistake, one issue.
    else if (bridgeOk)
      linuxName(ctx, at('bridge'), bondVlanName(vlan), 'VLAN interface derived from the bridge');
  });

  const located = locatedNetworks(env);
  for (const { net, at } of located) {
    linuxName(ctx, at('bridge'), net.bridge, 'bridge');
    if (net.hostBindOverride !== undefined)
      linuxName(ctx, at('hostBindOverride'), net.hostBindOverride, 'host bind override');
    if (net.containerInterface === undefined) continue;
    if (linuxName(ctx, at('containerInterface'), net.containerInterface, 'container interface')) {
      containerLength(ctx, at('containerInterface'), net.containerInterface);
    }
  }

  // Uniqueness inside the haproxy container: every network bound to one of its groups.
  const taken = new Map<string, string>([[IMPLICIT_INTERFACE, 'lxcbr0 (the implicit eth0)']]);
  for (const { net, at, label } of located) {
    const iface = net.containerInterface;
    if (iface === undefined || !net.groupBinds.some((g) => HAPROXY_CONTAINER_GROUPS.has(normalizeGroup(g))))
      continue;
    const owner = taken.get(iface);
    if (owner !== undefined) {
      ctx.report(
        'CONTAINER_INTERFACE_DUPLICATE',
        at('containerInterface'),
        `${quote(iface)} is already used inside the haproxy container by ${owner}; expected a distinct interface per network`,
      );
    } else {
      taken.set(iface, label);
    }
  }
}

/** Report the first problem with a Linux interface name; true when the name is fine. */
function linuxName(ctx: SiteContext, path: IssuePath, name: string, what: string): boolean {
  const problem = interfaceNameProblem(name);
  if (problem === undefined) return true;
  ctx.report('INTERFACE_NAME_INVALID', path, `${what} ${quote(name)} ${problem}`);
  return false;
}

export function interfaceNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty; expected a Linux interface name';
  const bytes = utf8Length(name);
  if (bytes > INTERFACE_NAME_MAX) {
    return `is ${bytes} bytes; expected at most ${INTERFACE_NAME_MAX} (the kernel's IFNAMSIZ is 16 with the NUL)`;
  }
  if (name === '.' || name === '..')
    return 'is not a valid Linux interface name; expected a name other than . and ..';
  if (/[/:\s]/.test(name))
    return 'contains `/`, `:` or whitespace; expected none of them, Linux refuses them in interface names';
  if (!INTERFACE_NAME.test(name))
    return `does not match ${INTERFACE_NAME.source}; expected letters, digits, _ . -`;
  return undefined;
}

function containerLength(ctx: SiteContext, path: IssuePath, name: string): void {
  if (name.length <= CONTAINER_INTERFACE_MAX) return;
  ctx.report(
    'CONTAINER_INTERFACE_TOO_LONG',
    path,
    `container interface ${quote(name)} is ${name.length} characters; expected at most ${CONTAINER_INTERFACE_MAX}, because the host-side veth name <8 chars>_<interface> is cut to 15 characters and two containers could collide (docs/osa-facts.md#lxc-container-networks, #container-interfaces)`,
  );
}

function utf8Length(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}
