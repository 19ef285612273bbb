import type { YamlReader } from './yaml-reader';
import type { RenderedTree } from '@osa-gitops/core';
import { readSiteFacts } from './read-site-facts';
import type { PublicPath } from './types';

/**
 * The haproxy containers' public path as the rendered tree wires it: bond → VLAN → bridge →
 * container interface → gateway, plus the VIPs. Read from the first haproxy host whose VLAN
 * feeds the public bridge (every haproxy host is wired the same way by the renderer).
 */
export function readPublicPath(tree: RenderedTree, load?: YamlReader): PublicPath {
  const f = readSiteFacts(tree, load);
  let bond: string | undefined;
  let vlanInterface: string | undefined;
  let vlanId: number | undefined;
  for (const host of f.haproxyHosts) {
    const bridges = f.vlanBridges.get(host);
    const ids = f.vlans.get(host);
    if (!bridges || !ids) continue;
    const vlan = [...ids.keys()].find(
      (name) => f.publicBridge === undefined || bridges.get(name) === f.publicBridge,
    );
    if (vlan === undefined) continue;
    vlanInterface = vlan;
    vlanId = ids.get(vlan);
    bond = f.vlanParents.get(host)?.get(vlan);
    break;
  }
  const cidr = f.publicCidrName === undefined ? undefined : f.cidrNetworks.get(f.publicCidrName);
  return {
    ...(bond !== undefined ? { bond } : {}),
    ...(vlanInterface !== undefined ? { vlanInterface } : {}),
    ...(vlanId !== undefined ? { vlanId } : {}),
    ...(f.publicBridge !== undefined ? { bridge: f.publicBridge } : {}),
    ...(f.publicContainerInterface !== undefined ? { containerInterface: f.publicContainerInterface } : {}),
    ...(cidr !== undefined ? { cidr } : {}),
    ...(f.publicGateway !== undefined ? { gateway: f.publicGateway } : {}),
    ...(f.externalVip !== undefined ? { externalVip: f.externalVip } : {}),
    ...(f.internalVip !== undefined ? { internalVip: f.internalVip } : {}),
    ...(f.internalInterface !== undefined ? { internalInterface: f.internalInterface } : {}),
    haproxyHosts: f.haproxyHosts,
  };
}
