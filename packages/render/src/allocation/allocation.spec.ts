import { describe, expect, it } from 'vitest';
import {
  addressInCidr,
  addressNetworksFromUserConfig,
  allocationToJson,
  allocationUnchanged,
  EMPTY_INVENTORY,
  formatAllocationMarkdown,
  formatAllocationText,
  previewAllocation,
  readInventory,
  type InventoryView,
} from './index';

/** A small inventory in the generator's own shape (groups at the top, vars under _meta). */
function inventory(containers: Record<string, { host: string; eth20?: string; eth1: string }>): unknown {
  const hostvars: Record<string, unknown> = {};
  const haproxy: string[] = [];
  const hosts = new Set<string>();
  for (const [name, c] of Object.entries(containers)) {
    hosts.add(c.host);
    haproxy.push(name);
    hostvars[name] = {
      physical_host: c.host,
      component: 'haproxy',
      properties: { is_metal: false },
      container_networks: {
        container_address: {
          address: c.eth1,
          bridge: 'br-mgmt',
          interface: 'eth1',
          netmask: '255.255.252.0',
        },
        ...(c.eth20 && {
          public_api_address: { address: c.eth20, bridge: 'br-public-api', interface: 'eth20' },
        }),
      },
    };
  }
  for (const h of hosts) {
    hostvars[h] = {
      physical_host: h,
      is_metal: true,
      component: null,
      container_networks: { container_address: { address: '172.29.236.11', bridge: 'br-mgmt' } },
    };
  }
  return {
    _meta: { hostvars },
    all: { vars: { foo: 1 } },
    haproxy: { hosts: haproxy, children: [] },
    haproxy_hosts: { hosts: [...hosts], children: [] },
    hosts: { hosts: [], children: ['haproxy_hosts'] },
  };
}

function view(doc: unknown): InventoryView {
  const r = readInventory(doc);
  if (!r.ok) throw new Error(r.error);
  return r.inventory;
}

describe('readInventory', () => {
  it('reads hosts, metal flags, interfaces and direct group members', () => {
    const v = view(
      inventory({
        'infra1-haproxy-container-1a2b3c4d': {
          host: 'infra1',
          eth20: '203.0.113.134',
          eth1: '172.29.236.80',
        },
      }),
    );
    const c = v.hosts.get('infra1-haproxy-container-1a2b3c4d')!;
    expect(c.isMetal).toBe(false);
    expect(c.physicalHost).toBe('infra1');
    expect(c.interfaces.map((i) => `${i.key}:${i.interface}:${i.address}`)).toEqual([
      'container_address:eth1:172.29.236.80',
      'public_api_address:eth20:203.0.113.134',
    ]);
    expect(v.hosts.get('infra1')!.isMetal).toBe(true);
    expect(v.groups.get('haproxy')).toEqual(['infra1-haproxy-container-1a2b3c4d']);
    expect(v.groups.has('hosts')).toBe(false); // children only
  });

  it.each([
    ['not an object', 'nope'],
    ['no _meta', { haproxy: { hosts: [] } }],
    ['hostvars not a mapping', { _meta: { hostvars: [] } }],
    ['a group that is not a mapping', { _meta: { hostvars: {} }, haproxy: 'x' }],
    ['group hosts not a list of names', { _meta: { hostvars: {} }, haproxy: { hosts: [1] } }],
  ])('refuses %s without throwing', (_, doc) => {
    const r = readInventory(doc);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^not an OpenStack-Ansible inventory/);
  });
});

describe('previewAllocation', () => {
  const before = view(
    inventory({
      'infra1-haproxy-container-1a2b3c4d': { host: 'infra1', eth20: '203.0.113.134', eth1: '172.29.236.80' },
      'infra2-haproxy-container-5e6f7a8b': { host: 'infra2', eth20: '203.0.113.131', eth1: '172.29.236.81' },
    }),
  );

  it('reports nothing when the generator keeps the inventory as it is', () => {
    const p = previewAllocation({ site: 's', before, after: before });
    expect(allocationToJson(p).unchanged).toBe(true);
    expect(formatAllocationText(p)).toContain('would not change');
    expect(formatAllocationMarkdown(p)).toContain('would not change');
  });

  it('reports an added host: its new container with each address, and the groups it joins', () => {
    const after = view(
      inventory({
        'infra1-haproxy-container-1a2b3c4d': {
          host: 'infra1',
          eth20: '203.0.113.134',
          eth1: '172.29.236.80',
        },
        'infra2-haproxy-container-5e6f7a8b': {
          host: 'infra2',
          eth20: '203.0.113.131',
          eth1: '172.29.236.81',
        },
        'infra3-haproxy-container-9c0d1e2f': {
          host: 'infra3',
          eth20: '203.0.113.135',
          eth1: '172.29.236.82',
        },
      }),
    );
    const p = previewAllocation({ site: 'dc1', before, after });
    expect(p.containersAdded.map((c) => c.name)).toEqual(['infra3-haproxy-container-9c0d1e2f']);
    expect(p.metalAdded).toEqual(['infra3']);
    expect(p.groupsChanged).toEqual([
      { group: 'haproxy', added: ['infra3-haproxy-container-9c0d1e2f'], removed: [] },
      { group: 'haproxy_hosts', added: ['infra3'], removed: [] },
    ]);
    const text = formatAllocationText(p);
    expect(text).toContain('+ container infra3-haproxy-container-9c0d1e2f on infra3');
    expect(text).toContain('eth20 203.0.113.135 (public_api_address on br-public-api)');
    expect(text).toContain('drawn at random');
    const md = formatAllocationMarkdown(p);
    expect(md).toContain(
      '| added | `infra3-haproxy-container-9c0d1e2f on infra3` | `eth20` | `203.0.113.135` | `public_api_address` |',
    );
  });

  it('reports a moved public network as re-addressed containers, old → new', () => {
    const after = view(
      inventory({
        'infra1-haproxy-container-1a2b3c4d': {
          host: 'infra1',
          eth20: '198.51.100.70',
          eth1: '172.29.236.80',
        },
        'infra2-haproxy-container-5e6f7a8b': {
          host: 'infra2',
          eth20: '198.51.100.71',
          eth1: '172.29.236.81',
        },
      }),
    );
    const p = previewAllocation({ site: 'dc1', before, after });
    expect(p.containersAdded).toEqual([]);
    expect(p.containersChanged.map((c) => c.name)).toEqual([
      'infra1-haproxy-container-1a2b3c4d',
      'infra2-haproxy-container-5e6f7a8b',
    ]);
    expect(formatAllocationMarkdown(p)).toContain('`203.0.113.134 → 198.51.100.70`');
    expect(formatAllocationText(p)).toMatch(/was eth20 203\.0\.113\.134[^\n]*\n\s+now eth1/);
  });

  it('reports removed containers and an interface that disappears', () => {
    const after = view(
      inventory({ 'infra1-haproxy-container-1a2b3c4d': { host: 'infra1', eth1: '172.29.236.80' } }),
    );
    const p = previewAllocation({ site: 'dc1', before, after });
    expect(p.containersRemoved.map((c) => c.name)).toEqual(['infra2-haproxy-container-5e6f7a8b']);
    expect(p.metalRemoved).toEqual(['infra2']);
    expect(formatAllocationMarkdown(p)).toContain('`203.0.113.134 → none`');
  });

  it('marks a first run from no inventory', () => {
    const p = previewAllocation({ site: 'new', before: EMPTY_INVENTORY, after: before });
    expect(p.fromEmpty).toBe(true);
    expect(p.containersAdded).toHaveLength(2);
    expect(formatAllocationText(p)).toContain('first run');
  });

  it('keeps what comes from the inventory inside code spans in Markdown', () => {
    const after = view(inventory({ 'x<img src=y>': { host: 'h', eth1: '1.2.3.4' } }));
    const md = formatAllocationMarkdown(previewAllocation({ site: 's', before: EMPTY_INVENTORY, after }));
    expect(md).toContain('`x<img src=y> on h`');
    expect(md.replace(/`[^`\n]*`/g, '')).not.toContain('<img');
  });
});

describe('stale addresses (a moved network)', () => {
  const userConfig = [
    'cidr_networks:',
    '  container: 172.29.236.0/22',
    '  public_api: 198.51.100.128/28',
    'global_overrides:',
    '  provider_networks:',
    '    - network: {container_bridge: br-mgmt, ip_from_q: container, group_binds: [all_containers]}',
    '    - network: {container_bridge: br-public-api, ip_from_q: public_api, group_binds: [haproxy]}',
    '    - network: {container_bridge: br-storage, ip_from_q: storage, address_prefix: stor}',
    '',
  ].join('\n');

  it('maps each container_networks key to its CIDR as OSA names the keys', () => {
    const nets = addressNetworksFromUserConfig(userConfig);
    expect([...nets]).toEqual([
      ['container_address', { network: 'container', cidr: '172.29.236.0/22' }],
      ['public_api_address', { network: 'public_api', cidr: '198.51.100.128/28' }],
    ]);
    expect(addressNetworksFromUserConfig('{ not yaml').size).toBe(0);
    expect(addressNetworksFromUserConfig('- a list').size).toBe(0);
  });

  it('flags addresses OSA keeps outside the network they belong to now', () => {
    const v = view(
      inventory({
        'infra1-haproxy-container-1a2b3c4d': {
          host: 'infra1',
          eth20: '203.0.113.134',
          eth1: '172.29.236.80',
        },
      }),
    );
    const p = previewAllocation({
      site: 'dc1',
      before: v,
      after: v,
      networks: addressNetworksFromUserConfig(userConfig),
    });
    expect(p.staleAddresses).toEqual([
      {
        container: 'infra1-haproxy-container-1a2b3c4d',
        key: 'public_api_address',
        interface: 'eth20',
        address: '203.0.113.134',
        network: 'public_api',
        cidr: '198.51.100.128/28',
      },
    ]);
    expect(allocationUnchanged(p)).toBe(false);
    expect(formatAllocationText(p)).toContain(
      'keeps eth20 203.0.113.134, outside public_api 198.51.100.128/28',
    );
    expect(formatAllocationMarkdown(p)).toContain('OSA keeps these addresses');
  });

  it('checks addresses against CIDRs, refusing what does not parse', () => {
    expect(addressInCidr('198.51.100.130', '198.51.100.128/28')).toBe(true);
    expect(addressInCidr('198.51.100.144', '198.51.100.128/28')).toBe(false);
    expect(addressInCidr('nope', '198.51.100.128/28')).toBe(false);
    expect(addressInCidr('198.51.100.130', 'nope')).toBe(false);
  });
});
