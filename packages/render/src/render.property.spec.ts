import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument, visit } from 'yaml';
import { type EnvironmentInput, guideInput, type RenderedTree } from '@osa-gitops/core';
import { compileEnvironment } from './compile-environment';

/**
 * Properties of render over valid variations of the guide site (docs/SECURITY.md, "what render
 * emits"): every file parses back, as PyYAML's YAML 1.1 would read it, to exactly the values the
 * definition asked for; the only Jinja in the tree is OSA's own eth0 bridge defaults and, in
 * address-bind mode, the two address lookups; no anchors, aliases or tags; and the bytes depend
 * on the definition's values only, never on key order or on the run.
 */

interface Variation {
  readonly haproxyHosts: number;
  readonly otherHosts: number;
  readonly otherHostsHaveBonds: boolean;
  readonly publicPrefix: number;
  readonly vipSlot: number;
  readonly reservedPublic: readonly [number, number] | null;
  readonly internalVipSlot: number;
  readonly managementIpSlot: number | null;
  readonly vlan: number;
  readonly bind: 'interface' | 'address';
  readonly routerIds: readonly number[];
  /** Further VLANs on the bond: which of BOND_VLAN_BRIDGES, their id offsets from the public VLAN, mtu. */
  readonly bondVlans: readonly {
    readonly bridge: number;
    readonly offset: number;
    readonly mtu: number | null;
  }[];
}

/** Bridges a two-NIC host's bond feeds besides the public one; br-mgmt gets the host ip. */
const BOND_VLAN_BRIDGES = ['br-mgmt', 'br-vxlan', 'br-storage'] as const;

const variationArb: fc.Arbitrary<Variation> = fc.record({
  haproxyHosts: fc.integer({ min: 1, max: 6 }),
  otherHosts: fc.integer({ min: 0, max: 6 }),
  otherHostsHaveBonds: fc.boolean(),
  publicPrefix: fc.integer({ min: 24, max: 27 }),
  vipSlot: fc.nat({ max: 10_000 }),
  reservedPublic: fc.option(fc.tuple(fc.nat({ max: 10_000 }), fc.integer({ min: 0, max: 3 })), {
    nil: null,
  }),
  internalVipSlot: fc.integer({ min: 1, max: 250 }),
  managementIpSlot: fc.option(fc.integer({ min: 1, max: 250 }), { nil: null }),
  vlan: fc.integer({ min: 1, max: 4094 }),
  bind: fc.constantFrom('interface' as const, 'address' as const),
  routerIds: fc.uniqueArray(fc.integer({ min: 1, max: 255 }), { minLength: 2, maxLength: 2 }),
  // Distinct bridges and distinct non-zero offsets: ids unique on the bond, the public VLAN's included.
  bondVlans: fc
    .uniqueArray(
      fc.record({
        bridge: fc.integer({ min: 0, max: BOND_VLAN_BRIDGES.length - 1 }),
        offset: fc.integer({ min: 1, max: 4093 }),
        mtu: fc.option(fc.constantFrom(1500, 9000), { nil: null }),
      }),
      { maxLength: 3, selector: (x) => x.bridge },
    )
    .filter((xs) => new Set(xs.map((x) => x.offset)).size === xs.length),
});

/** The id of a further bond VLAN: `offset` steps after the public VLAN, wrapping inside 1–4094. */
function bondVlanId(publicVlan: number, offset: number): number {
  return ((publicVlan - 1 + offset) % 4094) + 1;
}

const PUBLIC_BASE = ipToInt('198.51.100.0');

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function mac(kind: number, host: number, port: number): string {
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  // 0x02: locally administered unicast. The fixed 12:30 octets would read as a base-60 number in
  // YAML 1.1 if the renderer ever wrote a MAC unquoted.
  return `02:12:30:${hex(kind)}:${hex(host)}:${hex(port)}`;
}

interface Built {
  readonly input: EnvironmentInput & ReturnType<typeof guideInput>;
  readonly gateway: string;
  readonly externalVip: string;
  readonly internalVip: string;
  /** Every address render must put in used_ips, and nothing else. */
  readonly reserved: Set<number>;
}

/** A valid definition for a variation (the guide site with the varied parts replaced). */
function build(v: Variation): Built {
  const input = guideInput();
  const size = 2 ** (32 - v.publicPrefix);
  const gateway = intToIp(PUBLIC_BASE + 1);
  const externalVip = intToIp(PUBLIC_BASE + 2 + (v.vipSlot % (size - 3)));
  const internalVip = `172.29.237.${v.internalVipSlot}`;
  input.networks = {
    container: '172.29.236.0/22',
    tunnel: '172.29.240.0/22',
    storage: '172.29.244.0/22',
    public_api: `${intToIp(PUBLIC_BASE)}/${v.publicPrefix}`,
  };
  const reserved = new Set<number>();
  const addRange = (first: number, last: number) => {
    for (let n = first; n <= last; n++) reserved.add(n);
  };
  input.reserved = {
    container: ['172.29.236.1-172.29.236.50'],
    tunnel: ['172.29.240.1-172.29.240.50'],
  };
  addRange(ipToInt('172.29.236.1'), ipToInt('172.29.236.50'));
  addRange(ipToInt('172.29.240.1'), ipToInt('172.29.240.50'));
  if (v.reservedPublic !== null) {
    const first = PUBLIC_BASE + 2 + (v.reservedPublic[0] % (size - 3 - v.reservedPublic[1]));
    const last = first + v.reservedPublic[1];
    input.reserved.public_api = [first === last ? intToIp(first) : `${intToIp(first)}-${intToIp(last)}`];
    addRange(first, last);
  }
  reserved.add(ipToInt(gateway));
  reserved.add(ipToInt(externalVip));
  reserved.add(ipToInt(internalVip));

  input.hosts = {};
  for (let i = 1; i <= v.haproxyHosts; i++) {
    input.hosts[`infra${i}`] = {
      ip: `172.29.236.${10 + i}`,
      groups: ['shared-infra_hosts', 'repo-infra_hosts', 'haproxy_hosts'],
      bondMembers: { ens3: mac(1, i, 1), ens6: mac(1, i, 2) },
    };
  }
  for (let i = 1; i <= v.otherHosts; i++) {
    input.hosts[`compute${i}`] = {
      ip: `172.29.238.${10 + i}`,
      groups: ['compute_hosts'],
      ...(v.otherHostsHaveBonds ? { bondMembers: { ens3: mac(2, i, 1), ens6: mac(2, i, 2) } } : {}),
    };
  }
  if (v.managementIpSlot !== null) {
    // A management_ip is not reserved by OSA; render must reserve it (docs/osa-facts.md#used-ips).
    const managementIp = `172.29.239.${v.managementIpSlot}`;
    input.hosts.infra1 = { ...input.hosts.infra1!, managementIp };
    reserved.add(ipToInt(managementIp));
  }
  input.haproxy.publicNetwork.gateway = gateway;
  input.haproxy.publicNetwork.vlan = v.vlan;
  input.haproxy.vips = { external: externalVip, internal: internalVip };
  Object.assign(input.haproxy, { bind: v.bind }); // guideInput() types bind as the literal 'interface'
  input.haproxy.keepalived = { externalRouterId: v.routerIds[0]!, internalRouterId: v.routerIds[1]! };
  if (v.bondVlans.length > 0) {
    // The bond carries the largest VLAN MTU (the kernel refuses a VLAN above its bond).
    if (v.bondVlans.some((b) => b.mtu === 9000)) Object.assign(input.hostNetworking.bond, { mtu: 9000 });
    Object.assign(input.hostNetworking, {
      vlans: v.bondVlans.map((b) => ({
        id: bondVlanId(v.vlan, b.offset),
        bridge: BOND_VLAN_BRIDGES[b.bridge]!,
        ...(b.bridge === 0 ? { address: 'host-ip' } : {}),
        ...(b.mtu !== null ? { mtu: b.mtu } : {}),
      })),
    });
    // br-mgmt on the bond replaces the fixture's br-mgmt outside it (one owner per bridge).
    if (v.bondVlans.some((b) => b.bridge === 0)) delete input.hostNetworking.externalBridges;
  }
  return { input, gateway, externalVip, internalVip, reserved };
}

function renderValid(input: unknown): RenderedTree {
  const result = compileEnvironment(input);
  const errors = result.issues.filter((i) => i.severity === 'error');
  expect(errors).toEqual([]);
  expect(result.tree).toBeDefined();
  return result.tree!;
}

/** Read a rendered file as Ansible does (PyYAML speaks YAML 1.1). */
function read(tree: RenderedTree, file: string): Record<string, unknown> {
  const text = tree.get(file);
  expect(text, file).toBeDefined();
  return parse(text!, { version: '1.1' }) as Record<string, unknown>;
}

/** OSA's reading of used_ips: split on `,`; two parts are an inclusive range (docs/osa-facts.md#used-ips). */
function expandUsedIps(entries: unknown): Set<number> {
  expect(Array.isArray(entries)).toBe(true);
  const out = new Set<number>();
  for (const entry of entries as unknown[]) {
    expect(typeof entry).toBe('string');
    expect(entry).toMatch(/^\d{1,3}(?:\.\d{1,3}){3}(?:,\d{1,3}(?:\.\d{1,3}){3})?$/);
    const [a, b = a] = (entry as string).split(',') as [string, string?];
    for (let n = ipToInt(a); n <= ipToInt(b!); n++) out.add(n);
  }
  return out;
}

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => allStrings(v, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allStrings(v, out);
    }
  }
  return out;
}

/** OSA's own eth0 defaults (lxc_container_create), the only Jinja render emits. */
const OSA_ETH0_DEFAULTS = [
  "{{ lxc_net_bridge | default('lxcbr0') }}",
  "{{ lxc_net_bridge_type | default('linuxbridge') }}",
  '{{ lxc_net_mtu | default(1500) }}',
];

/** Reorder every object's keys (arrays keep their order: it is meaningful). */
function shuffleKeys(value: unknown, next: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, next));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, next)]));
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 8;
  };
}

/** Not a timed assertion: only stops a property from hanging a busy CI machine. */
const SAFETY_NET_MS = 120_000;

describe('render properties', () => {
  it(
    'renders every valid variation to files that read back as the intended values',
    () => {
      fc.assert(
        fc.property(variationArb, (v) => {
          const { input, gateway, externalVip, internalVip, reserved } = build(v);
          const tree = renderValid(input);

          const config = read(tree, 'openstack_user_config.yml');
          expect(config.cidr_networks).toEqual(input.networks);
          expect(expandUsedIps(config.used_ips)).toEqual(reserved);

          const overrides = config.global_overrides as Record<string, unknown>;
          expect(overrides.external_lb_vip_address).toBe(externalVip);
          expect(overrides.internal_lb_vip_address).toBe(internalVip);
          const nets = overrides.provider_networks as Record<string, unknown>[];
          expect(nets).toHaveLength(input.providerNetworks.length + 1);
          for (const item of nets) {
            // Every entry nested under `network:` (the guide's indentation makes OSA skip it).
            expect(Object.keys(item)).toEqual(['network']);
            expect(item.network).toBeTypeOf('object');
            expect(item.network).not.toBeNull();
          }
          expect(nets.map((n) => (n.network as Record<string, unknown>).container_bridge)).toEqual([
            ...input.providerNetworks.map((n) => n.bridge),
            'br-public-api',
          ]);
          expect(nets.at(-1)!.network).toMatchObject({
            container_interface: 'eth20',
            ip_from_q: 'public_api',
            group_binds: ['haproxy'],
            static_routes: [{ cidr: '0.0.0.0/0', gateway }],
          });

          for (const [name, host] of Object.entries(input.hosts)) {
            for (const group of host.groups) {
              expect((config[group] as Record<string, { ip: string }>)[name]!.ip).toBe(host.ip);
            }
            const vars = tree.has(`host_vars/${name}.yml`) ? read(tree, `host_vars/${name}.yml`) : undefined;
            const isHaproxy = host.groups.includes('haproxy_hosts');
            expect(vars !== undefined).toBe(isHaproxy || host.bondMembers !== undefined);
            if (vars === undefined) continue;
            const devices = vars.openstack_hosts_systemd_networkd_devices as Record<string, never>[];
            const networks = vars.openstack_hosts_systemd_networkd_networks as Record<string, never>[];
            const vlans = devices.filter((d) => d.NetDev?.['Kind'] === 'vlan');
            // Every VLAN the bond carries, in id order: the modelled ones on every bonded host,
            // the public one on haproxy hosts.
            const modelled = v.bondVlans.map((b) => bondVlanId(v.vlan, b.offset));
            const ids = [...modelled, ...(isHaproxy ? [v.vlan] : [])].sort((a, b) => a - b);
            expect(vlans.map((d) => d.VLAN?.['Id'])).toEqual(ids);
            const bondItem = networks.find((n) => n['interface'] === 'bond0') as Record<string, unknown>;
            expect(bondItem['vlan'] ?? []).toEqual(vlans.map((d) => d.NetDev?.['Name']));
            for (const b of v.bondVlans) {
              const bridge = BOND_VLAN_BRIDGES[b.bridge]!;
              const id = bondVlanId(v.vlan, b.offset);
              const name = `vlan-${bridge.slice(3)}`;
              expect(devices).toContainEqual({
                NetDev: { Name: name, Kind: 'vlan' },
                VLAN: { Id: id },
                filename: `10-osa-gitops-${name}`,
              });
              expect(devices.filter((d) => d.NetDev?.['Name'] === bridge)).toMatchObject([
                { NetDev: { Kind: 'bridge' }, Bridge: { STP: 'off' } },
              ]);
              const mtu = b.mtu !== null ? { mtu: b.mtu } : {};
              expect(networks.filter((n) => n['interface'] === name)).toEqual([
                { interface: name, filename: `10-osa-gitops-${name}`, bridge, ...mtu },
              ]);
              // The host's management address (management_ip, else ip, as OSA's management_address)
              // with the management /22's netmask, on br-mgmt only (docs/osa-facts.md#systemd-networkd address + netmask).
              const hostAddress = (host as { managementIp?: string }).managementIp ?? host.ip;
              const address = b.bridge === 0 ? { address: hostAddress, netmask: '255.255.252.0' } : {};
              expect(networks.filter((n) => n['interface'] === bridge)).toEqual([
                { interface: bridge, filename: `11-osa-gitops-${bridge}`, ...address, ...mtu },
              ]);
            }
            // One .network per interface, unique file names per extension (docs/osa-facts.md#host-networking).
            const interfaces = networks.map((n) => n['interface']);
            expect(new Set(interfaces).size).toBe(interfaces.length);
            for (const list of [devices, networks]) {
              const files = list.map((i) => i['filename']);
              expect(new Set(files).size).toBe(files.length);
            }
            for (const [iface, address] of Object.entries(host.bondMembers ?? {})) {
              const item = networks.find((n) => n['interface'] === iface) as
                Record<string, never> | undefined;
              expect(item?.['config_overrides']).toEqual({ Match: { PermanentMACAddress: address } });
            }
          }

          const uv = read(tree, 'user_variables_haproxy_lxc.yml');
          expect(uv.haproxy_keepalived_external_vip_cidr).toBe(`${externalVip}/32`);
          expect(uv.haproxy_keepalived_internal_vip_cidr).toBe(`${internalVip}/32`);
          expect(uv.haproxy_keepalived_external_virtual_router_id).toBe(v.routerIds[0]);
          expect(uv.haproxy_keepalived_internal_virtual_router_id).toBe(v.routerIds[1]);
          expect(uv.haproxy_keepalived_external_interface).toBe('eth20');
          expect(uv.haproxy_keepalived_internal_interface).toBe('eth1');
          if (v.bind === 'interface') {
            expect(uv).toMatchObject({
              haproxy_bind_external_lb_vip_interface: 'eth20',
              haproxy_bind_internal_lb_vip_interface: 'eth1',
              haproxy_bind_external_lb_vip_address: '*',
              haproxy_bind_internal_lb_vip_address: '*',
            });
          } else {
            // The VIPs themselves: a container-address bind would leave VIP:port unserved.
            expect(uv.haproxy_bind_external_lb_vip_address).toBe(externalVip);
            expect(uv.haproxy_bind_internal_lb_vip_address).toBe(internalVip);
            expect(uv).not.toHaveProperty('haproxy_bind_external_lb_vip_interface');
          }

          const eth0 = read(tree, 'group_vars/haproxy/lxc_network.yml');
          expect(eth0).toMatchObject({
            lxc_container_networks: { lxcbr0_address: { dhcp_use_routes: false } },
          });
          expect(read(tree, 'env.d/haproxy.yml')).toEqual({
            container_skel: { haproxy_container: { properties: { is_metal: false } } },
          });
        }),
        { numRuns: 120 },
      );
    },
    SAFETY_NET_MS,
  );

  it(
    'emits no Jinja but OSA’s own eth0 defaults, and no anchors, aliases or tags',
    () => {
      fc.assert(
        fc.property(variationArb, (v) => {
          const tree = renderValid(build(v).input);
          const allowed = new Set(OSA_ETH0_DEFAULTS);
          for (const [file, text] of tree) {
            if (!file.endsWith('.yml')) continue;
            const jinja = allStrings(parse(text, { version: '1.1' })).filter((s) => /\{\{|\{%|\{#/.test(s));
            expect(jinja.filter((s) => !allowed.has(s))).toEqual([]);
            const doc = parseDocument(text, { version: '1.1' });
            expect(doc.errors).toEqual([]);
            visit(doc, {
              Alias() {
                throw new Error(`${file}: render emitted a YAML alias`);
              },
              Node(_, node) {
                if ('anchor' in node && node.anchor) throw new Error(`${file}: anchor ${node.anchor}`);
                if (node.tag) throw new Error(`${file}: tag ${node.tag}`);
              },
            });
          }
        }),
        { numRuns: 60 },
      );
    },
    SAFETY_NET_MS,
  );

  it(
    'is deterministic: the same input twice, and any key order, give the same bytes',
    () => {
      fc.assert(
        fc.property(variationArb, fc.integer(), (v, seed) => {
          const { input } = build(v);
          const first = [...renderValid(input)];
          expect([...renderValid(build(v).input)]).toEqual(first);
          expect([...renderValid(shuffleKeys(input, lcg(seed)))]).toEqual(first);
        }),
        { numRuns: 80 },
      );
    },
    SAFETY_NET_MS,
  );
});
