import { defineEnvironment } from '@osa-gitops/core';
import { deployTo, fleetBase, infraWithHaproxy } from '../_shared/base';

/**
 * The OSA guide "HAProxy and Keepalived in LXC containers", number for number, with its two
 * traps fixed by the renderer (comma ranges in used_ips, keys nested under `network:`) and its
 * multicast example MACs replaced by unicast ones. As in the guide, the hosts already have br-mgmt
 * (with their ip) outside the bond; osa-gitops only builds the public VLAN on it.
 */
export default defineEnvironment({
  ...fleetBase,
  name: 'guide-lab',
  description: 'Reproduces the OSA haproxy_in_lxc guide',
  routingDomain: 'lab',
  networks: {
    container: '172.29.236.0/22',
    tunnel: '172.29.240.0/22',
    storage: '172.29.244.0/22',
    public_api: '203.0.113.128/28',
  },
  reserved: {
    container: ['172.29.236.1-172.29.236.50'],
    tunnel: ['172.29.240.1-172.29.240.50'],
    storage: ['172.29.244.1-172.29.244.50'],
    // The guide keeps .140–.142 for VIPs; .140 is the external VIP (reserved automatically too).
    public_api: ['203.0.113.140-203.0.113.142'],
  },
  hostNetworking: {
    ...fleetBase.hostNetworking,
    // The hosts were set up by hand from the guide: write into its files, so no older file beats
    // ours (systemd-networkd applies the first .network matching an interface). The guide's bond
    // .netdev is 05-generic-bond0; ours, 05-general-bond0.netdev, sorts first and wins.
    networkdFilenames: {
      bond0: '05-general-bond0',
      ens3: '05-generic-ens3',
      ens6: '05-generic-ens6',
      'vlan-public-api': '10-openstack-vlan-public-api',
      'br-public-api': '11-openstack-br-public-api',
    },
    externalBridges: [{ bridge: 'br-mgmt', address: 'host-ip' }],
  },
  hosts: {
    infra1: {
      ip: '172.29.236.11',
      groups: infraWithHaproxy,
      bondMembers: { ens3: 'd2:25:83:e1:77:c8', ens6: 'd2:25:83:e1:77:c9' },
    },
    infra2: {
      ip: '172.29.236.12',
      groups: infraWithHaproxy,
      bondMembers: { ens3: 'd2:25:83:e1:78:c8', ens6: 'd2:25:83:e1:78:c9' },
    },
    infra3: {
      ip: '172.29.236.13',
      groups: infraWithHaproxy,
      bondMembers: { ens3: 'd2:25:83:e1:79:c8', ens6: 'd2:25:83:e1:79:c9' },
    },
  },
  haproxy: {
    publicNetwork: {
      cidrName: 'public_api',
      gateway: '203.0.113.129',
      vlan: 40,
      vlanInterface: 'vlan-public-api',
      bond: 'bond0',
      bridge: 'br-public-api',
      containerInterface: 'eth20',
    },
    vips: { external: '203.0.113.140', internal: '172.29.236.9' },
    bind: 'interface',
    keepalived: { externalRouterId: 10, internalRouterId: 11 },
  },
  deploy: deployTo('guide-lab'),
});
