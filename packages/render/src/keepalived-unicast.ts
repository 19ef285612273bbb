import { addressKey, type Environment, managementNetwork, publicProviderNetwork } from '@osa-gitops/core';

/**
 * `keepalived.unicast: true`: VRRP between the site's own haproxy containers by unicast
 * (docs/SECURITY.md, "VRRP on the public VLAN"). OSA builds keepalived's instances in
 * `inventory/group_vars/haproxy/keepalived.yml` as
 * `_keepalived_default_instances | combine(keepalived_instances_overrides, recursive=true)`, and
 * the keepalived role writes `unicast_src_ip` and a `unicast_peer` block when an instance has
 * `unicast_src_ip` and a non-empty `unicast_peers` (templates/keepalived.conf.j2 @ c9b1c4a).
 *
 * The containers' addresses are OSA's random draw, so they are looked up in the inventory on the
 * deploy host: the container's own address on the instance's network, and every other member of
 * the `haproxy` group's. Each peer carries `min_ttl 255 max_ttl 255`, which makes keepalived also
 * drop an advert whose source is not a peer or that crossed a router (keepalived.conf(5),
 * `unicast_peer`; VRRP sends with TTL 255).
 *
 * These are the only Jinja expressions besides OSA's eth0 defaults that render emits: constant
 * text around `container_networks` keys, which are validated network names.
 */
export function keepalivedUnicastOverrides(env: Environment): Record<string, unknown> {
  if (env.haproxy.keepalived.unicast !== true) return {};
  const mgmt = managementNetwork(env);
  if (mgmt === undefined) throw new Error('render needs a validated environment: a management network');
  return {
    keepalived_instances_overrides: {
      external: unicastInstance(addressKey(publicProviderNetwork(env))),
      internal: unicastInstance(addressKey(mgmt)),
    },
  };
}

/** The two template strings of one instance, for the network whose address key is `key`. */
export function unicastInstance(key: string): { unicast_src_ip: string; unicast_peers: string } {
  return {
    unicast_src_ip: `{{ container_networks['${key}']['address'] }}`,
    unicast_peers:
      `{{ groups['haproxy'] | difference([inventory_hostname])` +
      ` | map('extract', hostvars, ['container_networks', '${key}', 'address'])` +
      ` | map('regex_replace', '$', ' min_ttl 255 max_ttl 255') | list }}`,
  };
}
