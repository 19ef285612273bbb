import { z } from 'zod';
import { boundedInt } from './bounds';

/**
 * The site definition as operators write it (friendly input) and as validation and render read it.
 *
 * zod checks shape only: types, required keys, and unknown keys (every object is strict, so a typo
 * such as `gatway:` fails instead of being dropped). Content rules (addresses, names, ranges,
 * cross-references) live in `validate/` so that each has a stable code and an explanatory message.
 * Length caps on strings and collections keep hostile input from costing more than it is worth.
 *
 * Every number is a `boundedInt` of one kind (bounds.ts): zod checks the range the program that
 * reads it accepts, and the shape check reports a value outside it under that kind's code.
 *
 * Each key says what it is in `.describe()`, not in a comment: the text exists at runtime, and
 * docs/definition-reference.md and docs/definition.schema.json are generated from it
 * (`npm run docs:schema`; a test fails while they differ). Write the text for operators.
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

export const BondSchema = z
  .strictObject({
    name: shortText.describe('netdev name of the bond, e.g. `bond0`.'),
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
      .default('802.3ad')
      .describe('systemd `Bond.Mode`.'),
    transmitHashPolicy: z
      .enum(['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4'])
      .default('layer3+4')
      .describe('systemd `Bond.TransmitHashPolicy`.'),
    lacpTransmitRate: z.enum(['slow', 'fast']).default('fast').describe('systemd `Bond.LACPTransmitRate`.'),
    miiMonitor: duration
      .default('100ms')
      .describe(
        "systemd `Bond.MIIMonitorSec`, with a unit (`100ms`, `1s`). The guide's bare `100` means 100 seconds. Range 1 ms to 2^31 − 1 ms (`DURATION_RANGE`): systemd-networkd sends whole milliseconds, and 0 turns MII monitoring off; the bonding driver takes at most 2^31 − 1 ms (docs/osa-facts.md#numeric-ranges).",
      ),
    mtu: boundedInt('mtu').optional().describe('systemd `[Link] MTUBytes` of the bond.'),
  })
  .describe('The bond built on every metal host that lists `bondMembers`.');

export const BondVlanSchema = z
  .strictObject({
    id: boundedInt('vlanId').describe(
      '802.1Q VLAN id on the bond, unique on the bond, the public VLAN included.',
    ),
    name: shortText.optional().describe('The VLAN netdev name. Default: `vlan-<bridge without br->`.'),
    bridge: shortText.describe('Host bridge the VLAN feeds, e.g. `br-mgmt`, `br-vxlan`, `br-storage`.'),
    address: z
      .enum(['host-ip', 'none'])
      .default('none')
      .describe(
        "`host-ip`: the host's `ip` goes on the bridge with the management network's prefix (systemd_networkd `address` + `netmask`, docs/osa-facts.md#systemd-networkd); only on the management bridge, at most once.",
      ),
    gateway: shortText
      .optional()
      .describe(
        "The host's default gateway, on the `host-ip` bridge only (systemd_networkd `gateway`): a host whose NICs are all in the bond has no other place for its default route. Inside the management network; reserved in used_ips.",
      ),
    dns: z
      .array(shortText)
      .max(8)
      .optional()
      .describe("The host's DNS servers, on the `host-ip` bridge only (systemd_networkd `dns`)."),
    mtu: boundedInt('mtu').optional().describe('systemd `[Link] MTUBytes` of the VLAN and its bridge.'),
  })
  .describe(
    'A further VLAN on the bond, feeding a host bridge (e.g. VLAN 10 → `br-mgmt`). host_vars set the COMPLETE networkd lists of a host (docs/osa-facts.md#openstack-hosts) and systemd applies only the first matching `.network` (docs/osa-facts.md#host-networking): everything the bond carries besides the public VLAN must be listed, or running openstack-hosts-setup drops it.',
  );

export const ExternalBridgeSchema = z
  .strictObject({
    bridge: shortText.describe('The bridge, e.g. `br-mgmt`.'),
    interface: shortText
      .optional()
      .describe('The NIC or device that feeds it, e.g. `ens2`; shown by `explain`.'),
    address: z
      .enum(['host-ip', 'none'])
      .default('none')
      .describe("`host-ip`: the host's management address is on this bridge."),
  })
  .describe(
    "A bridge the hosts with bond members have outside the bond, built by something other than osa-gitops (e.g. br-mgmt on its own NIC, set up with the host's OS). Nothing is rendered for it; declaring it tells validation that the bridge exists (see `hostNetworking.complete` and docs/adr/0005-declared-host-networking.md).",
  );

export const StaticRouteSchema = z
  .strictObject({
    cidr: shortText.describe('Destination, an IPv4 CIDR (`0.0.0.0/0` for a default route).'),
    gateway: shortText.describe("Next hop, inside the network's `ipFromQ` network."),
  })
  .describe('One `static_routes` entry of a provider network.');

export const ProviderNetworkSchema = z
  .strictObject({
    bridge: shortText.describe('`container_bridge`: the host bridge, e.g. `br-mgmt`.'),
    containerInterface: shortText
      .optional()
      .describe(
        '`container_interface`: the interface inside each container, e.g. `eth1` (at most 6 characters).',
      ),
    containerType: z
      .enum(['veth', 'phys'])
      .optional()
      .describe('`container_type`. Default: `veth` when `containerInterface` is set.'),
    bridgeType: z.enum(['linuxbridge', 'openvswitch']).optional().describe('`container_bridge_type`.'),
    type: z
      .enum(['raw', 'vlan', 'flat', 'vxlan', 'geneve'])
      .describe('`type`: what neutron or OSA does with it.'),
    ipFromQ: shortText
      .optional()
      .describe('`ip_from_q`: a key of `networks` to allocate container addresses from.'),
    addressPrefix: shortText.optional().describe('`address_prefix`: renames `<ip_from_q>_address`.'),
    groupBinds: z
      .array(shortText)
      .min(1)
      .max(64)
      .describe('`group_binds`: inventory groups whose members get this network (OSA env.d groups).'),
    isManagementAddress: z
      .boolean()
      .optional()
      .describe('`is_management_address`: this network carries `ansible_host`. Exactly one network has it.'),
    mtu: boundedInt('mtu')
      .optional()
      .describe("`container_mtu`: the MTU of the containers' interface on this network."),
    range: shortText.optional().describe('`range` for vlan/vxlan/geneve types, e.g. `101:200`.'),
    netName: shortText.optional().describe('`net_name` (neutron physical network name).'),
    hostBindOverride: shortText
      .optional()
      .describe('`host_bind_override`: the host interface neutron binds instead of the bridge.'),
    referenceGroup: shortText
      .optional()
      .describe('`reference_group`: only hosts whose physical host is in this group get the network.'),
    staticRoutes: z.array(StaticRouteSchema).max(64).optional().describe('`static_routes`.'),
    gateway: shortText.optional().describe('`gateway` of the network entry.'),
  })
  .describe(
    "One `global_overrides.provider_networks` entry, written flat; the renderer nests it under `network:` (the guide's indentation makes OSA skip the entry silently, docs/osa-facts.md#provider-networks).",
  );

export const HostSchema = z
  .strictObject({
    ip: shortText.describe('Management IP (OSA `ip:`), reserved automatically by OSA.'),
    managementIp: shortText
      .optional()
      .describe('OSA `management_ip:` (not reserved by OSA; the renderer reserves it).'),
    groups: z
      .array(shortText)
      .min(1)
      .max(64)
      .describe('OSA physical host groups, e.g. `shared-infra_hosts`, `haproxy_hosts`.'),
    bondMembers: z
      .record(shortText, shortText)
      .optional()
      .describe(
        'Bond members of this host: interface name → MAC address (each host has its own NICs). A host with bond members gets the bond and every `hostNetworking.vlans` entry.',
      ),
    affinity: z
      .record(shortText, boundedInt('affinity'))
      .optional()
      .describe('OSA `affinity`: containers of a kind on this host (default 1; 0 means none).'),
    networkdFilenames: networkdFilenames
      .optional()
      .describe(
        'Per-host systemd-networkd file names to take over (name → file name stem); overrides `hostNetworking.networkdFilenames` per name.',
      ),
  })
  .describe('A metal host, under its inventory name.');

export const PublicNetworkSchema = z
  .strictObject({
    cidrName: shortText.describe('The `networks` key of the public CIDR, e.g. `public_api`.'),
    gateway: shortText.describe('Default gateway of the haproxy containers, inside the public CIDR.'),
    vlan: boundedInt('vlanId').describe('802.1Q VLAN id of the public network on the bond.'),
    vlanInterface: shortText
      .optional()
      .describe('The VLAN netdev name. Default: `vlan-<bridge without br->`.'),
    bond: shortText.describe('Name of the bond (`hostNetworking.bond.name`) that carries the VLAN.'),
    bridge: shortText.describe('Host bridge the container veth joins, e.g. `br-public-api`.'),
    containerInterface: shortText.describe('Interface inside the haproxy container, e.g. `eth20`.'),
    mtu: boundedInt('mtu').optional().describe('`container_mtu` of the public network.'),
  })
  .describe('The public network of the haproxy containers: built on haproxy hosts only.');

export const KeepalivedSchema = z
  .strictObject({
    externalRouterId: boundedInt('routerId')
      .default(10)
      .describe("VRRP router id of the external instance (OSA's default is 10)."),
    internalRouterId: boundedInt('routerId')
      .default(11)
      .describe("VRRP router id of the internal instance (OSA's default is 11)."),
    internalPingAddress: shortText
      .optional()
      .describe(
        "What the internal instance pings (OSA's `keepalived_internal_ping_address`), an address on the management network. Default: the hosts' management gateway (the `host-ip` VLAN's `gateway`), else 127.0.0.1 (no reachability tracking); never the public gateway.",
      ),
    unicast: z
      .boolean()
      .optional()
      .describe(
        "VRRP between this site's own haproxy containers by unicast (keepalived's `unicast_src_ip`/`unicast_peer`, through OSA's `keepalived_instances_overrides`), each peer checked as the advert's source with TTL 255, instead of multicast to the whole VLAN. Default: multicast, as OSA does. See docs/SECURITY.md, \"VRRP on the public VLAN\".",
      ),
    routerIdsInUse: z
      .strictObject({
        external: z
          .array(boundedInt('routerId'))
          .max(255)
          .optional()
          .describe("Ids in use on the public VLAN (e.g. the gateways' own VRRP)."),
        internal: z
          .array(boundedInt('routerId'))
          .max(255)
          .optional()
          .describe('Ids in use on the management network.'),
      })
      .optional()
      .describe(
        'VRRP router ids that others already use on the segments the two instances advertise on: the external and internal ids must be none of them, and sites sharing `publicSegment` must not use an external id any of them declares.',
      ),
  })
  .describe('keepalived inside the haproxy containers.');

export const VipsSchema = z
  .strictObject({
    external: shortText.describe(
      'External VIP, a plain IPv4 address inside the public network (rendered as `/32`).',
    ),
    internal: shortText.describe('Internal VIP, a plain IPv4 address inside the management network.'),
    externalName: shortText
      .optional()
      .describe(
        "The DNS name clients use for the external VIP (e.g. `cloud.example.com`): it goes into the certificate OSA's CA issues for HAProxy, next to the VIP addresses.",
      ),
  })
  .describe('The two VIPs keepalived moves between the haproxy containers.');

export const HaproxySchema = z
  .strictObject({
    publicNetwork: PublicNetworkSchema,
    vips: VipsSchema,
    bind: z
      .enum(['interface', 'address'])
      .default('interface')
      .describe("Bind HAProxy by container interface (the guide's default) or by the container's addresses."),
    keepalived: KeepalivedSchema.default({ externalRouterId: 10, internalRouterId: 11 }),
  })
  .describe('HAProxy and keepalived in LXC containers on the `haproxy_hosts`.');

export const DeploySchema = z
  .strictObject({
    runnerLabel: shortText.describe("Label of the site's self-hosted GitHub runner."),
    configDir: text.default('/etc/openstack_deploy').describe('OSA config dir on the deploy host.'),
    osaDir: text.default('/opt/openstack-ansible').describe('openstack-ansible checkout on the deploy host.'),
    hostNetworking: z
      .enum(['auto', 'manual'])
      .default('auto')
      .describe(
        'The host-networking stage (openstack-hosts-setup, systemd part only, on the hosts whose host_vars changed): `auto` runs it after its own approval; `manual` stops the deploy before it with the exact command, for an operator to run before re-running the deploy.',
      ),
  })
  .describe('Where and how the site deploys.');

export const HostNetworkingSchema = z
  .strictObject({
    bond: BondSchema.optional(),
    vlans: z
      .array(BondVlanSchema)
      .max(64)
      .optional()
      .describe(
        'Every VLAN the bond carries besides the public one, built on every host with bond members (the public VLAN is added on haproxy hosts). Omit only when the bond carries nothing else.',
      ),
    networkdFilenames: networkdFilenames
      .optional()
      .describe(
        "Site-wide systemd-networkd file names to take over (e.g. the guide's `05-general-bond0`), name → file name stem, so the role overwrites a file already on the host instead of adding one that sorts after it; a host's own `networkdFilenames` wins per name.",
      ),
    externalBridges: z
      .array(ExternalBridgeSchema)
      .max(64)
      .optional()
      .describe('Bridges these hosts have outside the bond, built by something else (declared only).'),
    complete: z
      .boolean()
      .optional()
      .describe(
        "The bond's VLANs, the public VLAN and `externalBridges` are ALL the bridges the hosts with bond members have. Then a bridge their containers need but nothing builds, a bridge nothing needs, and a management address on no modelled interface are errors, not warnings. Default: false.",
      ),
  })
  .describe("The metal hosts' bond and its VLANs (`host_vars/<host>.yml`).");

export const EnvironmentSchema = z.strictObject({
  name: shortText.describe('Site name, kebab-case: a folder, a branch and an Nx project name.'),
  description: text
    .optional()
    .describe('Free text for people; checked like every string that reaches Ansible.'),
  publicSegment: shortText
    .optional()
    .describe(
      "L2 segment that the site's public VLAN shares with other sites (fleet VRRP check): sites with the same segment name must not reuse external keepalived router ids.",
    ),
  routingDomain: shortText
    .default('default')
    .describe('Sites whose networks are routed together must not overlap (fleet check).'),
  networks: z
    .record(shortText, shortText)
    .describe('`cidr_networks`: name → CIDR. Needs `container` or `management`.'),
  reserved: z
    .record(shortText, z.array(shortText).max(1024))
    .default({})
    .describe('Addresses OSA must never hand out, per network: `a.b.c.d` or a range `a.b.c.d-e.f.g.h`.'),
  managementBridge: shortText.default('br-mgmt').describe('`global_overrides.management_bridge`.'),
  providerNetworks: z
    .array(ProviderNetworkSchema)
    .min(1)
    .max(64)
    .describe('`global_overrides.provider_networks`, besides the public network derived from `haproxy`.'),
  hostNetworking: HostNetworkingSchema.default({}),
  hosts: z.record(shortText, HostSchema).describe('Metal hosts by inventory name.'),
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
