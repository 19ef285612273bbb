/**
 * A valid site with the numbers of the OSA guide. Every hostile case spreads it and changes one
 * thing, so a case fails only because of its mutation (the spec's control run checks that this
 * base alone validates clean). `_base` starts with `_`, so it is not a site.
 *
 * routingDomain is the case's own name, so cases never overlap each other in fleet checks.
 */
export function base(name: string) {
  return {
    name,
    description: 'hostile corpus base',
    routingDomain: name,
    managementBridge: 'br-mgmt',
    networks: {
      container: '172.29.236.0/22',
      public_api: '203.0.113.128/28',
    } as Record<string, string>,
    reserved: {
      container: ['172.29.236.1-172.29.236.50'],
      public_api: ['203.0.113.140-203.0.113.142'],
    } as Record<string, string[]>,
    providerNetworks: [
      {
        bridge: 'br-mgmt',
        containerInterface: 'eth1',
        containerType: 'veth',
        type: 'raw',
        ipFromQ: 'container',
        isManagementAddress: true,
        groupBinds: ['all_containers', 'hosts'],
      },
    ] as Record<string, unknown>[],
    hostNetworking: {
      bond: {
        name: 'bond0',
        mode: '802.3ad',
        transmitHashPolicy: 'layer3+4',
        lacpTransmitRate: 'fast',
        miiMonitor: '100ms',
      } as Record<string, unknown>,
      externalBridges: [{ bridge: 'br-mgmt', address: 'host-ip' }] as Record<string, unknown>[],
    },
    hosts: {
      infra1: host('172.29.236.11', '02:25:83:e1:77'),
      infra2: host('172.29.236.12', '02:25:83:e1:78'),
      infra3: host('172.29.236.13', '02:25:83:e1:79'),
    } as Record<string, Record<string, unknown>>,
    haproxy: {
      publicNetwork: {
        cidrName: 'public_api',
        gateway: '203.0.113.129',
        vlan: 40 as unknown,
        vlanInterface: 'vlan-public-api',
        bond: 'bond0',
        bridge: 'br-public-api',
        containerInterface: 'eth20',
      } as Record<string, unknown>,
      vips: { external: '203.0.113.140', internal: '172.29.236.9' } as Record<string, unknown>,
      bind: 'interface',
      keepalived: { externalRouterId: 10, internalRouterId: 11 } as Record<string, unknown>,
    },
    deploy: {
      runnerLabel: `osa-deploy-${name}`,
      configDir: '/etc/openstack_deploy',
      osaDir: '/opt/openstack-ansible',
    } as Record<string, unknown>,
  };
}

export function host(ip: string, macPrefix: string, groups = ['shared-infra_hosts', 'haproxy_hosts']) {
  return {
    ip,
    groups,
    bondMembers: { ens3: `${macPrefix}:c8`, ens6: `${macPrefix}:c9` } as Record<string, string>,
  };
}
