import { defineEnvironment } from '@osa-gitops/core';
import { bondNics, deployTo, fleetBase, infraWithHaproxy } from '../_shared/base';

/**
 * The larger site: more hosts, its own public VLAN, and keepalived router ids that differ from
 * dc-west's because both public VLANs ride the same edge switches (segment `edge-a`).
 *
 * Its infra hosts have exactly two NICs, both in bond0, so the bond carries everything: the
 * management network (br-mgmt with the host's ip), storage and the VXLAN tunnel network, besides
 * the public VLAN. host_vars are the hosts' complete networkd config (README, "What osa-gitops
 * owns on a host"), so every one of those VLANs is modelled here, and `complete` says there is
 * nothing else: a bridge the hosts' containers need that no VLAN builds is an error. The infra
 * hosts run the image service (its containers need br-storage) and the OVN gateway (on the host
 * itself, on br-vxlan), so every VLAN of the bond is used (docs/host-bridges.md).
 */
const infra = [...infraWithHaproxy, 'os-infra_hosts', 'network-gateway_hosts'];

export default defineEnvironment({
  ...fleetBase,
  name: 'dc-east',
  description: 'East data centre: six hosts, VLAN 42',
  routingDomain: 'corp',
  publicSegment: 'edge-a',
  networks: {
    container: '10.30.0.0/22',
    tunnel: '10.30.4.0/22',
    storage: '10.30.8.0/22',
    public_api: '198.51.100.64/26',
  },
  reserved: {
    container: ['10.30.0.1-10.30.0.30'],
    tunnel: ['10.30.4.1-10.30.4.30'],
    storage: ['10.30.8.1-10.30.8.30'],
    public_api: ['198.51.100.66-198.51.100.69'],
  },
  hostNetworking: {
    ...fleetBase.hostNetworking,
    vlans: [
      // All NICs are in the bond, so the hosts' default route and DNS live on br-mgmt too.
      { id: 10, bridge: 'br-mgmt', address: 'host-ip', gateway: '10.30.0.1', dns: ['10.30.0.2'] },
      { id: 20, bridge: 'br-storage' },
      { id: 30, bridge: 'br-vxlan' },
    ],
    complete: true,
  },
  hosts: {
    'east-infra1': { ip: '10.30.0.11', groups: infra, bondMembers: bondNics('02:30:00:00:01') },
    'east-infra2': { ip: '10.30.0.12', groups: infra, bondMembers: bondNics('02:30:00:00:02') },
    'east-infra3': { ip: '10.30.0.13', groups: infra, bondMembers: bondNics('02:30:00:00:03') },
    'east-compute1': { ip: '10.30.0.21', groups: ['compute_hosts', 'storage_hosts'] },
    'east-compute2': { ip: '10.30.0.22', groups: ['compute_hosts', 'storage_hosts'] },
    'east-compute3': { ip: '10.30.0.23', groups: ['compute_hosts', 'storage_hosts'] },
  },
  haproxy: {
    publicNetwork: {
      cidrName: 'public_api',
      gateway: '198.51.100.65',
      vlan: 42,
      bond: 'bond0',
      bridge: 'br-public-api',
      containerInterface: 'eth20',
    },
    vips: { external: '198.51.100.70', internal: '10.30.0.10', externalName: 'cloud.dc-east.example.com' },
    bind: 'interface',
    keepalived: { externalRouterId: 20, internalRouterId: 21 },
  },
  deploy: deployTo('dc-east'),
});
