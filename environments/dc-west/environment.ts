import { defineEnvironment } from '@osa-gitops/core';
import { bondNics, deployTo, fleetBase, infraWithHaproxy } from '../_shared/base';

/**
 * A production site that binds HAProxy to the containers' addresses instead of interfaces.
 *
 * Its infra hosts have three NICs: ens2 carries br-mgmt (the host's ip), set up with the hosts'
 * OS and declared here as an external bridge; ens3 and ens6 form bond0, which carries only the
 * public VLAN. Nothing else exists on them (`complete`).
 */
export default defineEnvironment({
  ...fleetBase,
  name: 'dc-west',
  description: 'West data centre: bind by address',
  routingDomain: 'corp',
  publicSegment: 'edge-a',
  networks: {
    container: '10.20.0.0/22',
    tunnel: '10.20.4.0/22',
    storage: '10.20.8.0/22',
    public_api: '198.51.100.0/27',
  },
  reserved: {
    container: ['10.20.0.1-10.20.0.30'],
    tunnel: ['10.20.4.1-10.20.4.30'],
    storage: ['10.20.8.1-10.20.8.30'],
    public_api: ['198.51.100.2-198.51.100.3'],
  },
  hostNetworking: {
    ...fleetBase.hostNetworking,
    externalBridges: [{ bridge: 'br-mgmt', interface: 'ens2', address: 'host-ip' }],
    complete: true,
  },
  hosts: {
    'west-infra1': { ip: '10.20.0.11', groups: infraWithHaproxy, bondMembers: bondNics('02:20:00:00:01') },
    'west-infra2': { ip: '10.20.0.12', groups: infraWithHaproxy, bondMembers: bondNics('02:20:00:00:02') },
    'west-infra3': { ip: '10.20.0.13', groups: infraWithHaproxy, bondMembers: bondNics('02:20:00:00:03') },
    'west-compute1': { ip: '10.20.0.21', groups: ['compute_hosts', 'storage_hosts'] },
    'west-compute2': { ip: '10.20.0.22', groups: ['compute_hosts', 'storage_hosts'] },
  },
  haproxy: {
    publicNetwork: {
      cidrName: 'public_api',
      gateway: '198.51.100.1',
      vlan: 41,
      bond: 'bond0',
      bridge: 'br-public-api',
      containerInterface: 'eth20',
    },
    vips: { external: '198.51.100.10', internal: '10.20.0.10', externalName: 'cloud.dc-west.example.com' },
    bind: 'address',
    keepalived: { externalRouterId: 10, internalRouterId: 11 },
  },
  deploy: deployTo('dc-west'),
});
