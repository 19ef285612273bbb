/**
 * OSA's own default for eth0's MTU, verbatim (lxc_container_create `defaults/main.yml`, docs/osa-facts.md#lxc-container-networks), so
 * a site's `lxc_net_mtu` still applies; a fixed 1500 would silently override it.
 */
export const LXC_ETH0_MTU = '{{ lxc_net_mtu | default(1500) }}';

/**
 * eth0 of the haproxy containers without a DHCP default route, so the static default route via
 * the public gateway on the public interface wins (docs/osa-facts.md#guide-step-4, #default-route:
 * eth0's DHCP route has metric 20 and beats the static route's 21).
 *
 * Overriding `lxc_container_networks` replaces OSA's whole default dict (a shallow combine,
 * docs/osa-facts.md#lxc-container-networks), so the full eth0 entry is repeated. `bridge`, `bridge_type` and `mtu` keep OSA's own
 * Jinja defaults verbatim so a site's `lxc_net_bridge`/`lxc_net_bridge_type`/`lxc_net_mtu` still apply. It lives in
 * group_vars because extra vars (`user_*.yml`) would override it for every group (docs/osa-facts.md#merge).
 */
export function renderLxcNetwork(): Record<string, unknown> {
  return {
    lxc_container_networks: {
      lxcbr0_address: {
        bridge: "{{ lxc_net_bridge | default('lxcbr0') }}",
        bridge_type: "{{ lxc_net_bridge_type | default('linuxbridge') }}",
        interface: 'eth0',
        type: 'veth',
        mtu: LXC_ETH0_MTU,
        dhcp_use_routes: false,
      },
    },
  };
}
