import { describe, expect, it } from 'vitest';
import { findMetalHaproxyHosts, populatedInventoryGroups } from './inventory-state';

describe('findMetalHaproxyHosts', () => {
  it('finds metal hosts left in the haproxy group (directly or through children)', () => {
    const inv = {
      _meta: {
        hostvars: {
          infra1: { physical_host: 'infra1', properties: { is_metal: true } },
          infra2: { physical_host: 'infra2' },
          'infra1-haproxy-container-1a2b3c4d': { physical_host: 'infra1', properties: { is_metal: false } },
        },
      },
      haproxy: { hosts: ['infra1-haproxy-container-1a2b3c4d', 'infra1'], children: ['haproxy_old'] },
      haproxy_old: { hosts: ['infra2'] },
    };
    expect(findMetalHaproxyHosts(JSON.stringify(inv))).toEqual(['infra1', 'infra2']);
  });

  it('finds none in a greenfield inventory, and says undefined for non-JSON', () => {
    expect(findMetalHaproxyHosts('{"_meta": {"hostvars": {}}}')).toEqual([]);
    expect(findMetalHaproxyHosts('not json')).toBeUndefined();
    expect(findMetalHaproxyHosts('[]')).toBeUndefined();
  });
});

describe('populatedInventoryGroups', () => {
  it('keeps the groups with hosts, directly or through children (cycles end), and none for bad JSON', () => {
    const inv = {
      keystone_all: { children: ['keystone'] },
      keystone: { hosts: ['infra1-keystone-container-1'] },
      nova_all: { children: ['nova_api'] },
      nova_api: { hosts: [] },
      loop_a: { children: ['loop_b'] },
      loop_b: { children: ['loop_a'] },
    };
    expect(
      populatedInventoryGroups(JSON.stringify(inv), ['nova_all', 'keystone_all', 'galera_all', 'loop_a']),
    ).toEqual(['keystone_all']);
    expect(populatedInventoryGroups('nope', ['keystone_all'])).toEqual([]);
  });
});
