import type { EnvironmentInput } from './model/schema';
import { exampleProviderNetworks } from './testing';

/**
 * A fresh, valid site definition with the numbers of the OSA guide (the same as
 * environments/guide-lab, which core tests must not import). Every rule fixture is a mutation of
 * this object, so a fixture fails only because of its mutation. Written out in full (defaults
 * included) so mutations can reach every key without optional chaining.
 */
export function guideInput() {
  return {
    name: 'guide-lab',
    description: 'Reproduces the OSA haproxy_in_lxc guide',
    routingDomain: 'lab',
    managementBridge: 'br-mgmt',
    networks: {
      container: '172.29.236.0/22',
      tunnel: '172.29.240.0/22',
      storage: '172.29.244.0/22',
      public_api: '203.0.113.128/28',
    } as Record<string, string>,
    reserved: {
      container: ['172.29.236.1-172.29.236.50'],
      tunnel: ['172.29.240.1-172.29.240.50'],
      storage: ['172.29.244.1-172.29.244.50'],
      public_api: ['203.0.113.140-203.0.113.142'],
    } as Record<string, string[]>,
    providerNetworks: exampleProviderNetworks() as ProviderNetworkInput[],
    hostNetworking: {
      bond: {
        name: 'bond0',
        mode: '802.3ad',
        transmitHashPolicy: 'layer3+4',
        lacpTransmitRate: 'fast',
        miiMonitor: '100ms',
      },
      // As in the guide, br-mgmt (with the host's ip) exists outside the bond.
      externalBridges: [{ bridge: 'br-mgmt', address: 'host-ip' }] as ExternalBridgeInput[] | undefined,
    },
    hosts: {
      infra1: host('172.29.236.11', 'd2:25:83:e1:77'),
      infra2: host('172.29.236.12', 'd2:25:83:e1:78'),
      infra3: host('172.29.236.13', 'd2:25:83:e1:79'),
    } as Record<string, HostInput>,
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
    deploy: {
      runnerLabel: 'osa-deploy-guide-lab',
      configDir: '/etc/openstack_deploy',
      osaDir: '/opt/openstack-ansible',
    },
  } satisfies EnvironmentInput;
}

export type GuideInput = ReturnType<typeof guideInput>;
type ProviderNetworkInput = EnvironmentInput['providerNetworks'][number];
type HostInput = EnvironmentInput['hosts'][string];
type ExternalBridgeInput = NonNullable<
  NonNullable<EnvironmentInput['hostNetworking']>['externalBridges']
>[number];

function host(ip: string, macPrefix: string): HostInput {
  return {
    ip,
    groups: ['shared-infra_hosts', 'repo-infra_hosts', 'haproxy_hosts'],
    bondMembers: { ens3: `${macPrefix}:c8`, ens6: `${macPrefix}:c9` },
  };
}

/**
 * A second valid site that shares nothing with guideInput(): 172.30.x management side,
 * 203.0.113.144/28 public, same OSA default router ids, same routing domain (`lab`).
 */
export function guideSecondSite(): GuideInput {
  const d = guideInput();
  d.name = 'lab-two';
  d.networks = {
    container: '172.30.236.0/22',
    tunnel: '172.30.240.0/22',
    storage: '172.30.244.0/22',
    public_api: '203.0.113.144/28',
  };
  d.reserved = {
    container: ['172.30.236.1-172.30.236.50'],
    public_api: ['203.0.113.156-203.0.113.158'],
  };
  d.hosts = {
    'two-infra1': host('172.30.236.11', '02:30:00:00:01'),
    'two-infra2': host('172.30.236.12', '02:30:00:00:02'),
  };
  d.haproxy.publicNetwork.gateway = '203.0.113.145';
  d.haproxy.vips = { external: '203.0.113.156', internal: '172.30.236.9' };
  d.deploy.runnerLabel = 'osa-deploy-lab-two';
  return d;
}
