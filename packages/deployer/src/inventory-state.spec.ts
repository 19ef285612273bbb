import { describe, expect, it } from 'vitest';
import { findMetalHaproxyHosts } from './inventory-state';

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
