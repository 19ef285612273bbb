import { z } from 'zod';

/**
 * The site definition as operators write it (friendly input) and as validation and render read it.
 *
 * zod checks shape only: types, required keys, and unknown keys (every object is strict, so a typo
 * such as `gatway:` fails instead of being dropped). Content rules (addresses, names, ranges,
 * cross-references) live in `validate/` so that each has a stable code and an explanatory message.
 * Length caps on strings and collections keep hostile input from costing more than it is worth.
 */

const text = z.string().max(256);
const shortText = z.string().max(64);

/**
 * systemd-networkd file names to take over: netdev/interface name → file name stem (no extension).
 * The stem replaces ours for every file written for that name (`.netdev` when it is a netdev,
 * `.network` and `.link`), so the role overwrites a file already on the host instead of adding a
 * second one that sorts after it (docs/host-networking.md).
 */
const networkdFilenames = z.record(shortText, shortText);

/** A duration for systemd, with an explicit unit (`100ms`, `2s`); a bare number means seconds there. */
const duration = shortText;

export const BondSchema = z.strictObject({
  /** netdev name, e.g. `bond0`. */
  name: shortText,
  /** systemd `Bond.Mode`. @default '802.3ad' */
  mode: z
    .enum([
      '802.3ad',
      'active-backup',
      'balance-rr',
      'balance-xor',
      'broadcast',
      'balance-tlb',
      'balance-alb',
    ])
    .default('802.3ad'),
  /** systemd `Bond.TransmitHashPolicy`. @default 'layer3+4' */
  transmitHashPolicy: z.enum(['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4']).default('layer3+4'),
  /** systemd `Bond.LACPTransmitRate`. @default 'fast' */
  lacpTransmitRate: z.enum(['slow', 'fast']).default('fast'),
  /** systemd `Bond.MIIMonitorSec`, with a unit. The guide's bare `100` means 100 seconds. @default '100ms' */
  miiMonitor: duration.default('100ms'),
  /** systemd `[Link] MTUBytes` of the bond, optional. */
  mtu: z.number().int().optional(),
});

/**
 * A further VLAN on the bond, feeding a host bridge (e.g. VLAN 10 → `br-mgmt`). host_vars set
 * openstack_hosts' COMPLETE networkd lists for a host (docs/osa-facts.md#systemd-networkd, #openstack-hosts), and systemd
 * applies only the first matching `.network` (docs/osa-facts.md#host-networking): everything the bond carries besides the public
 * VLAN must be listed here, or running openstack-hosts-setup drops it.
 */
export const BondVlanSchema = z.strictObject({
  /** 802.1Q VLAN id on the bond (1–4094, unique on the bond, the public VLAN included). */
  id: z.number().int(),
  /** The VLAN netdev name. @default `vlan-<bridge without br->` */
  name: shortText.optional(),
  /** Host bridge the VLAN feeds, e.g. `br-mgmt`, `br-vxlan`, `br-storage`. */
  bridge: shortText,
  /**
   * `host-ip`: the host's `ip` goes on the bridge with the management network's prefix
   * (systemd_networkd `address` + `netmask`, docs/osa-facts.md#systemd-networkd); only on the management bridge, at most once.
   * @default 'none'
   */
  address: z.enum(['host-ip', 'none']).default('none'),
  /**
   * The host's default gateway, on the `host-ip` bridge only (systemd_networkd `gateway`, docs/osa-facts.md#systemd-networkd):
   * a host whose NICs are all in the bond has no other place for its default route. Inside the
   * management network; reserved in used_ips.
   */
  gateway: shortText.optional(),
  /** The host's DNS servers, on the `host-ip` bridge only (systemd_networkd `dns`). */
  dns: z.array(shortText).max(8).optional(),
  /** systemd `[Link] MTUBytes` of the VLAN and its bridge, optional. */
  mtu: z.number().int().optional(),
});

/**
 * A bridge the hosts with bond members have outside the bond, built by something other than
 * osa-gitops (e.g. br-mgmt on its own NIC, set up with the host's OS). Nothing is rendered for it;
 * declaring it tells validation that the bridge exists (see `hostNetworking.complete` and
 * `docs/adr/0005-declared-host-networking.md`).
 */
export const ExternalBridgeSchema = z.strictObject({
  /** The bridge, e.g. `br-mgmt`. */
  bridge: shortText,
  /** The NIC or device that feeds it, e.g. `ens2`; shown by `explain`. */
  interface: shortText.optional(),
  /** `host-ip`: the host's management address is on this bridge. @default 'none' */
  address: z.enum(['host-ip', 'none']).default('none'),
});

export const StaticRouteSchema = z.strictObject({ cidr: shortText, gateway: shortText });

/**
 * One `global_overrides.provider_networks` entry, written flat; the renderer nests it under
 * `network:` (the guide's indentation makes OSA skip the entry silently).
 */
export const ProviderNetworkSchema = z.strictObject({
  /** `container_bridge`: the host bridge, e.g. `br-mgmt`. */
  bridge: shortText,
  /** `container_interface`: the interface inside each container, e.g. `eth1`. */
  containerInterface: shortText.optional(),
  /** `container_type`. @default 'veth' when containerInterface is set */
  containerType: z.enum(['veth', 'phys']).optional(),
  /** `container_bridge_type`. */
  bridgeType: z.enum(['linuxbridge', 'openvswitch']).optional(),
  /** `type`: what neutron or OSA does with it. */
  type: z.enum(['raw', 'vlan', 'flat', 'vxlan', 'geneve']),
  /** `ip_from_q`: a key of `networks` to allocate container addresses from. */
  ipFromQ: shortText.optional(),
  /** `address_prefix`: renames `<ip_from_q>_address`. */
  addressPrefix: shortText.optional(),
  /** `group_binds`: inventory groups whose members get this network. */
  groupBinds: z.array(shortText).min(1).max(64),
  /** `is_management_address`: this network carries `ansible_host`. */
  isManagementAddress: z.boolean().optional(),
  /** `container_mtu`. */
  mtu: z.number().int().optional(),
  /** `range` for vlan/vxlan/geneve types, e.g. `101:200`. */
  range: shortText.optional(),
  /** `net_name` (neutron physical network name). */
  netName: shortText.optional(),
  /** `host_bind_override`: the host interface neutron binds instead of the bridge. */
  hostBindOverride: shortText.optional(),
  /** `reference_group`: only hosts whose physical host is in this group get the network. */
  referenceGroup: shortText.optional(),
  /** `static_routes`. */
  staticRoutes: z.array(StaticRouteSchema).max(64).optional(),
  /** `gateway` of the network entry. */
  gateway: shortText.optional(),
});

export const HostSchema = z.strictObject({
  /** Management IP (OSA `ip:`), reserved automatically by OSA. */
  ip: shortText,
  /** OSA `management_ip:` (not reserved by OSA; the renderer reserves it). */
  managementIp: shortText.optional(),
  /** OSA physical host groups, e.g. `shared-infra_hosts`, `haproxy_hosts`. */
  groups: z.array(shortText).min(1).max(64),
  /** Bond members of this host: interface name → MAC address (each host has its own NICs). */
  bondMembers: z.record(shortText, shortText).optional(),
  /** OSA `affinity`: containers of a kind on this host (default 1; 0 means none). */
  affinity: z.record(shortText, z.number().int()).optional(),
  /** Per-host networkd file names to take over; overrides `hostNetworking.networkdFilenames`. */
  networkdFilenames: networkdFilenames.optional(),
});

export const PublicNetworkSchema = z.strictObject({
  /** The `networks` key of the public CIDR, e.g. `public_api`. */
  cidrName: shortText,
  /** Default gateway of the haproxy containers, inside the public CIDR. */
  gateway: shortText,
  /** 802.1Q VLAN id on the bond. */
  vlan: z.number().int(),
  /** The VLAN netdev name. @default `vlan-<bridge without br->` */
  vlanInterface: shortText.optional(),
  /** Name of the bond (in `hostNetworking.bond`) that carries the VLAN. */
  bond: shortText,
  /** Host bridge the container veth joins, e.g. `br-public-api`. */
  bridge: shortText,
  /** Interface inside the haproxy container, e.g. `eth20`. */
  containerInterface: shortText,
  /** `container_mtu` of the public network. */
  mtu: z.number().int().optional(),
});

export const KeepalivedSchema = z.strictObject({
  /** VRRP router id of the external instance. @default 10 (OSA's default) */
  externalRouterId: z.number().int().default(10),
  /** VRRP router id of the internal instance. @default 11 (OSA's default) */
  internalRouterId: z.number().int().default(11),
});

export const HaproxySchema = z.strictObject({
  publicNetwork: PublicNetworkSchema,
  vips: z.strictObject({
    /** External VIP, a plain IPv4 address inside the public network (rendered as `/32`). */
    external: shortText,
    /** Internal VIP, a plain IPv4 address inside the management network. */
    internal: shortText,
  }),
  /** Bind HAProxy by container interface (the guide's default) or by the container's addresses. */
  bind: z.enum(['interface', 'address']).default('interface'),
  keepalived: KeepalivedSchema.default({ externalRouterId: 10, internalRouterId: 11 }),
});

export const DeploySchema = z.strictObject({
  /** Label of the site's self-hosted GitHub runner. */
  runnerLabel: shortText,
  /** OSA config dir on the deploy host. @default '/etc/openstack_deploy' */
  configDir: text.default('/etc/openstack_deploy'),
  /** openstack-ansible checkout on the deploy host. @default '/opt/openstack-ansible' */
  osaDir: text.default('/opt/openstack-ansible'),
  /**
   * The host-networking stage (openstack-hosts-setup, systemd part only, on the hosts whose
   * host_vars changed): `auto` runs it after its own approval; `manual` stops the deploy before it
   * with the exact command, for an operator to run before re-running the deploy. @default 'auto'
   */
  hostNetworking: z.enum(['auto', 'manual']).default('auto'),
});

export const EnvironmentSchema = z.strictObject({
  /** Site name, kebab-case: a folder, a branch and an Nx project name. */
  name: shortText,
  /** Free text for people; checked like every string that reaches Ansible. */
  description: text.optional(),
  /**
   * L2 segment that the site's public VLAN shares with other sites (for fleet VRRP checks).
   * Sites with the same segment name must not reuse external keepalived router ids.
   */
  publicSegment: shortText.optional(),
  /** Sites whose networks are routed together must not overlap (fleet check). @default 'default' */
  routingDomain: shortText.default('default'),
  /** `cidr_networks`: name → CIDR. Needs `container` or `management`. */
  networks: z.record(shortText, shortText),
  /** Addresses OSA must never hand out, per network: `a.b.c.d` or a range `a.b.c.d-e.f.g.h`. */
  reserved: z.record(shortText, z.array(shortText).max(1024)).default({}),
  /** `global_overrides.management_bridge`. @default 'br-mgmt' */
  managementBridge: shortText.default('br-mgmt'),
  providerNetworks: z.array(ProviderNetworkSchema).min(1).max(64),
  hostNetworking: z
    .strictObject({
      /** The bond built on every metal host that lists bond members. */
      bond: BondSchema.optional(),
      /**
       * Every VLAN the bond carries besides the public one, built on every host with bond members
       * (the public VLAN is added on haproxy hosts). Omit only when the bond carries nothing else.
       */
      vlans: z.array(BondVlanSchema).max(64).optional(),
      /**
       * Site-wide networkd file names to take over (e.g. the guide's `05-general-bond0`), name →
       * stem; a host's own `networkdFilenames` wins per name.
       */
      networkdFilenames: networkdFilenames.optional(),
      /** Bridges these hosts have outside the bond, built by something else (declared only). */
      externalBridges: z.array(ExternalBridgeSchema).max(64).optional(),
      /**
       * The bond's VLANs, the public VLAN and `externalBridges` are ALL the bridges the hosts with
       * bond members have. Then a bridge their containers need but nothing builds, a bridge
       * nothing needs, and a management address on no modelled interface are errors, not
       * warnings. @default false
       */
      complete: z.boolean().optional(),
    })
    .default({}),
  hosts: z.record(shortText, HostSchema),
  haproxy: HaproxySchema,
  deploy: DeploySchema,
});

/** What operators write: defaults may be omitted. */
export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
/** What validation and render read: defaults filled in. */
export type Environment = z.output<typeof EnvironmentSchema>;
export type ProviderNetwork = z.output<typeof ProviderNetworkSchema>;
export type Host = z.output<typeof HostSchema>;
export type Bond = z.output<typeof BondSchema>;
export type BondVlan = z.output<typeof BondVlanSchema>;
export type ExternalBridge = z.output<typeof ExternalBridgeSchema>;
export type Haproxy = z.output<typeof HaproxySchema>;
export type PublicNetwork = z.output<typeof PublicNetworkSchema>;
export type StaticRoute = z.output<typeof StaticRouteSchema>;
