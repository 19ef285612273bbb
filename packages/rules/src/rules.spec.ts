import { describe, expect, it } from 'vitest';
import {
  type Environment,
  guideInput,
  type GuideInput,
  guideSecondSite,
  ISSUE_CODES,
  type IssueCode,
  type IssuePath,
  placeholder,
  type Severity,
} from '@osa-gitops/core';
import { validateFleet } from './fleet';
import { validateEnvironment, validateEnvironmentOrThrow } from './validate-environment';

/**
 * One fixture per rule (several for some): each is a single mutation of the valid guide
 * definition, so it fails only because of that rule. `issues` pins every issue of the code
 * (path and severity); `also` lists the other codes the mutation is allowed to cause, so a rule
 * that starts firing on unrelated input is caught too.
 */
interface RuleCase {
  readonly name: string;
  readonly code: IssueCode;
  readonly mutate: (d: GuideInput) => void;
  readonly issues: readonly { readonly path: IssuePath; readonly severity?: Severity }[];
  readonly also?: readonly IssueCode[];
}

/** Set a value at a path without the type system's help (fixtures write wrong types on purpose). */
function set(root: object, path: readonly (string | number)[], value: unknown): void {
  let cur = root as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

const at = (...path: (string | number)[]) => ({ path });

const RULE_CASES: readonly RuleCase[] = [
  // Rule 1: shape.
  {
    name: 'a host ip that is a number',
    code: 'SCHEMA_INVALID',
    mutate: (d) => set(d, ['hosts', 'infra1', 'ip'], 42),
    issues: [at('hosts', 'infra1', 'ip')],
  },
  {
    name: 'a missing required key',
    code: 'SCHEMA_INVALID',
    mutate: (d) => set(d, ['deploy'], undefined),
    issues: [at('deploy')],
  },
  {
    name: 'an enum value OSA does not know',
    code: 'SCHEMA_INVALID',
    mutate: (d) => set(d, ['providerNetworks', 0, 'type'], 'bridge'),
    issues: [at('providerNetworks', 0, 'type')],
  },
  {
    name: 'a fraction where a whole number belongs',
    code: 'SCHEMA_INVALID',
    mutate: (d) => set(d, ['hostNetworking', 'bond', 'mtu'], 1500.5),
    issues: [at('hostNetworking', 'bond', 'mtu')],
  },

  // A scaffold's placeholders (core's model/placeholder.ts), before anything else.
  {
    name: 'placeholders left from the scaffold, one inside another',
    code: 'PLACEHOLDER',
    mutate: (d) => {
      d.networks.container = placeholder(d.networks.container!);
      d.reserved.tunnel![0] = placeholder(d.reserved.tunnel![0]!);
      d.haproxy.vips = placeholder({ ...d.haproxy.vips, internal: placeholder(d.haproxy.vips.internal) });
    },
    issues: [
      at('haproxy', 'vips'),
      at('haproxy', 'vips', 'internal'),
      at('networks', 'container'),
      at('reserved', 'tunnel', 0),
    ],
  },

  // Ranges of numbers (core's bounds.ts), from the shape check: one code per kind.
  {
    name: 'a negative affinity (OSA reads it as 0)',
    code: 'AFFINITY_RANGE',
    mutate: (d) => (d.hosts.infra3!.affinity = { haproxy_container: -1 }),
    issues: [at('hosts', 'infra3', 'affinity', 'haproxy_container')],
  },
  {
    name: 'more containers on a host than a bridge has ports',
    code: 'AFFINITY_RANGE',
    mutate: (d) => (d.hosts.infra1!.affinity = { galera_container: 50_000_000 }),
    issues: [at('hosts', 'infra1', 'affinity', 'galera_container')],
  },
  {
    name: 'an MTU below what systemd-networkd applies on an IPv6 link',
    code: 'MTU_RANGE',
    mutate: (d) => set(d, ['hostNetworking', 'bond', 'mtu'], 576),
    issues: [at('hostNetworking', 'bond', 'mtu')],
  },
  {
    name: 'an MTU above the kernel’s maximum, and a container MTU of 0',
    code: 'MTU_RANGE',
    mutate: (d) => {
      set(d, ['haproxy', 'publicNetwork', 'mtu'], 65536);
      d.providerNetworks[0]!.mtu = 0;
    },
    issues: [at('haproxy', 'publicNetwork', 'mtu'), at('providerNetworks', 0, 'mtu')],
  },
  {
    name: 'a typo in a key',
    code: 'SCHEMA_UNKNOWN_KEY',
    mutate: (d) => set(d, ['haproxy', 'publicNetwork', 'gatway'], '203.0.113.129'),
    issues: [at('haproxy', 'publicNetwork', 'gatway')],
  },
  {
    name: 'a typo in a required key: one error that names the key meant',
    code: 'SCHEMA_UNKNOWN_KEY',
    mutate: (d) => {
      const pn = d.haproxy.publicNetwork as Record<string, unknown>;
      pn.gatway = pn.gateway;
      delete pn.gateway;
    },
    issues: [at('haproxy', 'publicNetwork', 'gatway')],
  },
  {
    name: 'OSA’s nested `network:` key written into the flat model',
    code: 'SCHEMA_UNKNOWN_KEY',
    mutate: (d) => set(d, ['providerNetworks', 1, 'network'], {}),
    issues: [at('providerNetworks', 1, 'network')],
  },

  // Rule 12: text safety, names, size.
  {
    name: 'Jinja in free text',
    code: 'UNSAFE_TEXT',
    mutate: (d) => (d.description = "{{ lookup('pipe', 'id') }}"),
    issues: [at('description')],
  },
  {
    name: 'a Jinja statement in a reserved entry',
    code: 'UNSAFE_TEXT',
    mutate: (d) => d.reserved.tunnel!.push('{% raw %}'),
    issues: [at('reserved', 'tunnel', 1)],
    also: ['RESERVED_FORMAT'],
  },
  {
    name: 'a Jinja comment in an unknown key (walked before zod drops anything)',
    code: 'UNSAFE_TEXT',
    mutate: (d) => set(d, ['deploy', '{# x #}'], 'y'),
    issues: [at('deploy', '{# x #}')],
    also: ['SCHEMA_UNKNOWN_KEY'],
  },
  {
    name: 'a line separator in the description',
    code: 'UNSAFE_TEXT',
    mutate: (d) => (d.description = 'line\u2028break'),
    issues: [at('description')],
  },
  {
    name: 'a bidi override in a record key',
    code: 'UNSAFE_TEXT',
    mutate: (d) => {
      d.hosts['infra\u202e4'] = { ip: '172.29.236.14', groups: ['compute_hosts'] };
    },
    issues: [at('hosts', 'infra\u202e4')],
    also: ['HOST_NAME_INVALID'],
  },
  {
    name: 'a NUL in a path',
    code: 'UNSAFE_TEXT',
    mutate: (d) => (d.deploy.osaDir = '/opt/openstack-ansible\u0000'),
    issues: [at('deploy', 'osaDir')],
    also: ['NAME_INVALID'],
  },
  {
    name: 'a site name that is not kebab-case',
    code: 'NAME_INVALID',
    mutate: (d) => (d.name = 'Guide_Lab'),
    issues: [at('name')],
  },
  {
    name: 'a site name longer than 32',
    code: 'NAME_INVALID',
    mutate: (d) => (d.name = 'a'.repeat(33)),
    issues: [at('name')],
  },
  {
    name: 'a YAML tag as network name',
    code: 'NAME_INVALID',
    mutate: (d) => {
      d.networks['!!python/object'] = '10.9.0.0/24';
    },
    issues: [at('networks', '!!python/object')],
  },
  {
    name: 'a group name with a space',
    code: 'NAME_INVALID',
    mutate: (d) => d.providerNetworks[2]!.groupBinds.push('glance api'),
    issues: [at('providerNetworks', 2, 'groupBinds', 4)],
  },
  {
    name: 'a config dir escaping with ..',
    code: 'NAME_INVALID',
    mutate: (d) => (d.deploy.configDir = '/etc/openstack_deploy/../../root'),
    issues: [at('deploy', 'configDir')],
  },
  {
    name: 'a relative osa dir',
    code: 'NAME_INVALID',
    mutate: (d) => (d.deploy.osaDir = 'opt/openstack-ansible'),
    issues: [at('deploy', 'osaDir')],
  },
  {
    name: 'a runner label with a space',
    code: 'NAME_INVALID',
    mutate: (d) => (d.deploy.runnerLabel = 'osa deploy'),
    issues: [at('deploy', 'runnerLabel')],
  },
  {
    name: 'more than 5,000 hosts',
    code: 'TOO_LARGE',
    mutate: (d) => {
      for (let i = 0; i < 5000; i++) d.hosts[`c${i}`] = { ip: '10.0.0.1', groups: ['compute_hosts'] };
    },
    issues: [at('hosts')],
  },
  {
    name: 'more than 64 networks',
    code: 'TOO_LARGE',
    mutate: (d) => {
      for (let i = 0; i < 61; i++) d.networks[`extra${i}`] = `10.${i}.0.0/16`;
    },
    issues: [at('networks')],
  },

  // Rule 2: addresses.
  {
    name: 'an address with a leading zero (octal in some parsers)',
    code: 'ADDRESS_INVALID',
    mutate: (d) => (d.haproxy.vips.internal = '172.29.236.009'),
    issues: [at('haproxy', 'vips', 'internal')],
  },
  {
    name: 'an IPv4-mapped IPv6 address',
    code: 'ADDRESS_INVALID',
    mutate: (d) => (d.haproxy.vips.external = '::ffff:203.0.113.140'),
    issues: [at('haproxy', 'vips', 'external')],
  },
  {
    name: 'a host ip with a prefix',
    code: 'ADDRESS_INVALID',
    mutate: (d) => (d.hosts.infra1!.ip = '172.29.236.11/22'),
    issues: [at('hosts', 'infra1', 'ip')],
  },
  {
    name: 'a static route gateway that is not an address',
    code: 'ADDRESS_INVALID',
    mutate: (d) => (d.providerNetworks[2]!.staticRoutes = [{ cidr: '10.0.0.0/8', gateway: 'gw' }]),
    issues: [at('providerNetworks', 2, 'staticRoutes', 0, 'gateway')],
  },
  {
    name: 'a network without prefix',
    code: 'CIDR_INVALID',
    mutate: (d) => (d.networks.storage = '172.29.244.0'),
    issues: [at('networks', 'storage')],
  },
  {
    name: 'an IPv6 network',
    code: 'CIDR_INVALID',
    mutate: (d) => (d.networks.storage = '2001:db8::/64'),
    issues: [at('networks', 'storage')],
  },
  {
    name: 'a prefix over 32',
    code: 'CIDR_INVALID',
    mutate: (d) => (d.networks.storage = '172.29.244.0/33'),
    issues: [at('networks', 'storage')],
  },
  {
    name: 'a static route destination that is not a CIDR',
    code: 'CIDR_INVALID',
    mutate: (d) => (d.providerNetworks[2]!.staticRoutes = [{ cidr: 'default', gateway: '172.29.244.1' }]),
    issues: [at('providerNetworks', 2, 'staticRoutes', 0, 'cidr')],
  },
  {
    name: 'a network with host bits (the guide’s .130/28 mistake)',
    code: 'CIDR_HOST_BITS',
    mutate: (d) => (d.networks.public_api = '203.0.113.130/28'),
    issues: [at('networks', 'public_api')],
  },
  {
    name: 'a static route destination with host bits',
    code: 'CIDR_HOST_BITS',
    mutate: (d) => (d.providerNetworks[2]!.staticRoutes = [{ cidr: '10.1.2.3/8', gateway: '172.29.244.1' }]),
    issues: [at('providerNetworks', 2, 'staticRoutes', 0, 'cidr')],
  },
  {
    name: 'a /31 network',
    code: 'CIDR_TOO_SMALL',
    mutate: (d) => {
      d.networks.storage = '172.29.244.0/31';
      delete d.reserved.storage;
    },
    issues: [at('networks', 'storage')],
  },
  {
    name: 'a /32 network',
    code: 'CIDR_TOO_SMALL',
    mutate: (d) => {
      d.networks.storage = '172.29.244.1/32';
      delete d.reserved.storage;
    },
    issues: [at('networks', 'storage')],
  },
  {
    name: 'a /0 network',
    code: 'CIDR_TOO_SMALL',
    mutate: (d) => {
      d.networks.storage = '0.0.0.0/0';
      delete d.reserved.storage;
    },
    issues: [at('networks', 'storage')],
  },
  {
    name: 'a network inside another',
    code: 'NETWORK_OVERLAP',
    mutate: (d) => {
      d.networks.storage = '172.29.238.0/23';
      delete d.reserved.storage;
    },
    issues: [at('networks', 'storage')],
  },
  {
    name: 'no container or management network',
    code: 'NETWORK_MISSING_MANAGEMENT',
    mutate: (d) => {
      d.networks = {
        mgmt: d.networks.container!,
        tunnel: d.networks.tunnel!,
        storage: d.networks.storage!,
        public_api: d.networks.public_api!,
      };
      d.reserved = { mgmt: d.reserved.container! };
      d.providerNetworks[0]!.ipFromQ = 'mgmt';
    },
    issues: [at('networks')],
  },

  // Rule 3: gateways.
  {
    name: 'a public gateway outside the public network',
    code: 'GATEWAY_OUTSIDE_NETWORK',
    mutate: (d) => (d.haproxy.publicNetwork.gateway = '203.0.113.145'),
    issues: [at('haproxy', 'publicNetwork', 'gateway')],
  },
  {
    name: 'a provider network gateway outside its ip_from_q network',
    code: 'GATEWAY_OUTSIDE_NETWORK',
    mutate: (d) => (d.providerNetworks[2]!.gateway = '172.29.236.1'),
    issues: [at('providerNetworks', 2, 'gateway')],
  },
  {
    name: 'a public gateway on the broadcast address',
    code: 'GATEWAY_RESERVED_ADDRESS',
    mutate: (d) => (d.haproxy.publicNetwork.gateway = '203.0.113.143'),
    issues: [at('haproxy', 'publicNetwork', 'gateway')],
  },
  {
    name: 'a static route via the network address',
    code: 'GATEWAY_RESERVED_ADDRESS',
    mutate: (d) => (d.providerNetworks[2]!.staticRoutes = [{ cidr: '10.0.0.0/8', gateway: '172.29.244.0' }]),
    issues: [at('providerNetworks', 2, 'staticRoutes', 0, 'gateway')],
  },
  {
    name: 'a static route via another network',
    code: 'STATIC_ROUTE_GATEWAY_OUTSIDE',
    mutate: (d) => (d.providerNetworks[2]!.staticRoutes = [{ cidr: '10.0.0.0/8', gateway: '172.29.236.1' }]),
    issues: [at('providerNetworks', 2, 'staticRoutes', 0, 'gateway')],
  },

  // Rule 4: VIPs.
  {
    name: 'an external VIP outside the public network',
    code: 'VIP_OUTSIDE_NETWORK',
    mutate: (d) => (d.haproxy.vips.external = '203.0.113.150'),
    issues: [at('haproxy', 'vips', 'external')],
  },
  {
    name: 'an internal VIP in the storage network',
    code: 'VIP_OUTSIDE_NETWORK',
    mutate: (d) => (d.haproxy.vips.internal = '172.29.244.9'),
    issues: [at('haproxy', 'vips', 'internal')],
  },
  {
    name: 'an external VIP on the network address',
    code: 'VIP_RESERVED_ADDRESS',
    mutate: (d) => (d.haproxy.vips.external = '203.0.113.128'),
    issues: [at('haproxy', 'vips', 'external')],
  },

  // Rule 5: collisions and reservations.
  {
    name: 'the internal VIP on a host’s address',
    code: 'ADDRESS_COLLISION',
    mutate: (d) => (d.haproxy.vips.internal = '172.29.236.11'),
    issues: [at('haproxy', 'vips', 'internal')],
  },
  {
    name: 'the external VIP on the gateway',
    code: 'ADDRESS_COLLISION',
    mutate: (d) => (d.haproxy.vips.external = '203.0.113.129'),
    issues: [at('haproxy', 'vips', 'external')],
  },
  {
    name: 'a management_ip equal to another host’s ip',
    code: 'ADDRESS_COLLISION',
    mutate: (d) => (d.hosts.infra2!.managementIp = '172.29.236.11'),
    issues: [at('hosts', 'infra2', 'managementIp')],
  },
  {
    name: 'a reserved range with a space (OSA crashes)',
    code: 'RESERVED_FORMAT',
    mutate: (d) => (d.reserved.public_api = ['203.0.113.140, 203.0.113.142']),
    issues: [at('reserved', 'public_api', 0)],
  },
  {
    name: 'a reserved CIDR (OSA ignores it silently)',
    code: 'RESERVED_FORMAT',
    mutate: (d) => (d.reserved.public_api = ['203.0.113.136/29']),
    issues: [at('reserved', 'public_api', 0)],
  },
  {
    name: 'a reserved entry in OSA’s comma form',
    code: 'RESERVED_FORMAT',
    mutate: (d) => (d.reserved.public_api = ['203.0.113.140,203.0.113.142']),
    issues: [at('reserved', 'public_api', 0)],
  },
  {
    name: 'a reserved entry that is not an address',
    code: 'RESERVED_FORMAT',
    mutate: (d) => (d.reserved.public_api = ['203.0.113.140-203.0.113.141-203.0.113.142']),
    issues: [at('reserved', 'public_api', 0)],
  },
  {
    name: 'a reserved range written backwards',
    code: 'RESERVED_RANGE_ORDER',
    mutate: (d) => (d.reserved.public_api = ['203.0.113.142-203.0.113.140']),
    issues: [at('reserved', 'public_api', 0)],
  },
  {
    name: 'a reserved range running past its network',
    code: 'RESERVED_OUTSIDE_NETWORK',
    mutate: (d) => (d.reserved.public_api = ['203.0.113.140-203.0.113.150']),
    issues: [at('reserved', 'public_api', 0)],
  },
  {
    name: 'an address reserved under another network',
    code: 'RESERVED_OUTSIDE_NETWORK',
    mutate: (d) => d.reserved.tunnel!.push('172.29.236.60'),
    issues: [at('reserved', 'tunnel', 1)],
  },
  {
    name: 'a reservation under an unknown network',
    code: 'RESERVED_UNKNOWN_NETWORK',
    mutate: (d) => (d.reserved.publicapi = ['203.0.113.141']),
    issues: [at('reserved', 'publicapi')],
  },

  // Rule 6: capacity.
  {
    name: 'a public pool fully reserved',
    code: 'POOL_EXHAUSTED',
    mutate: (d) => (d.reserved.public_api = ['203.0.113.130-203.0.113.142']),
    issues: [at('networks', 'public_api')],
  },
  {
    name: 'affinity asking for more containers than the pool holds',
    code: 'POOL_EXHAUSTED',
    mutate: (d) => (d.hosts.infra1!.affinity = { haproxy_container: 11 }),
    issues: [at('networks', 'public_api')],
  },
  {
    name: 'a public pool with one address to spare',
    code: 'POOL_NEARLY_EXHAUSTED',
    mutate: (d) => (d.reserved.public_api = ['203.0.113.134-203.0.113.142']),
    issues: [{ path: ['networks', 'public_api'], severity: 'warning' }],
  },

  // Rule 7: references.
  {
    name: 'the public VLAN on an undefined bond',
    code: 'REFERENCE_UNKNOWN',
    mutate: (d) => (d.haproxy.publicNetwork.bond = 'bond1'),
    issues: [at('haproxy', 'publicNetwork', 'bond')],
  },
  {
    name: 'no bond at all',
    code: 'REFERENCE_UNKNOWN',
    mutate: (d) => set(d, ['hostNetworking', 'bond'], undefined),
    issues: [at('haproxy', 'publicNetwork', 'bond')],
  },
  {
    name: 'an ip_from_q that is not a network (OSA: can’t find … in cidr_networks)',
    code: 'REFERENCE_UNKNOWN',
    mutate: (d) => (d.providerNetworks[2]!.ipFromQ = 'storag'),
    issues: [at('providerNetworks', 2, 'ipFromQ')],
  },
  {
    name: 'a public network name that is not a network',
    code: 'REFERENCE_UNKNOWN',
    mutate: (d) => {
      d.networks = {
        container: d.networks.container!,
        tunnel: d.networks.tunnel!,
        storage: d.networks.storage!,
      };
      delete d.reserved.public_api;
    },
    issues: [at('haproxy', 'publicNetwork', 'cidrName')],
  },
  {
    name: 'a typo in group_binds (OSA ignores it silently)',
    code: 'GROUP_UNKNOWN',
    mutate: (d) => (d.providerNetworks[2]!.groupBinds[0] = 'glance-apis'),
    issues: [at('providerNetworks', 2, 'groupBinds', 0)],
  },
  {
    name: 'an unknown reference_group',
    code: 'GROUP_UNKNOWN',
    mutate: (d) => (d.providerNetworks[1]!.referenceGroup = 'network_hostz'),
    issues: [at('providerNetworks', 1, 'referenceGroup')],
  },
  {
    name: 'an unknown host group',
    code: 'GROUP_UNKNOWN',
    mutate: (d) => (d.hosts.infra3!.groups = ['shared-infra_hosts', 'haproxy_hostz', 'haproxy_hosts']),
    issues: [at('hosts', 'infra3', 'groups', 1)],
  },
  {
    name: 'lxc_hosts defined',
    code: 'LXC_HOSTS_DEFINED',
    mutate: (d) => d.hosts.infra1!.groups.push('lxc_hosts'),
    issues: [at('hosts', 'infra1', 'groups', 3)],
  },
  {
    name: 'a neutron network on the public bridge bound beyond the haproxy hosts',
    code: 'BRIDGE_NOT_ON_HOST',
    mutate: (d) =>
      d.providerNetworks.push({
        bridge: 'br-public-api',
        type: 'flat',
        netName: 'public',
        groupBinds: ['neutron_ovn_gateway'],
      }),
    issues: [at('providerNetworks', 3, 'groupBinds', 0)],
  },
  {
    name: 'a host in load_balancer_hosts but not haproxy_hosts (gets a container, no public bridge)',
    code: 'BRIDGE_NOT_ON_HOST',
    mutate: (d) => (d.hosts.extra1 = { ip: '172.29.236.14', groups: ['load_balancer_hosts'] }),
    issues: [at('hosts', 'extra1', 'groups', 0)],
  },
  {
    name: 'a public network named like an inherited member (constructor)',
    code: 'REFERENCE_UNKNOWN',
    mutate: (d) => (d.haproxy.publicNetwork.cidrName = 'constructor'),
    issues: [at('haproxy', 'publicNetwork', 'cidrName')],
    also: ['VIP_OUTSIDE_NETWORK', 'GATEWAY_OUTSIDE_NETWORK'],
  },
  {
    name: 'an ip_from_q named like an inherited member (constructor)',
    code: 'REFERENCE_UNKNOWN',
    mutate: (d) => (d.providerNetworks[1]!.ipFromQ = 'constructor'),
    issues: [at('providerNetworks', 1, 'ipFromQ')],
  },
  {
    name: 'reserved addresses under a network named like an inherited member (constructor)',
    code: 'RESERVED_UNKNOWN_NETWORK',
    mutate: (d) => set(d, ['reserved', 'constructor'], ['10.0.0.1']),
    issues: [at('reserved', 'constructor')],
  },
  {
    name: 'a host whose own key is __proto__ (zod would turn it into the prototype)',
    code: 'HOST_NAME_INVALID',
    mutate: (d) =>
      Object.defineProperty(d.hosts, '__proto__', {
        value: { ip: '172.29.236.14', groups: ['compute_hosts'] },
        enumerable: true,
        writable: true,
        configurable: true,
      }),
    issues: [at('hosts', '__proto__')],
  },
  {
    name: 'a __proto__ key outside hosts',
    code: 'NAME_INVALID',
    mutate: (d) =>
      Object.defineProperty(d.networks, '__proto__', {
        value: '10.9.0.0/24',
        enumerable: true,
        writable: true,
        configurable: true,
      }),
    issues: [at('networks', '__proto__')],
  },
  {
    name: 'an affinity key that is no container_skel (OSA ignores it and creates the container)',
    code: 'AFFINITY_UNKNOWN',
    mutate: (d) => (d.hosts.infra3!.affinity = { haproxy: 0 }),
    issues: [at('hosts', 'infra3', 'affinity', 'haproxy')],
  },
  {
    name: 'a haproxy host without bond members',
    code: 'BOND_MEMBERS_MISSING',
    mutate: (d) => delete d.hosts.infra2!.bondMembers,
    issues: [at('hosts', 'infra2', 'bondMembers')],
  },
  {
    name: 'a raw container network without ip_from_q',
    code: 'PROVIDER_NETWORK_QUEUE_MISSING',
    mutate: (d) => delete d.providerNetworks[2]!.ipFromQ,
    issues: [at('providerNetworks', 2, 'ipFromQ')],
  },
  {
    name: 'two networks with one address key on one container',
    code: 'PROVIDER_NETWORK_QUEUE_DUPLICATE',
    mutate: (d) => (d.providerNetworks[2]!.addressPrefix = 'container'),
    issues: [at('providerNetworks', 2, 'addressPrefix')],
  },
  {
    name: 'a second network from the public queue reaching the haproxy container',
    code: 'PROVIDER_NETWORK_QUEUE_DUPLICATE',
    mutate: (d) =>
      d.providerNetworks.push({
        bridge: 'br-public-api',
        containerInterface: 'eth21',
        type: 'raw',
        ipFromQ: 'public_api',
        groupBinds: ['haproxy_all'],
      }),
    issues: [at('haproxy', 'publicNetwork', 'cidrName')],
  },
  {
    name: 'no management network',
    code: 'MANAGEMENT_NETWORK_INVALID',
    mutate: (d) => (d.providerNetworks[0]!.isManagementAddress = false),
    issues: [at('providerNetworks'), at('providerNetworks', 0, 'bridge')],
  },
  {
    name: 'two management networks',
    code: 'MANAGEMENT_NETWORK_INVALID',
    mutate: (d) => (d.providerNetworks[2]!.isManagementAddress = true),
    issues: [at('providerNetworks', 2, 'isManagementAddress')],
  },
  {
    name: 'a network on br-mgmt without is_management_address (OSA’s ProviderNetworkMisconfiguration)',
    code: 'MANAGEMENT_NETWORK_INVALID',
    mutate: (d) => (d.providerNetworks[2]!.bridge = 'br-mgmt'),
    issues: [at('providerNetworks', 2, 'bridge')],
  },
  {
    name: 'no haproxy hosts',
    code: 'NO_HAPROXY_HOSTS',
    mutate: (d) => {
      for (const h of Object.values(d.hosts)) h.groups = ['shared-infra_hosts'];
    },
    issues: [at('hosts')],
  },
  {
    name: 'haproxy hosts that all have affinity 0',
    code: 'NO_HAPROXY_HOSTS',
    mutate: (d) => {
      for (const h of Object.values(d.hosts)) h.affinity = { haproxy_container: 0 };
    },
    issues: [at('hosts')],
  },

  // Rule 8: interface names.
  {
    name: 'a colon in the bond name',
    code: 'INTERFACE_NAME_INVALID',
    mutate: (d) => {
      d.hostNetworking.bond.name = 'bond:0';
      d.haproxy.publicNetwork.bond = 'bond:0';
    },
    issues: [at('hostNetworking', 'bond', 'name')],
  },
  {
    name: 'a bridge name over 15 bytes',
    code: 'INTERFACE_NAME_INVALID',
    mutate: (d) => (d.providerNetworks[1]!.bridge = 'br-vxlan-overlay'),
    issues: [at('providerNetworks', 1, 'bridge')],
  },
  {
    name: 'a 15-character name that is 16 bytes in UTF-8',
    code: 'INTERFACE_NAME_INVALID',
    mutate: (d) => (d.haproxy.publicNetwork.vlanInterface = 'vlan-public-äp1'),
    issues: [at('haproxy', 'publicNetwork', 'vlanInterface')],
  },
  {
    name: 'a derived VLAN name over 15 bytes',
    code: 'INTERFACE_NAME_INVALID',
    mutate: (d) => {
      delete (d.haproxy.publicNetwork as { vlanInterface?: string }).vlanInterface;
      d.haproxy.publicNetwork.bridge = 'br-public-api1';
    },
    issues: [at('haproxy', 'publicNetwork', 'bridge')],
  },
  {
    name: 'a bond member named ..',
    code: 'INTERFACE_NAME_INVALID',
    mutate: (d) => (d.hosts.infra1!.bondMembers = { ens3: 'd2:25:83:e1:77:c8', '..': 'd2:25:83:e1:77:c9' }),
    issues: [at('hosts', 'infra1', 'bondMembers', '..')],
  },
  {
    name: 'a slash in host_bind_override',
    code: 'INTERFACE_NAME_INVALID',
    mutate: (d) => (d.providerNetworks[1]!.hostBindOverride = 'bond0/1'),
    issues: [at('providerNetworks', 1, 'hostBindOverride')],
  },
  {
    name: 'an empty container interface',
    code: 'INTERFACE_NAME_INVALID',
    mutate: (d) => (d.providerNetworks[2]!.containerInterface = ''),
    issues: [at('providerNetworks', 2, 'containerInterface')],
  },
  {
    name: 'a container interface over 6 characters',
    code: 'CONTAINER_INTERFACE_TOO_LONG',
    mutate: (d) => (d.haproxy.publicNetwork.containerInterface = 'eth-public'),
    issues: [at('haproxy', 'publicNetwork', 'containerInterface')],
  },
  {
    name: 'the public interface equal to the management one',
    code: 'CONTAINER_INTERFACE_DUPLICATE',
    mutate: (d) => (d.haproxy.publicNetwork.containerInterface = 'eth1'),
    issues: [at('haproxy', 'publicNetwork', 'containerInterface')],
  },
  {
    name: 'the public interface on the implicit eth0',
    code: 'CONTAINER_INTERFACE_DUPLICATE',
    mutate: (d) => (d.haproxy.publicNetwork.containerInterface = 'eth0'),
    issues: [at('haproxy', 'publicNetwork', 'containerInterface')],
  },

  // Rule 9: VLAN, MAC, durations.
  {
    name: 'VLAN 4095',
    code: 'VLAN_ID_RANGE',
    mutate: (d) => (d.haproxy.publicNetwork.vlan = 4095),
    issues: [at('haproxy', 'publicNetwork', 'vlan')],
  },
  {
    name: 'VLAN 0',
    code: 'VLAN_ID_RANGE',
    mutate: (d) => (d.haproxy.publicNetwork.vlan = 0),
    issues: [at('haproxy', 'publicNetwork', 'vlan')],
  },
  {
    name: 'a MAC with dashes',
    code: 'MAC_INVALID',
    mutate: (d) => (d.hosts.infra1!.bondMembers!.ens3 = 'd2-25-83-e1-77-c8'),
    issues: [at('hosts', 'infra1', 'bondMembers', 'ens3')],
  },
  {
    name: 'the guide’s multicast example MAC',
    code: 'MAC_MULTICAST',
    mutate: (d) => (d.hosts.infra1!.bondMembers!.ens3 = 'df:25:83:e1:77:c8'),
    issues: [at('hosts', 'infra1', 'bondMembers', 'ens3')],
  },
  {
    name: 'one MAC on two hosts (case-insensitive)',
    code: 'MAC_DUPLICATE',
    mutate: (d) => (d.hosts.infra2!.bondMembers!.ens3 = 'D2:25:83:E1:77:C8'),
    issues: [at('hosts', 'infra2', 'bondMembers', 'ens3')],
  },
  {
    name: 'the guide’s bare MIIMonitorSec: 100',
    code: 'DURATION_UNIT_MISSING',
    mutate: (d) => (d.hostNetworking.bond.miiMonitor = '100'),
    issues: [at('hostNetworking', 'bond', 'miiMonitor')],
  },
  {
    name: 'a duration with an unknown unit',
    code: 'DURATION_UNIT_MISSING',
    mutate: (d) => (d.hostNetworking.bond.miiMonitor = '100 jiffies'),
    issues: [at('hostNetworking', 'bond', 'miiMonitor')],
  },
  {
    name: 'an MII monitor under a millisecond (sent as 0: monitoring off)',
    code: 'DURATION_RANGE',
    mutate: (d) => (d.hostNetworking.bond.miiMonitor = '500us'),
    issues: [at('hostNetworking', 'bond', 'miiMonitor')],
  },
  {
    name: 'an MII monitor over the bonding driver’s 2^31 − 1 ms',
    code: 'DURATION_RANGE',
    mutate: (d) => (d.hostNetworking.bond.miiMonitor = '4w'),
    issues: [at('hostNetworking', 'bond', 'miiMonitor')],
  },

  // Rule 10: hosts.
  {
    name: 'a host name with an underscore',
    code: 'HOST_NAME_INVALID',
    mutate: (d) => {
      d.hosts.infra_4 = { ip: '172.29.236.14', groups: ['compute_hosts'] };
    },
    issues: [at('hosts', 'infra_4')],
  },
  {
    name: 'a haproxy host name over 34 characters (OSA’s 52-character container names)',
    code: 'HOST_NAME_TOO_LONG',
    mutate: (d) => {
      d.hosts['h'.repeat(35)] = d.hosts.infra3!;
      delete d.hosts.infra3;
    },
    issues: [at('hosts', 'h'.repeat(35))],
  },
  {
    name: 'a metal host name over 63 characters',
    code: 'HOST_NAME_TOO_LONG',
    mutate: (d) => {
      d.hosts['c'.repeat(64)] = { ip: '172.29.236.21', groups: ['compute_hosts'] };
    },
    issues: [at('hosts', 'c'.repeat(64))],
  },
  {
    name: 'a provider network range OSA would copy into neutron as it is (provider-network-range.spec.ts has the rest)',
    code: 'PROVIDER_RANGE_INVALID',
    mutate: (d) => {
      const vxlan = d.providerNetworks.find((n) => n.type === 'vxlan');
      if (vxlan === undefined) throw new Error('the guide has a vxlan network');
      vxlan.range = '1:1000 $(id)';
    },
    issues: [at('providerNetworks', 1, 'range')],
  },
  {
    name: 'an external router id the gateways already use on the public VLAN (router-ids-in-use.spec.ts has the rest)',
    code: 'KEEPALIVED_ROUTER_ID_IN_USE',
    mutate: (d) => {
      Object.assign(d.haproxy, {
        keepalived: {
          externalRouterId: 10,
          internalRouterId: 11,
          routerIdsInUse: { external: [1, 10] },
        },
      });
    },
    issues: [at('haproxy', 'keepalived', 'externalRouterId')],
  },
  {
    name: 'a host named like a group of OSA (reserved-names.spec.ts has the rest)',
    code: 'HOST_NAME_RESERVED',
    mutate: (d) => {
      d.hosts.haproxy = { ip: '172.29.236.21', groups: ['compute_hosts'] };
    },
    issues: [at('hosts', 'haproxy')],
  },
  {
    name: 'two hosts with one ip',
    code: 'HOST_IP_DUPLICATE',
    mutate: (d) => (d.hosts.infra2!.ip = '172.29.236.11'),
    issues: [at('hosts', 'infra2', 'ip')],
  },
  {
    name: 'a host ip in the tunnel network',
    code: 'HOST_OUTSIDE_MANAGEMENT',
    mutate: (d) => (d.hosts.infra3!.ip = '172.29.240.13'),
    issues: [at('hosts', 'infra3', 'ip')],
  },

  // Rule 11: keepalived.
  {
    name: 'a router id over 255',
    code: 'VRID_RANGE',
    mutate: (d) => (d.haproxy.keepalived.externalRouterId = 256),
    issues: [at('haproxy', 'keepalived', 'externalRouterId')],
  },
  {
    name: 'router id 0',
    code: 'VRID_RANGE',
    mutate: (d) => (d.haproxy.keepalived.internalRouterId = 0),
    issues: [at('haproxy', 'keepalived', 'internalRouterId')],
  },
  {
    name: 'equal router ids',
    code: 'VRID_EQUAL',
    mutate: (d) => (d.haproxy.keepalived.internalRouterId = 10),
    issues: [{ path: ['haproxy', 'keepalived', 'internalRouterId'], severity: 'warning' }],
  },
  {
    name: 'an internal ping address on the public network',
    code: 'KEEPALIVED_PING_OUTSIDE_NETWORK',
    mutate: (d) => Object.assign(d.haproxy.keepalived, { internalPingAddress: '203.0.113.129' }),
    issues: [at('haproxy', 'keepalived', 'internalPingAddress')],
  },
  {
    name: 'an external VIP name that is an address',
    code: 'DNS_NAME_INVALID',
    mutate: (d) => Object.assign(d.haproxy.vips, { externalName: '203.0.113.140' }),
    issues: [at('haproxy', 'vips', 'externalName')],
  },
  {
    name: 'an external VIP name with an underscore',
    code: 'DNS_NAME_INVALID',
    mutate: (d) => Object.assign(d.haproxy.vips, { externalName: 'cloud_api.example.com' }),
    issues: [at('haproxy', 'vips', 'externalName')],
  },
  {
    name: 'one haproxy host',
    code: 'SINGLE_HAPROXY_HOST',
    mutate: (d) => {
      delete d.hosts.infra2;
      delete d.hosts.infra3;
    },
    issues: [{ path: ['hosts'], severity: 'warning' }],
  },

  // Rules 7–9 for the bond's further VLANs (hostNetworking.vlans); each mutates bondVlans().
  {
    name: 'the management VLAN without the host address (br-mgmt would lose it: host cut off)',
    code: 'MANAGEMENT_NETWORK_INVALID',
    mutate: (d) => withVlans(d, (v) => (v[0]!.address = 'none')),
    issues: [at('hostNetworking', 'vlans', 0, 'address')],
  },
  {
    name: 'a management_ip outside the management network',
    code: 'HOST_OUTSIDE_MANAGEMENT',
    mutate: (d) => ((d.hosts.infra1 as { managementIp?: string }).managementIp = '10.99.0.5'),
    issues: [at('hosts', 'infra1', 'managementIp')],
    also: ['ADDRESS_COLLISION', 'RESERVED_OUTSIDE_NETWORK'],
  },
  {
    name: 'a hosts’ gateway outside the management network',
    code: 'GATEWAY_OUTSIDE_NETWORK',
    mutate: (d) => withVlans(d, (v) => ((v[0] as { gateway?: string }).gateway = '10.99.0.1')),
    issues: [at('hostNetworking', 'vlans', 0, 'gateway')],
    also: ['RESERVED_OUTSIDE_NETWORK'],
  },
  {
    name: 'a hosts’ gateway on a VLAN without the host address',
    code: 'MANAGEMENT_NETWORK_INVALID',
    mutate: (d) => withVlans(d, (v) => ((v[2] as { gateway?: string }).gateway = '172.29.236.60')),
    issues: [at('hostNetworking', 'vlans', 2, 'gateway')],
  },
  {
    name: 'a DNS server that is no address',
    code: 'ADDRESS_INVALID',
    mutate: (d) => withVlans(d, (v) => ((v[0] as { dns?: string[] }).dns = ['dns.example'])),
    issues: [at('hostNetworking', 'vlans', 0, 'dns', 0)],
  },
  {
    name: 'a bond VLAN 4095',
    code: 'VLAN_ID_RANGE',
    mutate: (d) => withVlans(d, (v) => (v[1]!.id = 4095)),
    issues: [at('hostNetworking', 'vlans', 1, 'id')],
  },
  {
    name: 'a bond VLAN with the public VLAN’s id',
    code: 'VLAN_ID_DUPLICATE',
    mutate: (d) => withVlans(d, (v) => (v[2]!.id = 40)),
    issues: [at('hostNetworking', 'vlans', 2, 'id')],
  },
  {
    name: 'two bond VLANs with one id',
    code: 'VLAN_ID_DUPLICATE',
    mutate: (d) => withVlans(d, (v) => (v[2]!.id = 10)),
    issues: [at('hostNetworking', 'vlans', 2, 'id')],
  },
  {
    name: 'a bond VLAN name with a colon',
    code: 'INTERFACE_NAME_INVALID',
    mutate: (d) => withVlans(d, (v) => (v[0]!.name = 'vlan:10')),
    issues: [at('hostNetworking', 'vlans', 0, 'name')],
  },
  {
    name: 'a bond VLAN name derived from a bridge, over 15 bytes',
    code: 'INTERFACE_NAME_INVALID',
    mutate: (d) => withVlans(d, (v) => (v[2]!.bridge = 'br-storage-east')),
    issues: [at('hostNetworking', 'vlans', 2, 'bridge')],
    also: ['HOST_BRIDGE_MAYBE_MISSING', 'HOST_BRIDGE_MAYBE_UNUSED'],
  },
  {
    name: 'a bond VLAN on the public bridge',
    code: 'HOST_INTERFACE_DUPLICATE',
    mutate: (d) => withVlans(d, (v) => (v[1]!.bridge = 'br-public-api')),
    issues: [at('hostNetworking', 'vlans', 1, 'bridge')],
    also: ['HOST_BRIDGE_MAYBE_MISSING'],
  },
  {
    name: 'two bond VLANs feeding one bridge',
    code: 'HOST_INTERFACE_DUPLICATE',
    mutate: (d) =>
      withVlans(d, (v) => {
        v[2]!.bridge = 'br-vxlan';
        v[2]!.name = 'vlan-vxlan2';
      }),
    issues: [at('hostNetworking', 'vlans', 2, 'bridge')],
    also: ['HOST_BRIDGE_MAYBE_MISSING'],
  },
  {
    name: 'a bond VLAN named like a bond member',
    code: 'HOST_INTERFACE_DUPLICATE',
    mutate: (d) => withVlans(d, (v) => (v[0]!.name = 'ens3')),
    // One per host: each names that host's member (another place each time).
    issues: [
      at('hostNetworking', 'vlans', 0, 'name'),
      at('hostNetworking', 'vlans', 0, 'name'),
      at('hostNetworking', 'vlans', 0, 'name'),
    ],
  },
  {
    name: 'a bond member named like the bond',
    code: 'HOST_INTERFACE_DUPLICATE',
    mutate: (d) => (d.hosts.infra2!.bondMembers = { bond0: '02:25:83:e1:78:c8', ens6: '02:25:83:e1:78:c9' }),
    issues: [at('hosts', 'infra2', 'bondMembers', 'bond0')],
  },
  {
    name: 'a public VLAN interface named like the public bridge',
    code: 'HOST_INTERFACE_DUPLICATE',
    mutate: (d) => (d.haproxy.publicNetwork.vlanInterface = 'br-public-api'),
    issues: [at('haproxy', 'publicNetwork', 'bridge')],
  },
  {
    name: 'bond VLANs without a bond',
    code: 'REFERENCE_UNKNOWN',
    mutate: (d) =>
      withVlans(d, () => {
        set(d, ['hostNetworking', 'bond'], undefined);
      }),
    issues: [at('haproxy', 'publicNetwork', 'bond'), at('hostNetworking', 'vlans')],
  },
  {
    name: 'the host ip on a bridge that is no provider network’s',
    code: 'REFERENCE_UNKNOWN',
    mutate: (d) =>
      withVlans(d, (v) => {
        v[0]!.bridge = 'br-host';
      }),
    issues: [at('hostNetworking', 'vlans', 0, 'bridge')],
    also: ['HOST_BRIDGE_MAYBE_MISSING', 'HOST_BRIDGE_MAYBE_UNUSED'],
  },
  {
    name: 'the host ip on the storage bridge',
    code: 'MANAGEMENT_NETWORK_INVALID',
    mutate: (d) =>
      withVlans(d, (v) => {
        v[0]!.address = 'none';
        v[2]!.address = 'host-ip';
      }),
    // br-mgmt now lacks the address, and br-storage has it where it does not belong.
    issues: [at('hostNetworking', 'vlans', 0, 'address'), at('hostNetworking', 'vlans', 2, 'bridge')],
  },
  {
    name: 'the host ip on two bridges',
    code: 'MANAGEMENT_NETWORK_INVALID',
    mutate: (d) => withVlans(d, (v) => (v[1]!.address = 'host-ip')),
    issues: [at('hostNetworking', 'vlans', 1, 'address')],
  },
  {
    name: 'a jumbo bond VLAN on a bond at the default MTU',
    code: 'VLAN_MTU_ABOVE_BOND',
    mutate: (d) => withVlans(d, (v) => Object.assign(v[1]!, { mtu: 9001 })),
    issues: [at('hostNetworking', 'vlans', 1, 'mtu')],
  },
  {
    name: 'a jumbo public network on a bond at the default MTU',
    code: 'VLAN_MTU_ABOVE_BOND',
    mutate: (d) => Object.assign(d.haproxy.publicNetwork, { mtu: 9000 }),
    issues: [at('haproxy', 'publicNetwork', 'mtu')],
  },
  {
    name: 'an address mode the model does not know',
    code: 'SCHEMA_INVALID',
    mutate: (d) => withVlans(d, (v) => (v[1]!.address = 'dhcp' as 'none')),
    issues: [at('hostNetworking', 'vlans', 1, 'address')],
  },
  // networkd file names to take over (networkd-filenames.ts).
  {
    name: 'a networkd file name that climbs out of /etc/systemd/network',
    code: 'NETWORKD_FILENAME_INVALID',
    mutate: (d) => set(d, ['hostNetworking', 'networkdFilenames'], { bond0: '../../etc/cron.d/x' }),
    issues: [at('hostNetworking', 'networkdFilenames', 'bond0')],
  },
  {
    name: 'a networkd file name with its extension',
    code: 'NETWORKD_FILENAME_INVALID',
    mutate: (d) => set(d, ['hosts', 'infra1', 'networkdFilenames'], { ens3: '05-generic-ens3.network' }),
    issues: [at('hosts', 'infra1', 'networkdFilenames', 'ens3')],
  },
  {
    name: 'a networkd file name for an interface no host builds',
    code: 'REFERENCE_UNKNOWN',
    mutate: (d) => set(d, ['hostNetworking', 'networkdFilenames'], { ens9: '05-generic-ens9' }),
    issues: [at('hostNetworking', 'networkdFilenames', 'ens9')],
  },
  {
    name: 'a host networkd file name for an interface the host does not build',
    code: 'REFERENCE_UNKNOWN',
    mutate: (d) => set(d, ['hosts', 'infra2', 'networkdFilenames'], { 'br-mgmt': '11-openstack-br-mgmt' }),
    issues: [at('hosts', 'infra2', 'networkdFilenames', 'br-mgmt')],
  },
  {
    name: 'two bond members in one networkd file',
    code: 'NETWORKD_FILENAME_DUPLICATE',
    mutate: (d) => set(d, ['hosts', 'infra1', 'networkdFilenames'], { ens6: '05-osa-gitops-ens3' }),
    issues: [at('hosts', 'infra1', 'networkdFilenames', 'ens6')],
  },

  // The whole chain (host-bridges.ts, external-bridges.ts): bridges the hosts need, and have.
  {
    name: 'br-storage renamed br-stor on a complete bond: the storage containers’ bridge is missing',
    code: 'HOST_BRIDGE_MISSING',
    mutate: (d) => {
      withVlans(d, (v) => (v[2]!.bridge = 'br-stor'));
      complete(d);
    },
    // pointed at the near name (did you mean)
    issues: [at('hostNetworking', 'vlans', 2, 'bridge')],
    also: ['HOST_BRIDGE_UNUSED'],
  },
  {
    name: 'br-storage renamed br-stor on a complete bond: br-stor is used by nothing',
    code: 'HOST_BRIDGE_UNUSED',
    mutate: (d) => {
      withVlans(d, (v) => (v[2]!.bridge = 'br-stor'));
      complete(d);
    },
    issues: [at('hostNetworking', 'vlans', 2, 'bridge')],
    also: ['HOST_BRIDGE_MISSING'],
  },
  {
    name: 'the management VLAN dropped from a complete bond',
    code: 'HOST_BRIDGE_MISSING',
    mutate: (d) => {
      withVlans(d, (v) => v.splice(0, 1));
      complete(d);
    },
    issues: [at('hostNetworking', 'vlans')],
    also: ['HOST_MANAGEMENT_UNMODELLED'],
  },
  {
    name: 'the management VLAN dropped from a complete bond: the host address is on nothing modelled',
    code: 'HOST_MANAGEMENT_UNMODELLED',
    mutate: (d) => {
      withVlans(d, (v) => v.splice(0, 1));
      complete(d);
    },
    issues: [at('hostNetworking', 'complete')],
    also: ['HOST_BRIDGE_MISSING'],
  },
  {
    name: 'complete, with br-mgmt outside the bond but the host ip on none of it',
    code: 'HOST_MANAGEMENT_UNMODELLED',
    mutate: (d) => {
      d.hostNetworking.externalBridges![0]!.address = 'none';
      complete(d);
    },
    issues: [at('hostNetworking', 'complete')],
  },
  {
    name: 'the storage VLAN dropped from a bond not declared complete',
    code: 'HOST_BRIDGE_MAYBE_MISSING',
    mutate: (d) => withVlans(d, (v) => v.splice(2, 1)),
    issues: [{ path: ['hostNetworking', 'vlans'], severity: 'warning' }],
  },
  {
    name: 'br-mgmt neither on the bond nor declared outside it',
    code: 'HOST_BRIDGE_MAYBE_MISSING',
    mutate: (d) => set(d, ['hostNetworking', 'externalBridges'], undefined),
    issues: [{ path: ['hostNetworking', 'vlans'], severity: 'warning' }],
  },
  {
    name: 'a declared external bridge nothing uses',
    code: 'HOST_BRIDGE_MAYBE_UNUSED',
    mutate: (d) => d.hostNetworking.externalBridges!.push({ bridge: 'br-storage', interface: 'ens7' }),
    issues: [{ path: ['hostNetworking', 'externalBridges', 1, 'bridge'], severity: 'warning' }],
  },
  {
    name: 'an external bridge the bond builds too',
    code: 'HOST_INTERFACE_DUPLICATE',
    mutate: (d) => {
      withVlans(d, () => undefined);
      set(d, ['hostNetworking', 'externalBridges'], [{ bridge: 'br-storage' }]);
    },
    issues: [at('hostNetworking', 'externalBridges', 0, 'bridge')],
  },
  {
    name: 'an external bridge fed by a bond member',
    code: 'HOST_INTERFACE_DUPLICATE',
    mutate: (d) => (d.hostNetworking.externalBridges![0]!.interface = 'ens3'),
    issues: [at('hostNetworking', 'externalBridges', 0, 'interface')],
  },
  {
    name: 'an external bridge name with a colon',
    code: 'INTERFACE_NAME_INVALID',
    mutate: (d) => (d.hostNetworking.externalBridges![0]!.interface = 'ens2:1'),
    issues: [at('hostNetworking', 'externalBridges', 0, 'interface')],
  },
  {
    name: 'the host ip on an external bridge that is not br-mgmt',
    code: 'MANAGEMENT_NETWORK_INVALID',
    mutate: (d) => d.hostNetworking.externalBridges!.push({ bridge: 'br-storage', address: 'host-ip' }),
    issues: [at('hostNetworking', 'externalBridges', 1, 'address')],
    also: ['HOST_BRIDGE_MAYBE_UNUSED'],
  },
  {
    name: 'the host ip on the bond’s br-mgmt and on an external bridge',
    code: 'MANAGEMENT_NETWORK_INVALID',
    mutate: (d) => {
      withVlans(d, () => undefined);
      set(d, ['hostNetworking', 'externalBridges'], [{ bridge: 'br-mgmt', address: 'host-ip' }]);
    },
    issues: [at('hostNetworking', 'externalBridges', 0, 'address')],
    also: ['HOST_INTERFACE_DUPLICATE'],
  },
];

/** Declare the bonded hosts' networking complete (hostNetworking.complete). */
function complete(d: GuideInput): void {
  Object.assign(d.hostNetworking, { complete: true });
}

/** The VLANs a two-NIC host's bond carries besides the public one (VLAN 40 in the guide). */
function bondVlans(): { id: number; name?: string; bridge: string; address?: 'host-ip' | 'none' }[] {
  return [
    { id: 10, bridge: 'br-mgmt', address: 'host-ip' },
    { id: 30, bridge: 'br-vxlan', mtu: 9000 } as { id: number; bridge: string },
    { id: 20, bridge: 'br-storage' },
  ];
}

/** Give the fixture bondVlans(), edited by `edit`. */
function withVlans(d: GuideInput, edit: (vlans: ReturnType<typeof bondVlans>) => void): void {
  // br-vxlan's 9000 needs a bond at least as large (VLAN_MTU_ABOVE_BOND); `edit` may drop the bond.
  set(d, ['hostNetworking', 'bond', 'mtu'], 9000);
  const vlans = bondVlans();
  edit(vlans);
  set(d, ['hostNetworking', 'vlans'], vlans);
  // br-mgmt now sits on the bond, and the hosts run what uses br-storage (glance) and br-vxlan
  // (the OVN gateway), as a two-NIC host's bond carries everything (environments/dc-east).
  set(d, ['hostNetworking', 'externalBridges'], undefined);
  for (const h of Object.values(d.hosts)) h.groups = [...h.groups, 'os-infra_hosts', 'network-gateway_hosts'];
}

describe('the base fixture', () => {
  it('is valid and clean', () => {
    const result = validateEnvironment(guideInput());
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('is valid and clean with the VLANs of a two-NIC bond (br-mgmt with the host ip, vxlan, storage)', () => {
    const input = guideInput();
    withVlans(input, () => undefined);
    const result = validateEnvironment(input);
    expect(result.issues).toEqual([]);
    expect(result.environment?.hostNetworking.vlans?.[1]).toEqual({
      id: 30,
      bridge: 'br-vxlan',
      address: 'none',
      mtu: 9000,
    });
  });
});

describe.each(RULE_CASES.map((c) => [c.code, c.name, c] as const))('%s: %s', (code, _, c) => {
  const input = guideInput();
  c.mutate(input);
  const result = validateEnvironment(input);

  it('reports the issue at its path with its severity', () => {
    const expected = c.issues.map((i) => ({ code, path: i.path, severity: i.severity ?? 'error' }));
    expect(result.issues.filter((i) => i.code === code)).toMatchObject(expected);
    if (expected.some((i) => i.severity === 'error')) expect(result.ok).toBe(false);
  });

  it('reports nothing unrelated', () => {
    const allowed = new Set<IssueCode>([code, ...(c.also ?? [])]);
    expect(result.issues.filter((i) => !allowed.has(i.code))).toEqual([]);
  });

  it('says what was expected', () => {
    for (const i of result.issues.filter((x) => x.code === code)) expect(i.message).toMatch(/expected/i);
  });
});

/**
 * Fleet fixtures: each input is a valid site on its own (checked below); together they break one
 * fleet rule. A conflict is reported on both sites (a duplicate name is one issue).
 */
interface FleetCase {
  readonly name: string;
  readonly code: IssueCode;
  readonly sites: () => GuideInput[];
  readonly issues: readonly { readonly site: string; readonly path: IssuePath }[];
}

const FLEET_CASES: readonly FleetCase[] = [
  {
    name: 'one site name twice',
    code: 'FLEET_DUPLICATE_SITE',
    sites: () => {
      const b = guideInput();
      b.routingDomain = 'elsewhere';
      b.haproxy.vips = { external: '203.0.113.141', internal: '172.29.236.8' };
      Object.values(b.hosts).forEach((h, i) => (h.bondMembers = { ens3: `02:99:00:00:0${i}:01` }));
      return [guideInput(), b];
    },
    issues: [{ site: 'guide-lab', path: ['name'] }],
  },
  {
    name: 'bond member MACs copied from another site',
    code: 'FLEET_MAC_DUPLICATE',
    sites: () => {
      const b = guideSecondSite();
      b.hosts['two-infra2']!.bondMembers = { ...guideInput().hosts.infra1!.bondMembers };
      return [guideInput(), b];
    },
    issues: [
      { site: 'guide-lab', path: ['hosts', 'infra1', 'bondMembers', 'ens3'] },
      { site: 'guide-lab', path: ['hosts', 'infra1', 'bondMembers', 'ens6'] },
      { site: 'lab-two', path: ['hosts', 'two-infra2', 'bondMembers', 'ens3'] },
      { site: 'lab-two', path: ['hosts', 'two-infra2', 'bondMembers', 'ens6'] },
    ],
  },
  {
    name: 'public networks overlapping in one routing domain',
    code: 'FLEET_NETWORK_OVERLAP',
    sites: () => {
      const b = guideSecondSite();
      b.networks.public_api = '203.0.113.128/27';
      return [guideInput(), b];
    },
    issues: [
      { site: 'guide-lab', path: ['networks', 'public_api'] },
      { site: 'lab-two', path: ['networks', 'public_api'] },
    ],
  },
  {
    name: 'one external VIP in two sites of different routing domains',
    code: 'FLEET_VIP_DUPLICATE',
    sites: () => {
      const b = guideSecondSite();
      b.routingDomain = 'elsewhere';
      b.networks.public_api = '203.0.113.128/28';
      b.reserved.public_api = ['203.0.113.140-203.0.113.142'];
      b.haproxy.publicNetwork.gateway = '203.0.113.129';
      b.haproxy.vips.external = '203.0.113.140';
      return [guideInput(), b];
    },
    issues: [
      { site: 'guide-lab', path: ['haproxy', 'vips', 'external'] },
      { site: 'lab-two', path: ['haproxy', 'vips', 'external'] },
    ],
  },
  {
    name: 'OSA’s default router ids twice on one public segment',
    code: 'FLEET_VRID_CONFLICT',
    sites: () => {
      const a = guideInput();
      const b = guideSecondSite();
      Object.assign(a, { publicSegment: 'edge-a' });
      Object.assign(b, { publicSegment: 'edge-a' });
      return [a, b];
    },
    // Only the external instance shares the public VLAN; internal ids are per management network.
    issues: [
      { site: 'guide-lab', path: ['haproxy', 'keepalived', 'externalRouterId'] },
      { site: 'lab-two', path: ['haproxy', 'keepalived', 'externalRouterId'] },
    ],
  },
  {
    name: 'a new site naming an existing site’s deploy runner',
    code: 'FLEET_RUNNER_LABEL_DUPLICATE',
    sites: () => {
      const b = guideSecondSite();
      b.deploy.runnerLabel = 'osa-deploy-guide-lab';
      return [guideInput(), b];
    },
    issues: [
      { site: 'guide-lab', path: ['deploy', 'runnerLabel'] },
      { site: 'lab-two', path: ['deploy', 'runnerLabel'] },
    ],
  },
];

describe.each(FLEET_CASES.map((c) => [c.code, c.name, c] as const))('%s: %s', (code, _, c) => {
  const inputs = c.sites();

  it('uses sites that are valid on their own', () => {
    for (const input of inputs) expect(validateEnvironment(input).issues).toEqual([]);
  });

  it('reports the issue on the sites in conflict, and nothing else', () => {
    const envs: Environment[] = inputs.map((input) => validateEnvironmentOrThrow(input));
    const issues = validateFleet(envs);
    expect(issues).toMatchObject(c.issues.map((i) => ({ code, severity: 'error', ...i })));
    for (const i of issues) expect(i.message).toMatch(/expected/i);
  });
});

describe('rule coverage', () => {
  const loaderCodes = (code: string): boolean => code.startsWith('LOAD_') || code === 'SITE_NAME_MISMATCH';

  it('has a failing fixture for every issue code validation owns', () => {
    const covered = new Set<string>([
      ...RULE_CASES.map((c) => c.code),
      ...FLEET_CASES.map((c) => c.code),
      // No definition makes a correct rule throw: internal-error.spec.ts replaces a rule to show it.
      'INTERNAL_ERROR',
    ]);
    const missing = Object.keys(ISSUE_CODES).filter((code) => !loaderCodes(code) && !covered.has(code));
    expect(missing).toEqual([]);
  });

  it('uses each code with its registered severity', () => {
    for (const c of RULE_CASES) {
      for (const i of c.issues) expect(i.severity ?? 'error').toBe(ISSUE_CODES[c.code][0]);
    }
  });
});

describe('messages', () => {
  const messages = (caseName: string): string[] => {
    const c = RULE_CASES.find((x) => x.name === caseName)!;
    const input = guideInput();
    c.mutate(input);
    return validateEnvironment(input)
      .issues.filter((i) => i.code === c.code)
      .map((i) => i.message);
  };

  it('explain the OSA traps they guard', () => {
    expect(messages('a reserved CIDR (OSA ignores it silently)')).toMatchInlineSnapshot(`
      [
        ""203.0.113.136/29" is a CIDR; expected an address \`a.b.c.d\` or a range \`a.b.c.d-e.f.g.h\`: write 203.0.113.136-203.0.113.143. OSA silently ignores a CIDR in used_ips and reserves nothing (docs/osa-facts.md#used-ips)",
      ]
    `);
    expect(messages('a reserved range with a space (OSA crashes)')).toMatchInlineSnapshot(`
      [
        ""203.0.113.140, 203.0.113.142" contains whitespace; expected an address \`a.b.c.d\` or a range \`a.b.c.d-e.f.g.h\`. OSA crashes on spaces in used_ips (AddrFormatError, docs/osa-facts.md#used-ips)",
      ]
    `);
    expect(messages('the guide’s multicast example MAC')).toMatchInlineSnapshot(`
      [
        "df:25:83:e1:77:c8 has the multicast bit set (lowest bit of the first octet), so no NIC has it; expected a unicast MAC. The OSA guide's example df:25:83:e1:77:c8 has this bit set (docs/osa-facts.md#mac-addresses)",
      ]
    `);
    expect(messages('the guide’s bare MIIMonitorSec: 100')).toMatchInlineSnapshot(`
      [
        ""100" has no unit, and systemd reads a bare number as seconds; expected a unit such as 100ms. The OSA guide's MIIMonitorSec: 100 is 100 seconds (docs/osa-facts.md#time-spans)",
      ]
    `);
    expect(messages('a typo in group_binds (OSA ignores it silently)')).toMatchInlineSnapshot(`
      [
        "group "glance-apis" is not an OSA inventory group; expected a group of OSA's env.d such as haproxy or all_containers. OSA silently ignores unknown group_binds, so the network would never be attached (docs/osa-facts.md#provider-networks)",
      ]
    `);
    expect(messages('a public pool fully reserved')).toMatchInlineSnapshot(`
      [
        "pool "public_api" is too small: 203.0.113.128/28 has 14 usable addresses, 14 reserved or assigned, 0 free, and OSA allocates 3 haproxy container address(es) from it; expected at least 3 free. OSA would fail with "Cannot retrieve requested amount of IP addresses" (docs/osa-facts.md#generator-errors)",
      ]
    `);
    expect(messages('a haproxy host name over 34 characters (OSA’s 52-character container names)'))
      .toMatchInlineSnapshot(`
      [
        "haproxy host name hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh is 35 characters; expected at most 34, because OSA refuses container names where "<host>-haproxy-container" is longer than 52 characters (docs/osa-facts.md#name-lengths)",
      ]
    `);
    expect(
      messages('a network on br-mgmt without is_management_address (OSA’s ProviderNetworkMisconfiguration)'),
    ).toMatchInlineSnapshot(`
      [
        "provider network 2 (br-mgmt) uses the management bridge "br-mgmt" without isManagementAddress: true; expected the flag or another bridge. OSA fails with ProviderNetworkMisconfiguration (docs/osa-facts.md#generator-errors)",
      ]
    `);
  });

  it('say where the host ip may go and why a duplicate name is lost', () => {
    expect(messages('the host ip on the storage bridge')).toMatchInlineSnapshot(`
      [
        "VLAN 10 feeds the management bridge "br-mgmt" without the host's management address; expected address: 'host-ip', or openstack-hosts-setup would leave br-mgmt without an address and the host unreachable",
        "bridge "br-storage" gets the host's ip but is not the management network's bridge; expected the management bridge "br-mgmt" (managementBridge, the provider network with isManagementAddress: true), because the host's ip is its management address",
      ]
    `);
    expect(messages('a bond VLAN on the public bridge')).toMatchInlineSnapshot(`
      [
        ""br-public-api" (the bridge of hostNetworking.vlans[1]) is already the public bridge (haproxy.publicNetwork.bridge) on infra1 and 2 more host(s); expected a netdev name of its own on each host, because systemd-networkd builds only the first netdev of a name and applies only the first .network matching an interface",
      ]
    `);
  });

  it('suggest the key a typo meant, once', () => {
    expect(messages('a typo in a required key: one error that names the key meant')).toEqual([
      'unknown key "gatway": did you mean `gateway`? expected "gateway" here, which is required and missing',
    ]);
  });

  it('name the expected shape', () => {
    expect(messages('a typo in a key')).toMatchInlineSnapshot(`
      [
        "unknown key "gatway" is not part of the model; expected one of: cidrName, gateway, vlan, vlanInterface, bond, bridge, containerInterface, mtu",
      ]
    `);
    expect(messages('a host ip that is a number')).toMatchInlineSnapshot(`
      [
        "expected string, got number 42",
      ]
    `);
    expect(messages('a missing required key')).toMatchInlineSnapshot(`
      [
        "required value is missing; expected object",
      ]
    `);
    expect(messages('an enum value OSA does not know')).toMatchInlineSnapshot(`
      [
        "expected one of "raw", "vlan", "flat", "vxlan", "geneve", got "bridge"",
      ]
    `);
    expect(messages('a network with host bits (the guide’s .130/28 mistake)')).toMatchInlineSnapshot(`
      [
        ""203.0.113.130/28" has host bits set; expected the network address 203.0.113.128/28",
      ]
    `);
  });
});
