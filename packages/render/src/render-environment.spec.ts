import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'yaml';
import { EnvironmentSchema, type EnvironmentInput } from '@osa-gitops/core';
import guideLabInput from '../../../environments/guide-lab/environment';
import dcEastInput from '../../../environments/dc-east/environment';
import dcWestInput from '../../../environments/dc-west/environment';
import { renderEnvironment } from './render-environment';
import { MANIFEST_FILE, parseManifest } from './manifest';
import { generatedMarker } from './yaml';

const SITES: Record<string, EnvironmentInput> = {
  'guide-lab': guideLabInput,
  'dc-east': dcEastInput,
  'dc-west': dcWestInput,
};

function render(input: EnvironmentInput) {
  return renderEnvironment(EnvironmentSchema.parse(input));
}

/** Read a rendered file the way Ansible does (PyYAML is YAML 1.1) and check 1.2 agrees. */
function read(tree: ReadonlyMap<string, string>, path: string): any {
  const text = tree.get(path);
  expect(text, path).toBeDefined();
  const value = parse(text!, { version: '1.1' });
  expect(parse(text!, { version: '1.2' })).toEqual(value);
  return value;
}

function variant(edit: (input: any) => void): EnvironmentInput {
  const input = structuredClone(guideLabInput) as any;
  // Variants assert our own file names; guide-lab takes over the guide's (host-vars.spec.ts).
  delete input.hostNetworking.networkdFilenames;
  edit(input);
  return input;
}

describe.each(Object.keys(SITES))('rendered tree of %s', (site) => {
  const tree = render(SITES[site]!);

  it('matches the whole-tree snapshot', () => {
    expect(Object.fromEntries(tree)).toMatchSnapshot();
  });

  it('is sorted by path, owns exactly the manifest files, never state or secrets', () => {
    const paths = [...tree.keys()];
    expect(paths).toEqual([...paths].sort());
    expect(parseManifest(tree.get(MANIFEST_FILE)!)).toEqual(paths);
    expect(JSON.parse(tree.get(MANIFEST_FILE)!)).toMatchObject({
      generator: 'osa-gitops',
      site,
      source: `environments/${site}/environment.ts`,
    });
    expect(paths.some((p) => /inventory|secret/.test(p))).toBe(false);
  });

  it('marks every YAML file as generated, ends every file with one newline', () => {
    for (const [path, text] of tree) {
      expect(text.endsWith('\n') && !text.endsWith('\n\n'), path).toBe(true);
      if (path.endsWith('.yml')) expect(text.startsWith(`${generatedMarker(site)}\n---\n`), path).toBe(true);
    }
  });

  it('writes used_ips only in forms OSA reads: "a" or "a,b", no dash, CIDR or space', () => {
    const { used_ips } = read(tree, 'openstack_user_config.yml');
    for (const entry of used_ips) expect(entry).toMatch(/^\d+\.\d+\.\d+\.\d+(,\d+\.\d+\.\d+\.\d+)?$/);
  });

  it('nests every provider network under `network:`', () => {
    const { global_overrides } = read(tree, 'openstack_user_config.yml');
    for (const pn of global_overrides.provider_networks) {
      expect(Object.keys(pn)).toEqual(['network']);
      expect(pn.network).toEqual(expect.objectContaining({ container_bridge: expect.any(String) }));
    }
  });

  it('gives every host_vars file non-empty device and network lists with unique filenames', () => {
    for (const [path] of tree) {
      if (!path.startsWith('host_vars/')) continue;
      const vars = read(tree, path);
      const devices = vars.openstack_hosts_systemd_networkd_devices;
      const networks = vars.openstack_hosts_systemd_networkd_networks;
      expect(devices.length, path).toBeGreaterThan(0);
      expect(networks.length, path).toBeGreaterThan(0);
      for (const list of [devices, networks]) {
        const names = list.map((i: { filename: string }) => i.filename);
        expect(new Set(names).size, path).toBe(names.length);
      }
      // Every bond/vlan/bridge a network item points at is a netdev of the same host (docs/osa-facts.md#host-networking).
      const netdevs = new Set(devices.map((d: any) => d.NetDev.Name));
      for (const n of networks)
        for (const ref of [n.bond, n.bridge, ...(n.vlan ?? [])]) if (ref) expect(netdevs).toContain(ref);
    }
  });
});

describe('guide-lab equals the guide (docs/osa-facts.md#guide) with its two traps fixed', () => {
  const tree = render(guideLabInput);

  it('env.d: only is_metal false', () => {
    expect(read(tree, 'env.d/haproxy.yml')).toEqual({
      container_skel: { haproxy_container: { properties: { is_metal: false } } },
    });
  });

  it('openstack_user_config: the public CIDR, comma ranges, the eth20 network nested under network:', () => {
    const config = read(tree, 'openstack_user_config.yml');
    expect(config.cidr_networks.public_api).toBe('203.0.113.128/28');
    expect(config.used_ips).toContain('203.0.113.129');
    expect(config.used_ips).toContain('203.0.113.140,203.0.113.142');
    expect(config.used_ips.join()).not.toContain('-');
    expect(config.global_overrides).toMatchObject({
      internal_lb_vip_address: '172.29.236.9',
      external_lb_vip_address: '203.0.113.140',
      management_bridge: 'br-mgmt',
    });
    expect(config.global_overrides.provider_networks.at(-1)).toEqual({
      network: {
        group_binds: ['haproxy'],
        type: 'raw',
        container_bridge: 'br-public-api',
        container_interface: 'eth20',
        container_type: 'veth',
        ip_from_q: 'public_api',
        static_routes: [{ cidr: '0.0.0.0/0', gateway: '203.0.113.129' }],
      },
    });
    expect(config.haproxy_hosts).toEqual({
      infra1: { ip: '172.29.236.11' },
      infra2: { ip: '172.29.236.12' },
      infra3: { ip: '172.29.236.13' },
    });
  });

  it('group_vars/haproxy: the guide eth0 entry, plus the mtu OSA default has', () => {
    expect(read(tree, 'group_vars/haproxy/lxc_network.yml')).toEqual({
      lxc_container_networks: {
        lxcbr0_address: {
          bridge: "{{ lxc_net_bridge | default('lxcbr0') }}",
          bridge_type: "{{ lxc_net_bridge_type | default('linuxbridge') }}",
          interface: 'eth0',
          type: 'veth',
          mtu: '{{ lxc_net_mtu | default(1500) }}',
          dhcp_use_routes: false,
        },
      },
    });
  });

  it('user variables: the guide interface binds, /32 VIPs, keepalived on eth20/eth1', () => {
    expect(read(tree, 'user_variables_haproxy_lxc.yml')).toEqual({
      haproxy_bind_external_lb_vip_interface: 'eth20',
      haproxy_bind_internal_lb_vip_interface: 'eth1',
      haproxy_bind_external_lb_vip_address: '*',
      haproxy_bind_internal_lb_vip_address: '*',
      // The same binds, with the VIPs as certificate SAN records (`*` adds none).
      haproxy_tls_vip_binds: [
        { address: '*', interface: 'eth20', type: 'external', pki_san_records: ['203.0.113.140'] },
        { address: '*', interface: 'eth1', type: 'internal', pki_san_records: ['172.29.236.9'] },
      ],
      haproxy_use_keepalived: true,
      haproxy_keepalived_external_vip_cidr: '203.0.113.140/32',
      haproxy_keepalived_internal_vip_cidr: '172.29.236.9/32',
      haproxy_keepalived_external_interface: 'eth20',
      haproxy_keepalived_internal_interface: 'eth1',
      haproxy_keepalived_external_virtual_router_id: 10,
      haproxy_keepalived_internal_virtual_router_id: 11,
      // The internal VIP does not follow the public gateway; no management gateway is modelled.
      keepalived_external_ping_address: '203.0.113.129',
      keepalived_internal_ping_address: '127.0.0.1',
    });
  });

  it('host_vars: the guide bond, VLAN 40 and bridge, concrete per host with its own MACs, in the guide’s files', () => {
    const vars = read(tree, 'host_vars/infra1.yml');
    expect(vars.openstack_hosts_systemd_networkd_devices).toEqual([
      {
        NetDev: { Name: 'bond0', Kind: 'bond' },
        // MIIMonitorSec with a unit: the guide's bare 100 means 100 s (docs/osa-facts.md#time-spans).
        Bond: {
          Mode: '802.3ad',
          TransmitHashPolicy: 'layer3+4',
          LACPTransmitRate: 'fast',
          MIIMonitorSec: '100ms',
        },
        filename: '05-general-bond0',
      },
      {
        NetDev: { Name: 'vlan-public-api', Kind: 'vlan' },
        VLAN: { Id: 40 },
        filename: '10-openstack-vlan-public-api',
      },
      {
        NetDev: { Name: 'br-public-api', Kind: 'bridge' },
        // STP stays the string "off" even for a YAML 1.1 reader (the guide's plain off is False).
        Bridge: { ForwardDelaySec: 0, HelloTimeSec: 2, MaxAgeSec: 12, STP: 'off' },
        filename: '11-openstack-br-public-api',
      },
    ]);
    expect(vars.openstack_hosts_systemd_networkd_networks).toEqual([
      {
        interface: 'ens3',
        filename: '05-generic-ens3',
        bond: 'bond0',
        config_overrides: { Match: { PermanentMACAddress: 'd2:25:83:e1:77:c8' } },
      },
      {
        interface: 'ens6',
        filename: '05-generic-ens6',
        bond: 'bond0',
        config_overrides: { Match: { PermanentMACAddress: 'd2:25:83:e1:77:c9' } },
      },
      { interface: 'bond0', filename: '05-general-bond0', vlan: ['vlan-public-api'] },
      { interface: 'vlan-public-api', filename: '10-openstack-vlan-public-api', bridge: 'br-public-api' },
      { interface: 'br-public-api', filename: '11-openstack-br-public-api' },
    ]);
    // The role's cleanup, on our own prefix only (taken-over names are overwritten, never deleted).
    expect(vars.openstack_hosts_systemd_networkd_prefix).toBe('osa-gitops');
    expect(vars.systemd_interface_cleanup).toBe(true);
    expect(
      read(tree, 'host_vars/infra3.yml').openstack_hosts_systemd_networkd_networks[0].config_overrides,
    ).toEqual({
      Match: { PermanentMACAddress: 'd2:25:83:e1:79:c8' },
    });
  });

  it('emits no Jinja but OSA’s three eth0 defaults', () => {
    const jinja = [...tree].flatMap(([path, text]) =>
      (text.match(/\{\{.*?\}\}/g) ?? []).map((j) => `${path}: ${j}`),
    );
    expect(jinja).toEqual([
      "group_vars/haproxy/lxc_network.yml: {{ lxc_net_bridge | default('lxcbr0') }}",
      "group_vars/haproxy/lxc_network.yml: {{ lxc_net_bridge_type | default('linuxbridge') }}",
      'group_vars/haproxy/lxc_network.yml: {{ lxc_net_mtu | default(1500) }}',
    ]);
  });
});

describe('dc-west binds by address', () => {
  const vars = read(render(dcWestInput), 'user_variables_haproxy_lxc.yml');

  it('binds the VIP addresses themselves (a container-address bind leaves nothing listening on the VIP)', () => {
    expect(vars).toEqual({
      haproxy_bind_external_lb_vip_address: '198.51.100.10',
      haproxy_bind_internal_lb_vip_address: '10.20.0.10',
      haproxy_tls_vip_binds: [
        { address: '198.51.100.10', type: 'external', pki_san_records: ['cloud.dc-west.example.com'] },
        { address: '10.20.0.10', type: 'internal' },
      ],
      // Binding the VIP needs non-local binds wherever keepalived has not brought it up yet.
      haproxy_bind_on_non_local: true,
      haproxy_use_keepalived: true,
      haproxy_keepalived_external_vip_cidr: '198.51.100.10/32',
      haproxy_keepalived_internal_vip_cidr: '10.20.0.10/32',
      haproxy_keepalived_external_interface: 'eth20',
      haproxy_keepalived_internal_interface: 'eth1',
      haproxy_keepalived_external_virtual_router_id: 10,
      haproxy_keepalived_internal_virtual_router_id: 11,
      keepalived_external_ping_address: '198.51.100.1',
      keepalived_internal_ping_address: '127.0.0.1',
    });
  });

  it('emits no Jinja in the binds', () => {
    expect(Object.values(vars).filter((v) => typeof v === 'string' && v.includes('{{'))).toEqual([]);
  });
});

describe('dc-east', () => {
  const tree = render(dcEastInput);

  it('coalesces gateway, reserved range and VIP into one public entry', () => {
    // .65 gateway + .66–.69 reserved + .70 external VIP are adjacent: one range.
    expect(read(tree, 'openstack_user_config.yml').used_ips).toEqual([
      '10.30.0.1,10.30.0.30',
      '10.30.4.1,10.30.4.30',
      '10.30.8.1,10.30.8.30',
      '198.51.100.65,198.51.100.70',
    ]);
  });

  it('writes no host_vars for hosts with nothing to build (compute hosts)', () => {
    expect([...tree.keys()].filter((p) => p.startsWith('host_vars/'))).toEqual([
      'host_vars/east-infra1.yml',
      'host_vars/east-infra2.yml',
      'host_vars/east-infra3.yml',
    ]);
  });

  it('takes keepalived router ids from the model', () => {
    expect(read(tree, 'user_variables_haproxy_lxc.yml')).toMatchObject({
      haproxy_keepalived_external_virtual_router_id: 20,
      haproxy_keepalived_internal_virtual_router_id: 21,
    });
  });
});

describe('model details reach the files', () => {
  it('reserves management_ip (OSA does not) and writes it with sorted affinity', () => {
    const tree = render(
      variant((i) => {
        i.hosts.infra2.managementIp = '172.29.236.60';
        i.hosts.infra2.affinity = { utility_container: 0, haproxy_container: 1 };
      }),
    );
    const config = read(tree, 'openstack_user_config.yml');
    expect(config.used_ips).toContain('172.29.236.60');
    expect(config.haproxy_hosts.infra2).toEqual({
      ip: '172.29.236.12',
      management_ip: '172.29.236.60',
      affinity: { haproxy_container: 1, utility_container: 0 },
    });
    expect(tree.get('openstack_user_config.yml')).toContain(
      'affinity:\n      haproxy_container: 1\n      utility_container: 0',
    );
  });

  it('reserves provider-network and static-route gateways, and writes every optional key it has', () => {
    const tree = render(
      variant((i) => {
        i.providerNetworks = [
          ...i.providerNetworks,
          {
            bridge: 'br-ext',
            containerInterface: 'eth12',
            bridgeType: 'openvswitch',
            type: 'flat',
            ipFromQ: 'storage',
            addressPrefix: 'ext',
            netName: 'physnet1',
            groupBinds: ['glance_api'],
            mtu: 9000,
            hostBindOverride: 'bond1',
            referenceGroup: 'image_hosts',
            gateway: '172.29.244.254',
            staticRoutes: [{ cidr: '10.99.0.0/16', gateway: '172.29.244.253' }],
          },
        ];
      }),
    );
    const config = read(tree, 'openstack_user_config.yml');
    expect(config.used_ips).toContain('172.29.244.253,172.29.244.254');
    expect(config.global_overrides.provider_networks[3].network).toEqual({
      container_bridge: 'br-ext',
      container_type: 'veth',
      container_interface: 'eth12',
      container_bridge_type: 'openvswitch',
      ip_from_q: 'storage',
      address_prefix: 'ext',
      type: 'flat',
      net_name: 'physnet1',
      group_binds: ['glance_api'],
      static_routes: [{ cidr: '10.99.0.0/16', gateway: '172.29.244.253' }],
      gateway: '172.29.244.254',
      container_mtu: 9000,
      host_bind_override: 'bond1',
      reference_group: 'image_hosts',
    });
    expect(JSON.stringify(config)).not.toContain('null');
  });

  it('passes the public network mtu to container_mtu and the bond mtu to the bond item', () => {
    const tree = render(
      variant((i) => {
        i.haproxy.publicNetwork.mtu = 9000;
        i.hostNetworking = { bond: { ...i.hostNetworking.bond, mtu: 9000 } };
      }),
    );
    expect(
      read(tree, 'openstack_user_config.yml').global_overrides.provider_networks.at(-1).network.container_mtu,
    ).toBe(9000);
    const networks = read(tree, 'host_vars/infra1.yml').openstack_hosts_systemd_networkd_networks;
    expect(networks.find((n: any) => n.interface === 'bond0').mtu).toBe(9000);
  });

  it('puts the hosts’ gateway and DNS on the management bridge and reserves the gateway', () => {
    const tree = render(
      variant((i) => {
        i.hostNetworking.vlans = [
          { id: 10, bridge: 'br-mgmt', address: 'host-ip', gateway: '172.29.236.60', dns: ['172.29.236.53'] },
        ];
      }),
    );
    const networks = read(tree, 'host_vars/infra1.yml').openstack_hosts_systemd_networkd_networks;
    expect(networks.find((n: any) => n.interface === 'br-mgmt')).toEqual({
      interface: 'br-mgmt',
      filename: '11-osa-gitops-br-mgmt',
      address: '172.29.236.11',
      netmask: '255.255.252.0',
      gateway: '172.29.236.60',
      dns: ['172.29.236.53'],
    });
    expect(read(tree, 'openstack_user_config.yml').used_ips).toContain('172.29.236.60');
  });

  it('builds every modelled VLAN on every bonded host, and lists them all on the bond (one .network per interface)', () => {
    const tree = render(
      variant((i) => {
        i.hostNetworking.vlans = [
          { id: 30, bridge: 'br-vxlan', mtu: 9000 },
          { id: 10, bridge: 'br-mgmt', address: 'host-ip' },
          { id: 20, name: 'bond0.20', bridge: 'br-storage' },
        ];
        i.haproxy.publicNetwork.mtu = 9000;
        i.hosts.compute1 = {
          ip: '172.29.236.21',
          groups: ['compute_hosts'],
          bondMembers: { ens3: '02:00:00:00:00:01', ens6: '02:00:00:00:00:02' },
        };
      }),
    );
    const bridge = (name: string) => ({
      NetDev: { Name: name, Kind: 'bridge' },
      Bridge: { ForwardDelaySec: 0, HelloTimeSec: 2, MaxAgeSec: 12, STP: 'off' },
      filename: `11-osa-gitops-${name}`,
    });
    const vlan = (name: string, id: number) => ({
      NetDev: { Name: name, Kind: 'vlan' },
      VLAN: { Id: id },
      filename: `10-osa-gitops-${name}`,
    });
    const infra = read(tree, 'host_vars/infra1.yml');
    expect(infra.openstack_hosts_systemd_networkd_devices.slice(1)).toEqual([
      vlan('vlan-mgmt', 10),
      bridge('br-mgmt'),
      vlan('bond0.20', 20),
      bridge('br-storage'),
      vlan('vlan-vxlan', 30),
      bridge('br-vxlan'),
      vlan('vlan-public-api', 40),
      bridge('br-public-api'),
    ]);
    expect(infra.openstack_hosts_systemd_networkd_networks.slice(2)).toEqual([
      {
        interface: 'bond0',
        filename: '05-osa-gitops-bond0',
        vlan: ['vlan-mgmt', 'bond0.20', 'vlan-vxlan', 'vlan-public-api'],
      },
      { interface: 'vlan-mgmt', filename: '10-osa-gitops-vlan-mgmt', bridge: 'br-mgmt' },
      // The host's ip with the management network's prefix (docs/osa-facts.md#systemd-networkd address + netmask).
      {
        interface: 'br-mgmt',
        filename: '11-osa-gitops-br-mgmt',
        address: '172.29.236.11',
        netmask: '255.255.252.0',
      },
      { interface: 'bond0.20', filename: '10-osa-gitops-bond0.20', bridge: 'br-storage' },
      { interface: 'br-storage', filename: '11-osa-gitops-br-storage' },
      { interface: 'vlan-vxlan', filename: '10-osa-gitops-vlan-vxlan', bridge: 'br-vxlan', mtu: 9000 },
      { interface: 'br-vxlan', filename: '11-osa-gitops-br-vxlan', mtu: 9000 },
      // The host side carries the public network's jumbo frames too.
      {
        interface: 'vlan-public-api',
        filename: '10-osa-gitops-vlan-public-api',
        bridge: 'br-public-api',
        mtu: 9000,
      },
      { interface: 'br-public-api', filename: '11-osa-gitops-br-public-api', mtu: 9000 },
    ]);

    // A bonded host without haproxy: the same modelled VLANs, its own ip, no public VLAN.
    const compute = read(tree, 'host_vars/compute1.yml');
    expect(compute.openstack_hosts_systemd_networkd_devices.map((d: any) => d.NetDev.Name)).toEqual([
      'bond0',
      'vlan-mgmt',
      'br-mgmt',
      'bond0.20',
      'br-storage',
      'vlan-vxlan',
      'br-vxlan',
    ]);
    const networks = compute.openstack_hosts_systemd_networkd_networks;
    expect(networks.find((n: any) => n.interface === 'bond0').vlan).toEqual([
      'vlan-mgmt',
      'bond0.20',
      'vlan-vxlan',
    ]);
    expect(networks.find((n: any) => n.interface === 'br-mgmt').address).toBe('172.29.236.21');
  });

  it('builds only the bond on a bonded host that runs no haproxy', () => {
    const tree = render(
      variant((i) => {
        i.hosts.compute1 = {
          ip: '172.29.236.21',
          groups: ['compute_hosts'],
          bondMembers: { ens3: '02:00:00:00:00:01' },
        };
      }),
    );
    const vars = read(tree, 'host_vars/compute1.yml');
    expect(vars.openstack_hosts_systemd_networkd_devices.map((d: any) => d.NetDev.Name)).toEqual(['bond0']);
    expect(vars.openstack_hosts_systemd_networkd_networks.map((n: any) => n.interface)).toEqual([
      'ens3',
      'bond0',
    ]);
    expect(vars.openstack_hosts_systemd_networkd_networks[1]).toEqual({
      interface: 'bond0',
      filename: '05-osa-gitops-bond0',
    });
  });

  it('refuses a site name that could break out of the marker comment', () => {
    const env = EnvironmentSchema.parse(variant((i) => (i.name = 'x\nevil: true')));
    expect(() => renderEnvironment(env)).toThrow(/validated environment/);
  });

  it('throws rather than guess when the management network is missing (render expects validated input)', () => {
    const env = EnvironmentSchema.parse(
      variant((i) => {
        i.providerNetworks = i.providerNetworks.filter((n: any) => !n.isManagementAddress);
      }),
    );
    expect(() => renderEnvironment(env)).toThrow(/validated environment/);
  });
});

describe('determinism', () => {
  /** Re-insert every object's keys in a seeded random order; also shuffle set-like arrays. */
  function shuffleDeep(value: unknown, rand: () => number, setLike = false): unknown {
    const shuffle = <T>(xs: T[]): T[] => {
      const out = [...xs];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    };
    if (Array.isArray(value)) {
      const items = value.map((v) => shuffleDeep(v, rand));
      return setLike ? shuffle(items) : items;
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of shuffle(Object.keys(value))) {
        // Host groups and reserved lists are sets to OSA; provider networks and group_binds keep order.
        out[k] = shuffleDeep(
          (value as Record<string, unknown>)[k],
          rand,
          k === 'groups' || k === 'reserved' || setLike,
        );
      }
      return out;
    }
    return value;
  }

  function seeded(seed: number): () => number {
    let s = seed >>> 0 || 1;
    return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  }

  it.each(Object.keys(SITES))('%s renders the same bytes whatever the key insertion order', (site) => {
    const expected = [...render(SITES[site]!)];
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const shuffled = shuffleDeep(SITES[site], seeded(seed)) as EnvironmentInput;
        expect([...render(shuffled)]).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('the shuffle really reorders keys (the property can fail)', () => {
    const orders = new Set<string>();
    for (let seed = 1; seed < 20; seed++) {
      orders.add(Object.keys((shuffleDeep(guideLabInput, seeded(seed)) as any).hosts).join());
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('renders twice to identical bytes', () => {
    expect([...render(dcEastInput)]).toEqual([...render(dcEastInput)]);
  });
});
