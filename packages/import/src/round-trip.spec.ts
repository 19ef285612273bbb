import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EnvironmentSchema, type EnvironmentInput } from '@osa-gitops/core';
import { renderEnvironment } from '@osa-gitops/render';
import { validateEnvironment } from '@osa-gitops/rules';
import guideLab from '../../../environments/guide-lab/environment';
import dcEast from '../../../environments/dc-east/environment';
import dcWest from '../../../environments/dc-west/environment';
import { importConfigDir } from './import-config';

const SITES: Record<string, EnvironmentInput> = {
  'guide-lab': guideLab,
  'dc-east': dcEast,
  'dc-west': dcWest,
};

/** A rendered tree as a config dir (the manifest is ours, not OSA's: the import ignores it). */
function asConfigDir(tree: ReadonlyMap<string, string>) {
  return [...tree].map(([path, text]) => ({ path, text }));
}

describe.each(Object.keys(SITES))('import of the rendered %s tree', (site) => {
  const original = renderEnvironment(EnvironmentSchema.parse(SITES[site]));
  const imported = importConfigDir(asConfigDir(original), { site });

  it('renders the same YAML, file for file', () => {
    const again = renderEnvironment(EnvironmentSchema.parse(imported.input));
    expect([...again.keys()].sort()).toEqual([...original.keys()].sort());
    for (const [path, text] of original) {
      if (!path.endsWith('.yml')) continue;
      expect(parse(again.get(path)!, { version: '1.1' }), path).toEqual(parse(text, { version: '1.1' }));
    }
  });

  it('validates clean', () => {
    const issues = validateEnvironment(imported.input, { site }).issues.filter((i) => i.severity === 'error');
    expect(issues).toEqual([]);
  });

  it('reports no trap in a tree osa-gitops rendered', () => {
    expect(imported.findings.filter((f) => f.kind === 'trap')).toEqual([]);
  });
});

describe('import of what the host-output variables mean', () => {
  const tree = () => new Map(renderEnvironment(EnvironmentSchema.parse(guideLab)));
  const edit = (files: Map<string, string>, path: string, from: string, to: string) => {
    const text = files.get(path)!;
    if (!text.includes(from)) throw new Error(`fixture edit did not apply to ${path}`);
    files.set(path, text.replace(from, to));
  };

  it('takes a published name in external_lb_vip_address as the external VIP name', () => {
    const files = tree();
    edit(
      files,
      'openstack_user_config.yml',
      'external_lb_vip_address: "203.0.113.140"',
      'external_lb_vip_address: cloud.example.com',
    );
    const imported = importConfigDir(asConfigDir(files), { site: 'guide-lab' });
    expect(imported.input.haproxy.vips).toEqual({
      external: '203.0.113.140',
      internal: '172.29.236.9',
      externalName: 'cloud.example.com',
    });
    const again = renderEnvironment(EnvironmentSchema.parse(imported.input));
    expect(
      parse(again.get('user_variables_haproxy_lxc.yml')!).haproxy_tls_vip_binds[0].pki_san_records,
    ).toEqual(['203.0.113.140', 'cloud.example.com']);
  });

  it('keeps an internal ping address the config chose, and the guide’s MACs from the .network match', () => {
    const files = tree();
    edit(
      files,
      'user_variables_haproxy_lxc.yml',
      'keepalived_internal_ping_address: "127.0.0.1"',
      'keepalived_internal_ping_address: "172.29.236.1"',
    );
    edit(
      files,
      'host_vars/infra1.yml',
      'config_overrides:\n      Match:\n        PermanentMACAddress:',
      'config_overrides:\n      Match:\n        MACAddress:',
    );
    const imported = importConfigDir(asConfigDir(files), { site: 'guide-lab' });
    expect(imported.input.haproxy.keepalived).toMatchObject({ internalPingAddress: '172.29.236.1' });
    expect(imported.input.hosts['infra1']!.bondMembers).toEqual({
      ens3: 'd2:25:83:e1:77:c8',
      ens6: 'd2:25:83:e1:77:c9',
    });
  });
});
