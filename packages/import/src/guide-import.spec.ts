import { describe, expect, it } from 'vitest';
import { EnvironmentSchema } from '@osa-gitops/core';
import { renderEnvironment } from '@osa-gitops/render';
import { validateEnvironment } from '@osa-gitops/rules';
import { IMPORT_FINDING_CODES } from './findings';
import { importConfigDir } from './import-config';
import { GUIDE_CONFIG_DIR, readConfigDir } from '../test/guide-config';

describe('import of a config dir written by hand from the OSA guide', () => {
  const result = importConfigDir(readConfigDir(GUIDE_CONFIG_DIR), { site: 'guide-import' });
  const codes = (code: string) => result.findings.filter((f) => f.code === code);

  it('finds each of the guide’s traps where it is', () => {
    expect(codes('IMPORT_USED_IPS_DASH_RANGE')).toMatchObject([
      { file: 'openstack_user_config.yml', path: ['used_ips', 4] },
    ]);
    expect(codes('IMPORT_PROVIDER_NETWORK_BESIDE')).toMatchObject([
      { file: 'openstack_user_config.yml', path: ['global_overrides', 'provider_networks', 3] },
    ]);
    expect(codes('IMPORT_MII_MONITOR_SECONDS')).toMatchObject([
      { file: 'user_variables.yml', path: ['_systemd_networkd_generic_devices', 0, 'Bond', 'MIIMonitorSec'] },
    ]);
    // df:25:… has the multicast bit; the global variable gives all five hosts the same two MACs.
    expect(codes('IMPORT_MAC_MULTICAST')).toMatchObject(
      [0, 1].map((i) => ({
        file: 'user_variables.yml',
        path: ['_systemd_networkd_bonded_networks', i, 'link_config_overrides', 'Match', 'MACAddress'],
      })),
    );
    expect(codes('IMPORT_MAC_MULTICAST')[0]!.message).toMatch(
      /^infra1, infra2, infra3, compute1, compute2: df:25:83:e1:77:c8 \(ens3\)/,
    );
    expect(codes('IMPORT_MAC_SHARED').map((f) => f.message.split(' ')[0])).toEqual([
      'df:25:83:e1:77:c8',
      'df:25:83:e1:77:c9',
    ]);
    expect(codes('IMPORT_MAC_SHARED')[0]!.path).toEqual([
      '_systemd_networkd_bonded_networks',
      0,
      'link_config_overrides',
      'Match',
      'MACAddress',
    ]);
    expect(codes('IMPORT_MAC_SHARED')[0]!.message).toContain(
      'infra1 ens3, infra2 ens3, infra3 ens3, compute1 ens3',
    );
    // The guide's eth0 entry drops OSA's mtu; the definition adds it back.
    expect(codes('IMPORT_ADDED').map((f) => f.file)).toContain('group_vars/haproxy/lxc_network.yml');
    // Non-haproxy hosts get bond0 with `vlan: [vlan-public-api]` but no such netdev.
    expect(codes('IMPORT_NETWORKD_DANGLING')).toMatchObject([
      { file: 'user_variables.yml', path: ['_systemd_networkd_bonded_networks', 2, 'vlan', 0] },
    ]);
    expect(codes('IMPORT_NETWORKD_DANGLING')[0]!.message).toMatch(/^compute1, compute2: the bond lists VLAN/);
    // Every trap kind the guide has is reported, and nothing claims a trap the guide does not have.
    expect([...new Set(result.findings.filter((f) => f.kind === 'trap').map((f) => f.code))].sort()).toEqual([
      'IMPORT_MAC_MULTICAST',
      'IMPORT_MAC_SHARED',
      'IMPORT_MII_MONITOR_SECONDS',
      'IMPORT_NETWORKD_DANGLING',
      'IMPORT_PROVIDER_NETWORK_BESIDE',
      'IMPORT_USED_IPS_DASH_RANGE',
    ]);
  });

  it('reads the guide’s Jinja list builders per host, and reports the files the hosts already have', () => {
    expect(
      codes('IMPORT_JINJA_RESOLVED')
        .map((f) => f.path[0])
        .sort(),
    ).toEqual([
      'haproxy_keepalived_external_interface',
      'haproxy_keepalived_internal_interface',
      'openstack_hosts_systemd_networkd_devices',
      'openstack_hosts_systemd_networkd_networks',
    ]);
    expect(codes('IMPORT_JINJA_UNRESOLVED')).toEqual([]);
    expect(result.filenames.get('infra1')).toEqual(
      new Map([
        ['bond0', { netdev: '05-generic-bond0', network: '05-general-bond0' }],
        [
          'vlan-public-api',
          { netdev: '10-openstack-vlan-public-api', network: '10-openstack-vlan-public-api' },
        ],
        ['br-public-api', { netdev: '11-openstack-br-public-api', network: '11-openstack-br-public-api' }],
        ['ens3', { network: '05-generic-ens3' }],
        ['ens6', { network: '05-generic-ens6' }],
      ]),
    );
    expect(result.filenames.get('compute1')?.get('bond0')).toEqual({
      netdev: '05-generic-bond0',
      network: '05-general-bond0',
    });
    expect(codes('IMPORT_NETWORKD_FILENAMES').map((f) => f.message.split(':')[0])).toEqual([
      'compute1, compute2',
      'infra1, infra2, infra3',
    ]);
    // Carried into the definition: the same on every host that renders the name, so site-wide.
    expect(result.input.hostNetworking!.networkdFilenames).toEqual({
      bond0: '05-general-bond0',
      ens3: '05-generic-ens3',
      ens6: '05-generic-ens6',
      'vlan-public-api': '10-openstack-vlan-public-api',
      'br-public-api': '11-openstack-br-public-api',
    });
    const tree = renderEnvironment(EnvironmentSchema.parse(result.input));
    expect(tree.get('host_vars/infra1.yml')).toContain('filename: "05-general-bond0"');
    expect(tree.get('host_vars/compute1.yml')).toContain('filename: "05-generic-ens3"');
  });

  it('names what it leaves out and what must be cleaned up, never a value of a variable it does not model', () => {
    const leftOut = codes('IMPORT_LEFT_OUT').find((f) => f.file === 'user_variables.yml')!;
    expect(leftOut.message).toBe('variables the definition does not model: openstack_domain, install_method');
    const superseded = codes('IMPORT_SUPERSEDED').find((f) => f.file === 'user_variables.yml')!;
    expect(superseded.message).toContain('openstack_hosts_systemd_networkd_devices');
    expect(superseded.message).toContain('_systemd_networkd_bonded_networks');
    expect(superseded.action).toContain('extra vars override');
    expect(JSON.stringify(result.findings)).not.toContain('cloud.example.org');
  });

  it('imports the site the guide describes, traps fixed', () => {
    const input = result.input;
    expect(input.reserved!.public_api).toEqual(['203.0.113.129', '203.0.113.140-203.0.113.142']);
    expect(input.providerNetworks.map((n) => n.bridge)).toEqual(['br-mgmt', 'br-vxlan', 'br-storage']);
    expect(input.haproxy).toEqual({
      publicNetwork: {
        cidrName: 'public_api',
        gateway: '203.0.113.129',
        vlan: 40,
        bond: 'bond0',
        bridge: 'br-public-api',
        containerInterface: 'eth20',
      },
      vips: { external: '203.0.113.140', internal: '172.29.236.9' },
      bind: 'interface',
      keepalived: { externalRouterId: 10, internalRouterId: 11 },
    });
    expect(input.hostNetworking!.bond).toEqual({
      name: 'bond0',
      mode: '802.3ad',
      transmitHashPolicy: 'layer3+4',
      lacpTransmitRate: 'fast',
      miiMonitor: '100ms',
    });
    expect(Object.keys(input.hosts)).toEqual(['infra1', 'infra2', 'infra3', 'compute1', 'compute2']);
    expect(input.hosts.compute1).toEqual({
      ip: '172.29.236.21',
      groups: ['compute_hosts', 'storage_hosts'],
      bondMembers: { ens3: 'df:25:83:e1:77:c8', ens6: 'df:25:83:e1:77:c9' },
    });
  });

  it('validates with exactly the MAC errors the guide’s global MACs cause, and renders', () => {
    const v = validateEnvironment(result.input, { site: 'guide-import' });
    const errors = [...new Set(v.issues.filter((i) => i.severity === 'error').map((i) => i.code))].sort();
    expect(errors).toEqual(['MAC_DUPLICATE', 'MAC_MULTICAST']);
    const tree = renderEnvironment(EnvironmentSchema.parse(result.input));
    expect(tree.get('openstack_user_config.yml')).toContain('"203.0.113.140,203.0.113.142"');
  });

  it('every finding code is registered with a kind', () => {
    for (const f of result.findings) expect(IMPORT_FINDING_CODES[f.code][0]).toBe(f.kind);
  });
});
