import { describe, expect, it } from 'vitest';
import { type EnvironmentInput, EnvironmentSchema } from '@osa-gitops/core';
import guideLabInput from '../../../environments/guide-lab/environment';
import dcEastInput from '../../../environments/dc-east/environment';
import dcWestInput from '../../../environments/dc-west/environment';
import { compileEnvironment } from './compile-environment';
import { renderEnvironment } from './render-environment';

function variant(edit: (input: any) => void): EnvironmentInput {
  const input = structuredClone(guideLabInput) as any;
  edit(input);
  return input;
}

describe('compileEnvironment', () => {
  it.each([
    ['guide-lab', guideLabInput],
    ['dc-east', dcEastInput],
    ['dc-west', dcWestInput],
  ])('compiles %s without errors to exactly what renderEnvironment gives', (site, input) => {
    const result = compileEnvironment(input, { site });
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.tree).toBeDefined();
    expect([...result.tree!]).toEqual([...renderEnvironment(EnvironmentSchema.parse(input))]);
  });

  it('returns issues and the parsed environment but no tree when a rule fails', () => {
    const result = compileEnvironment(
      variant((i) => {
        i.haproxy.vips.external = '192.0.2.10'; // outside the public network
      }),
    );
    expect(result.issues.some((i) => i.severity === 'error')).toBe(true);
    expect(result.environment).toBeDefined();
    expect(result.tree).toBeUndefined();
  });

  it('returns only issues for input that is not even shaped like a definition', () => {
    const result = compileEnvironment({ name: 'x', networks: 'nope' });
    expect(result.issues.map((i) => i.code)).toContain('SCHEMA_INVALID');
    expect(result.environment).toBeUndefined();
    expect(result.tree).toBeUndefined();
  });

  it('never renders a partial tree, whatever is wrong (each error alone)', () => {
    const broken: ((i: any) => void)[] = [
      (i) => (i.reserved.public_api = ['203.0.113.0/28']),
      (i) => (i.hosts.infra1.bondMembers.ens3 = 'df:25:83:e1:77:c8'),
      (i) => (i.haproxy.publicNetwork.containerInterface = 'eth20-public'),
      (i) => (i.providerNetworks[0].groupBinds = ['all_containerz']),
      (i) => (i.description = "{{ lookup('pipe', 'id') }}"),
      (i) => (i.haproxy.keepalived = { externalRouterId: 10, internalRouterId: 256 }),
    ];
    for (const edit of broken) {
      const result = compileEnvironment(variant(edit));
      expect(result.issues.some((i) => i.severity === 'error')).toBe(true);
      expect(result.tree).toBeUndefined();
    }
  });

  it('renders despite warnings and passes them through', () => {
    const result = compileEnvironment(
      variant((i) => {
        for (const h of ['infra2', 'infra3']) {
          i.hosts[h].groups = i.hosts[h].groups.filter((g: string) => g !== 'haproxy_hosts');
          delete i.hosts[h].bondMembers;
        }
      }),
    );
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.issues.map((i) => i.code)).toContain('SINGLE_HAPROXY_HOST');
    expect(result.tree?.has('host_vars/infra1.yml')).toBe(true);
    expect(result.tree?.has('host_vars/infra2.yml')).toBe(false);
  });
});
