import type { Disruption, NetworkChangeKind } from './types';

/** Least to most disruptive; a site's disruption is the worst of its changes. */
export const DISRUPTION_ORDER: readonly Disruption[] = [
  'none',
  'container-recreated',
  'default-route-change',
  'vip-failover',
];

/**
 * What each kind of change does to a running site, and why. This table is the documented
 * mapping (docs/cli.md repeats it); reviewers see the `why` next to every change.
 *
 * - VIP moves and router-id changes are `vip-failover`: keepalived drops the old address or VRRP
 *   instance and elects a master for the new one, so clients see the endpoint go away briefly
 *   (and for a moved VIP, must follow the new address).
 * - Gateway and VLAN changes are `default-route-change`: the haproxy containers' only default
 *   route leaves via eth20 on the public bridge (eth0 has `dhcp_use_routes: False`), so a wrong
 *   gateway or a VLAN the upstream does not carry cuts every public reply.
 * - New haproxy hosts and resized pools are `container-recreated`: lxc-containers-create builds
 *   the new container or rewrites the containers' network config and restarts them.
 * - A removed haproxy host is `vip-failover`: if its keepalived held a VIP, the VIP moves when it
 *   stops (lxc-containers-create does not destroy the old container; OSA never drops inventory).
 * - A new site is `container-recreated` (containers are created; on a brownfield site moving
 *   from metal haproxy the VIPs also move, see docs/osa-facts.md#brownfield), a removed site is `none`
 *   (nothing is deployed and the host's config dir is left as it is).
 * - Bind mode and other file changes are `none` for the container playbook; they take effect on
 *   the haproxy stages (HAProxy, then every service's frontend, then keepalived).
 */
export const DISRUPTION_BY_KIND: Readonly<
  Record<NetworkChangeKind, { disruption: Disruption; why: string }>
> = {
  'site-added': {
    disruption: 'container-recreated',
    why: 'haproxy containers are created; on a site moving from metal haproxy the VIPs move to them',
  },
  'site-removed': {
    disruption: 'none',
    why: 'nothing is deployed; the config dir on the deploy host is left as it is',
  },
  'external-vip-moved': {
    disruption: 'vip-failover',
    why: 'keepalived releases the old address and brings up the new one; clients must follow',
  },
  'internal-vip-moved': {
    disruption: 'vip-failover',
    why: 'keepalived releases the old address and brings up the new one; services must follow',
  },
  'public-gateway-changed': {
    disruption: 'default-route-change',
    why: "the haproxy containers' only default route leaves through this gateway",
  },
  'vlan-id-changed': {
    disruption: 'default-route-change',
    why: 'the public bridge moves to another VLAN; the gateway must be reachable there',
  },
  'haproxy-host-added': {
    disruption: 'container-recreated',
    why: 'a new haproxy container is created; keepalived priorities are recomputed',
  },
  'haproxy-host-removed': {
    disruption: 'vip-failover',
    why: 'its container keeps running keepalived until it is destroyed and removed from the inventory (see the plan); if it holds a VIP, the VIP fails over then',
  },
  'bind-mode-changed': {
    disruption: 'none',
    why: "haproxy rebinds when the haproxy and frontends stages rewrite its config and every service's fragment",
  },
  'pool-resized': {
    disruption: 'container-recreated',
    why: 'the containers are reconfigured; OSA keeps addresses already in openstack_inventory.json, so a moved or shrunk network leaves containers on old addresses until their IPs are cleared',
  },
  'router-id-changed': {
    disruption: 'vip-failover',
    why: 'keepalived starts a new VRRP instance and the VIP is re-elected',
  },
  'networkd-files': {
    disruption: 'none',
    why: 'the host-networking stage (openstack-hosts-setup) writes them: taken-over names overwrite the files already on the host, the role deletes our .netdev/.network files no longer rendered, and files left behind must be deleted by hand or they keep applying',
  },
  'file-changed': {
    disruption: 'none',
    why: 'no network-level change recognised in this file',
  },
};

export function worstDisruption(values: Iterable<Disruption>): Disruption {
  let worst = 0;
  for (const v of values) worst = Math.max(worst, DISRUPTION_ORDER.indexOf(v));
  return DISRUPTION_ORDER[worst]!;
}
