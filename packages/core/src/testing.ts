import type { EnvironmentInput } from './model/schema';

/**
 * Test and benchmark helpers other packages share (style guide point 5), so fixtures do not
 * each carry their own copy of the same site data.
 */

/**
 * OSA's usual provider networks, as in its `openstack_user_config.yml.example`: br-mgmt (eth1,
 * carries ansible_host), br-vxlan (tunnel) and br-storage. A fresh copy on every call, so callers
 * may mutate it. (Sites import theirs from `environments/_shared/base.ts`, which they own.)
 */
export function exampleProviderNetworks(): EnvironmentInput['providerNetworks'] {
  return [
    {
      bridge: 'br-mgmt',
      containerInterface: 'eth1',
      containerType: 'veth',
      type: 'raw',
      ipFromQ: 'container',
      isManagementAddress: true,
      groupBinds: ['all_containers', 'hosts'],
    },
    {
      bridge: 'br-vxlan',
      containerInterface: 'eth10',
      containerType: 'veth',
      type: 'vxlan',
      ipFromQ: 'tunnel',
      range: '1:1000',
      netName: 'vxlan',
      groupBinds: ['neutron_ovn_controller'],
    },
    {
      bridge: 'br-storage',
      containerInterface: 'eth2',
      containerType: 'veth',
      type: 'raw',
      ipFromQ: 'storage',
      groupBinds: ['glance_api', 'cinder_api', 'cinder_volume', 'nova_compute'],
    },
  ];
}
