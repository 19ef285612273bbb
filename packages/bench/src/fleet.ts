import { exampleProviderNetworks, type EnvironmentInput } from '@osa-gitops/core';

/**
 * A synthetic but realistic fleet: every site has OSA's three provider networks, 3 haproxy infra
 * hosts with bonds and 0–27 compute hosts, its own VLAN, and networks carved from one routing
 * domain without overlaps (so fleet checks do real work and find nothing). Sites share public L2
 * segments in groups of 50 with distinct router ids, as a real edge would.
 */

const SITES_PER_SEGMENT = 50;

function ip(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function mac(site: number, host: number, nic: number): string {
  const b = [0x02, (site >>> 8) & 255, site & 255, (host >>> 8) & 255, host & 255, nic];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export function syntheticSite(i: number, hostCount: number): EnvironmentInput {
  // Three /22s per site out of 10.0.0.0/8; one /27 per site out of 100.64.0.0/10.
  const block = (10 << 24) + i * 3 * 1024;
  const container = block;
  const tunnel = block + 1024;
  const storage = block + 2048;
  const pub = (100 << 24) + (64 << 16) + i * 32;
  const name = `site-${String(i).padStart(4, '0')}`;
  const hosts: EnvironmentInput['hosts'] = {};
  for (let h = 0; h < hostCount; h++) {
    const infra = h < 3;
    hosts[infra ? `${name}-infra${h + 1}` : `${name}-cmp${h - 2}`] = infra
      ? {
          ip: ip(container + 11 + h),
          groups: ['shared-infra_hosts', 'repo-infra_hosts', 'haproxy_hosts'],
          bondMembers: { ens3: mac(i, h, 1), ens6: mac(i, h, 2) },
        }
      : { ip: ip(container + 100 + h), groups: ['compute_hosts'] };
  }
  const slot = i % SITES_PER_SEGMENT;
  return {
    name,
    routingDomain: 'corp',
    publicSegment: `edge-${Math.floor(i / SITES_PER_SEGMENT)}`,
    networks: {
      container: `${ip(container)}/22`,
      tunnel: `${ip(tunnel)}/22`,
      storage: `${ip(storage)}/22`,
      public_api: `${ip(pub)}/27`,
    },
    reserved: {
      container: [`${ip(container + 1)}-${ip(container + 10)}`],
      public_api: [`${ip(pub + 2)}-${ip(pub + 4)}`],
    },
    providerNetworks: exampleProviderNetworks(),
    hostNetworking: {
      bond: { name: 'bond0', miiMonitor: '100ms' },
      externalBridges: [{ bridge: 'br-mgmt', address: 'host-ip' }],
    },
    hosts,
    haproxy: {
      publicNetwork: {
        cidrName: 'public_api',
        gateway: ip(pub + 1),
        vlan: 100 + (i % 3000),
        bond: 'bond0',
        bridge: 'br-public-api',
        containerInterface: 'eth20',
      },
      vips: { external: ip(pub + 10), internal: ip(container + 9) },
      bind: i % 2 === 0 ? 'interface' : 'address',
      keepalived: { externalRouterId: 2 * slot + 1, internalRouterId: 2 * slot + 2 },
    },
    deploy: {
      runnerLabel: `osa-deploy-${name}`,
      configDir: '/etc/openstack_deploy',
      osaDir: '/opt/openstack-ansible',
    },
  };
}

/** `sites` sites with host counts cycling through 3..maxHosts (or exactly `hosts` when given). */
export function syntheticFleet(
  sites: number,
  opts: { hosts?: number; maxHosts?: number } = {},
): EnvironmentInput[] {
  const max = opts.maxHosts ?? 30;
  return Array.from({ length: sites }, (_, i) => syntheticSite(i, opts.hosts ?? 3 + (i % (max - 2))));
}
