// Names and lists the steps share: the files, variables and keys the rendered tree owns.

export const USER_CONFIG = 'openstack_user_config.yml';
export const DEVICES = 'openstack_hosts_systemd_networkd_devices';
export const NETWORKS = 'openstack_hosts_systemd_networkd_networks';
/** Files the render writes (render/*.ts): an input file of the same name is replaced by ours. */
export const RENDERED_FILE =
  /^(?:openstack_user_config\.yml|env\.d\/haproxy\.yml|group_vars\/haproxy\/lxc_network\.yml|host_vars\/[^/]+\.yml|user_variables_haproxy_lxc\.yml)$/;
export const GLOBAL_KEYS = [
  'internal_lb_vip_address',
  'external_lb_vip_address',
  'management_bridge',
  'provider_networks',
];
/** Variables the rendered tree sets for haproxy (render/user-variables.ts, render/lxc-network.ts). */
export const HAPROXY_VARS = [
  'haproxy_bind_external_lb_vip_interface',
  'haproxy_bind_internal_lb_vip_interface',
  'haproxy_bind_external_lb_vip_address',
  'haproxy_bind_internal_lb_vip_address',
  'haproxy_use_keepalived',
  'haproxy_keepalived_external_vip_cidr',
  'haproxy_keepalived_internal_vip_cidr',
  'haproxy_keepalived_external_interface',
  'haproxy_keepalived_internal_interface',
  'haproxy_keepalived_external_virtual_router_id',
  'haproxy_keepalived_internal_virtual_router_id',
  'haproxy_tls_vip_binds',
  'haproxy_bind_on_non_local',
  'keepalived_external_ping_address',
  'keepalived_internal_ping_address',
  'lxc_container_networks',
];
/** Host variables the rendered host_vars set besides the two lists (render/host-vars.ts). */
export const NETWORKD_VARS = ['openstack_hosts_systemd_networkd_prefix', 'systemd_interface_cleanup'];
