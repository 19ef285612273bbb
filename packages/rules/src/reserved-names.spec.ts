import { describe, expect, it } from 'vitest';
import { guideInput, HOST_NAME } from '@osa-gitops/core';
import { reservedHostName } from './reserved-names';
import { validateEnvironment } from './validate-environment';

// Issue 26, item 3: these host names validated, and OSA's generator kept them (a host and a group
// both `haproxy`); an inventory host `localhost` took Ansible's `delegate_to: localhost` tasks.
describe('HOST_NAME_RESERVED', () => {
  const named = (name: string) => {
    const input = guideInput();
    input.hosts[name] = { ip: '172.29.236.21', groups: ['compute_hosts'] };
    return validateEnvironment(input).issues;
  };

  it.each([
    'localhost',
    'all',
    'ungrouped',
    'hosts',
    'haproxy',
    'galera',
    'utility',
    'keystone',
    'rabbitmq',
    'memcached',
  ])('refuses a host named %s, with its own code, and nothing else', (name) => {
    const issues = named(name);
    expect(issues.map((i) => [i.code, i.path])).toEqual([['HOST_NAME_RESERVED', ['hosts', name]]]);
    expect(issues[0]!.message).toMatch(/expected another name/);
  });

  it('says why: Ansible takes delegated tasks to an inventory localhost', () => {
    expect(named('localhost')[0]!.message).toContain('delegate_to');
    expect(named('haproxy')[0]!.message).toContain(
      "--limit haproxy, hosts: haproxy and groups['haproxy'] ambiguous",
    );
  });

  it('leaves ordinary names, and names that only look like a group once - is _, alone', () => {
    for (const name of ['infra4', 'haproxy1', 'swift-proxy', 'local-host', 'compute-hosts']) {
      expect(reservedHostName(name), name).toBeUndefined();
      expect(named(name), name).toEqual([]);
    }
  });

  it('reserves only names a host could have (every reserved name is an RFC 1123 label or refused anyway)', () => {
    // Group names with `_` can never be host names (HOST_NAME_INVALID): the rule only adds the rest.
    expect(HOST_NAME.test('haproxy_all')).toBe(false);
    expect(reservedHostName('haproxy_all')).toBeDefined();
  });
});
