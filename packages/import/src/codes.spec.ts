import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvironmentSchema } from '@osa-gitops/core';
import { renderEnvironment } from '@osa-gitops/render';
import guideLab from '../../../environments/guide-lab/environment';
import dcWest from '../../../environments/dc-west/environment';
import { IMPORT_FINDING_CODES, type ImportFindingCode } from './findings';
import { importConfigDir } from './import-config';
import type { ConfigFile } from './config-dir';
import { GUIDE_CONFIG_DIR, readConfigDir } from '../test/guide-config';

/** The rendered guide-lab tree (imports without findings) with edits applied. */
function guideLabWith(edit: (files: Map<string, string>) => void, base = guideLab): ConfigFile[] {
  const files = new Map(renderEnvironment(EnvironmentSchema.parse(base)));
  edit(files);
  return [...files].map(([path, text]) => ({ path, text }));
}
const replace = (files: Map<string, string>, path: string, from: string | RegExp, to: string) => {
  const text = files.get(path)!;
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture edit did not apply to ${path}`);
  files.set(path, next);
};
const UC = 'openstack_user_config.yml';
const guide = readConfigDir(GUIDE_CONFIG_DIR);

/** For every code, an input that triggers it. */
const TRIGGERS: Record<ImportFindingCode, ConfigFile[]> = {
  IMPORT_USED_IPS_DASH_RANGE: guideLabWith((f) =>
    replace(f, UC, '"203.0.113.140,203.0.113.142"', '"203.0.113.140-203.0.113.142"'),
  ),
  IMPORT_USED_IPS_CIDR: guideLabWith((f) =>
    replace(f, UC, '  - "203.0.113.129"', '  - "203.0.113.129"\n  - "203.0.113.136/30"'),
  ),
  IMPORT_USED_IPS_SPACE: guideLabWith((f) =>
    replace(f, UC, '"203.0.113.140,203.0.113.142"', '"203.0.113.140, 203.0.113.142"'),
  ),
  IMPORT_PROVIDER_NETWORK_BESIDE: guide,
  IMPORT_MAC_MULTICAST: guide,
  IMPORT_MAC_SHARED: guide,
  IMPORT_MII_MONITOR_SECONDS: guide,
  IMPORT_HAPROXY_METAL: guideLabWith((f) => f.delete('env.d/haproxy.yml')),
  IMPORT_ETH0_DEFAULT_ROUTE: guideLabWith((f) => f.delete('group_vars/haproxy/lxc_network.yml')),
  IMPORT_CONFD_REPLACES: guideLabWith((f) => f.set('conf.d/ips.yml', 'used_ips:\n  - "203.0.113.129"\n')),
  IMPORT_CONFD_ORDER: guideLabWith((f) => {
    f.set('conf.d/a.yml', 'used_ips:\n  - "203.0.113.129"\n');
    f.set('conf.d/b.yml', 'used_ips:\n  - "203.0.113.130"\n');
  }),
  IMPORT_VIP_MISMATCH: guideLabWith((f) =>
    replace(f, UC, 'external_lb_vip_address: "203.0.113.140"', 'external_lb_vip_address: "203.0.113.141"'),
  ),
  IMPORT_BIND_CONTAINER_ADDRESS: guideLabWith(
    (f) =>
      replace(
        f,
        'user_variables_haproxy_lxc.yml',
        'haproxy_bind_external_lb_vip_address: "198.51.100.10"',
        `haproxy_bind_external_lb_vip_address: "{{ container_networks['public_api_address']['address'] }}"`,
      ),
    dcWest,
  ),
  IMPORT_VARIABLE_SHADOWED: guideLabWith((f) =>
    f.set('user_variables.yml', 'haproxy_keepalived_external_virtual_router_id: 99\n'),
  ),
  IMPORT_NETWORKD_DANGLING: guide,
  IMPORT_NETWORKD_SKIPPED: guideLabWith((f) =>
    replace(f, 'host_vars/infra1.yml', /openstack_hosts_systemd_networkd_networks:[\s\S]*$/, ''),
  ),
  IMPORT_LEFT_OUT: guideLabWith((f) => f.set('user_variables.yml', 'openstack_domain: example.org\n')),
  IMPORT_HOSTS_DIFFER: guideLabWith((f) => replace(f, 'host_vars/infra2.yml', 'Id: 40', 'Id: 41')),
  IMPORT_JINJA_UNRESOLVED: guideLabWith((f) =>
    replace(
      f,
      'host_vars/infra2.yml',
      /( {2}- interface: br-public-api\n {4}filename: "[^"]+")/,
      '$1\n    mtu: "{{ public_mtu }}"',
    ),
  ),
  IMPORT_ADDED: guide,
  IMPORT_JINJA_RESOLVED: guide,
  IMPORT_NETWORKD_FILENAMES: guide,
  IMPORT_DEFAULT_TAKEN: guideLabWith((f) => replace(f, UC, '        type: raw\n', '')),
  IMPORT_SUPERSEDED: guide,
};

describe('import finding codes', () => {
  it.each(Object.keys(IMPORT_FINDING_CODES) as ImportFindingCode[])(
    '%s has an input that triggers it',
    (code) => {
      const result = importConfigDir(TRIGGERS[code], { site: 'codes' });
      expect(result.findings.map((f) => f.code)).toContain(code);
    },
  );

  it('the rendered guide-lab tree itself triggers only the file-name note and its declared br-mgmt (the edits above trigger the rest)', () => {
    const findings = importConfigDir(
      guideLabWith(() => {}),
      { site: 'codes' },
    ).findings;
    expect([...new Set(findings.map((f) => f.code))].sort()).toEqual([
      'IMPORT_ADDED',
      'IMPORT_NETWORKD_FILENAMES',
    ]);
    // guide-lab builds br-mgmt outside the bond, which a rendered tree cannot show: declared external.
    expect(findings.find((f) => f.code === 'IMPORT_ADDED')?.message).toMatch(
      /^bridge br-mgmt is used by containers/,
    );
  });

  it('every code, and only those, is documented in docs/import.md', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'import.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `(IMPORT_[A-Z0-9_]+)`\s*\| (\S+)/gm)].map((m) => [m[1], m[2]]);
    expect(documented.map(([c]) => c).sort()).toEqual(Object.keys(IMPORT_FINDING_CODES).sort());
    for (const [code, kind] of documented)
      expect(IMPORT_FINDING_CODES[code as ImportFindingCode][0]).toBe(kind);
  });
});

describe('a metal HAProxy site', () => {
  it('says what the first deploy will do: the cut-over of its haproxy_hosts, with its own approval', () => {
    const { findings } = importConfigDir(TRIGGERS.IMPORT_HAPROXY_METAL, { site: 'guide-lab' });
    const metal = findings.find((f) => f.code === 'IMPORT_HAPROXY_METAL')!;
    expect(metal.action).toContain('the first deploy plans a cut-over for infra1, infra2, infra3');
    expect(metal.action).toContain('--metal-cutover approved');
    expect(metal.action).toContain('scripts/inventory-manage.py -r');
    expect(metal.action).toContain('the VIPs are down from then until the keepalived stage');
  });
});
