// The networkd file stems the hosts have today that differ from the ones the render writes.
import type { HostNetworkd } from '../networkd';
import type { HostFilenames } from './types';

/** Our render's stems (render/host-vars.ts): `NN-osa-gitops-<name>`. */
export function foreignFilenames(net: HostNetworkd): Map<string, { netdev?: string; network?: string }> {
  const order = (name: string): number =>
    net.bond?.name === name || Object.hasOwn(net.members, name)
      ? 5
      : name.startsWith('br-') || net.vlans.some((v) => v.bridge === name) || net.public?.name === undefined
        ? 11
        : 10;
  const out = new Map<string, { netdev?: string; network?: string }>();
  for (const [name, stems] of net.filenames) {
    const isVlan =
      net.public?.name === name ||
      net.vlans.some((v) => (v.name ?? `vlan-${v.bridge.replace(/^br-/, '')}`) === name);
    const ours = `${String(isVlan ? 10 : order(name)).padStart(2, '0')}-osa-gitops-${name}`;
    if ((stems.netdev ?? ours) !== ours || (stems.network ?? ours) !== ours) out.set(name, stems);
  }
  return out;
}

/** Per host, the interfaces whose networkd file stems differ from ours (hosts with none left out). */
export function hostFilenames(nets: ReadonlyMap<string, HostNetworkd>): Map<string, HostFilenames> {
  const filenames = new Map<string, HostFilenames>();
  for (const [host, net] of nets) {
    const differing = foreignFilenames(net);
    if (differing.size > 0) filenames.set(host, differing);
  }
  return filenames;
}
