import { definePartial, type EnvironmentInput } from '@osa-gitops/core';

/**
 * The fleet-wide base every site spreads: OSA's usual provider networks, the bond every metal
 * host builds, and deploy defaults. A folder starting with `_` is not a site.
 */

type ProviderNetworks = EnvironmentInput['providerNetworks'];

/** br-mgmt (eth1, carries ansible_host), br-vxlan (tunnel) and br-storage, as in OSA's example. */
export const standardProviderNetworks: ProviderNetworks = [
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

export const fleetBase = definePartial({
  managementBridge: 'br-mgmt',
  providerNetworks: standardProviderNetworks,
  hostNetworking: {
    bond: {
      name: 'bond0',
      mode: '802.3ad',
      transmitHashPolicy: 'layer3+4',
      lacpTransmitRate: 'fast',
      // The guide writes `MIIMonitorSec: 100`, which systemd reads as 100 seconds.
      miiMonitor: '100ms',
    },
  },
});

/** Groups of an infrastructure host that also runs haproxy. */
export const infraWithHaproxy = ['shared-infra_hosts', 'repo-infra_hosts', 'haproxy_hosts'];

export function deployTo(site: string): EnvironmentInput['deploy'] {
  return {
    runnerLabel: `osa-deploy-${site}`,
    configDir: '/etc/openstack_deploy',
    osaDir: '/opt/openstack-ansible',
  };
}

/** The two bond members every infra host has, matched by MAC: `<prefix>:01` and `<prefix>:02`. */
export function bondNics(macPrefix: string): Record<string, string> {
  return { ens3: `${macPrefix}:01`, ens6: `${macPrefix}:02` };
}
