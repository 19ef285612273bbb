import { HOST_VARS_PREFIX, type RenderedTree, USER_VARIABLES_FILE } from '@osa-gitops/core';
import { readSiteFacts } from './read-site-facts';
import { populatedGroups, servicePlaybooksFor, type ServicePlaybook } from './service-playbooks';
import type { NetworkChange, NetworkChangeKind } from './types';

/**
 * A site's deploy runs in stages, in the order OSA applies them to a HAProxy host
 * (docs/osa-facts.md#haproxy-procedure): host networking builds the bond, VLANs and bridges; the
 * containers are created on those bridges; HAProxy is configured in them without keepalived; each
 * service's playbook writes its frontends and backends (`haproxy-service-config`); galera learns
 * the new HAProxy addresses it must trust; a site moving off metal HAProxy stops the metal
 * instances (its own approval); only then keepalived runs and the VIPs move; verify checks what
 * is live. Each stage reads the files the deploy synced before the first one.
 */
export type StageName =
  | 'host-networking'
  | 'containers'
  | 'haproxy'
  | 'frontends'
  | 'trusted-proxies'
  | 'metal-cutover'
  | 'keepalived'
  | 'verify';

export const STAGE_ORDER: readonly StageName[] = [
  'host-networking',
  'containers',
  'haproxy',
  'frontends',
  'trusted-proxies',
  'metal-cutover',
  'keepalived',
  'verify',
];

/**
 * Who lets a stage run:
 * - `site`: the approval of the site's deploy as a whole (its GitHub environment, named after the site);
 * - `host-networking`: its own approval on top (the environment `hostNetworkingEnvironment(site)`),
 *   because a wrong bond or VLAN cuts a host off;
 * - `metal-cutover`: its own approval on top, because it stops the metal HAProxy instances and the
 *   VIPs move: the deploy stops before it unless run with `--metal-cutover approved` on the deploy
 *   host (the deploy workflow does not pass it), or resumed with `--metal-cutover done` after a
 *   person did it by hand;
 * - `manual`: the site set `deploy.hostNetworking: 'manual'`; the deploy stops before this stage,
 *   prints the command, and an operator runs it and then re-runs the deploy.
 */
export type StageApproval = 'site' | 'host-networking' | 'metal-cutover' | 'manual';

export interface DeployStage {
  readonly name: StageName;
  /** What runs, as argv (never through a shell). */
  readonly argv: readonly string[];
  /** The same as one line, for people. */
  readonly command: string;
  readonly approval: StageApproval;
  /** Why this stage runs for this change. */
  readonly why: string;
  /** host-networking: the hosts it is limited to; metal-cutover: the metal instances; sorted. */
  readonly hosts?: readonly string[];
  /**
   * metal-cutover in a PR plan: the deploy runs it only if the deploy host's inventory still has
   * these hosts in the `haproxy` group (HAProxy on metal today), which only the host knows.
   */
  readonly conditional?: boolean;
}

export type HostNetworkingMode = 'auto' | 'manual';

/**
 * The container command every deploy runs (the stage every site's deploy has had from the start).
 * `haproxy` is the containers' component group, `lxc_hosts` their physical hosts, whose facts the
 * play needs (openstack-ansible-plugins `playbooks/containers_lxc_create.yml` @ 76b7f0d).
 */
export const CONTAINERS_ARGV = [
  'openstack-ansible',
  'playbooks/lxc-containers-create.yml',
  '--limit',
  'haproxy,lxc_hosts',
] as const;

/** haproxy-install.yml runs the keepalived role (tag `keepalived`) and then haproxy_server. */
export const HAPROXY_PLAYBOOK = 'playbooks/haproxy-install.yml';

/** The trusted-proxy lists galera applies: its config tasks (my.cnf, the check socket). */
export const TRUSTED_PROXIES_ARGV = [
  'openstack-ansible',
  'playbooks/galera-install.yml',
  '--tags',
  'galera_server-config',
] as const;

/** The playbook osa-gitops ships for the cut-over (package `@osa-gitops/deployer`, `playbooks/`). */
export const METAL_CUTOVER_PLAYBOOK = 'osa-gitops-metal-cutover.yml';

/**
 * Host networking: openstack_hosts under `--tags openstack_hosts-systemd`. Its `tasks/main.yml`
 * includes `openstack_hosts_systemd.yml` under that tag, so packages, kernel modules and sysctl
 * are not re-applied; but that file includes the whole systemd_networkd role, whose tasks inherit
 * the tag: its package block too, and on a host's first run its handlers (udev trigger, initramfs
 * update) (docs/osa-facts.md#openstack-hosts).
 */
export function hostNetworkingArgv(hosts: readonly string[]): string[] {
  return [
    'openstack-ansible',
    'playbooks/openstack-hosts-setup.yml',
    '--limit',
    hosts.join(','),
    '--tags',
    'openstack_hosts-systemd',
  ];
}

/** The GitHub environment whose reviewers approve a site's host-networking stage. */
export function hostNetworkingEnvironment(site: string): string {
  return `${site}-host-networking`;
}

/**
 * The GitHub environment whose reviewers approve a site's metal cut-over (the VIPs move from the
 * metal HAProxy hosts to the containers); asked for only when a person dispatches the deploy with
 * `metal-cutover: approved`, since only the deploy host's inventory knows whether one is needed.
 */
export function metalCutoverEnvironment(site: string): string {
  return `${site}-metal-cutover`;
}

/** `--limit` that keeps metal HAProxy instances out of a run while they still serve the VIPs. */
function withoutMetal(group: string, metal: readonly string[]): string[] {
  return metal.length === 0 ? [] : ['--limit', [group, ...metal.map((h) => `!${h}`)].join(':')];
}

export function haproxyArgv(metal: readonly string[] = []): string[] {
  return [
    'openstack-ansible',
    HAPROXY_PLAYBOOK,
    ...withoutMetal('haproxy', metal),
    '--skip-tags',
    'keepalived',
  ];
}

export function keepalivedArgv(): string[] {
  return ['openstack-ansible', HAPROXY_PLAYBOOK, '--tags', 'keepalived'];
}

/** One run of every service playbook the site has, in order, limited to their frontend tasks. */
export function frontendsArgv(
  playbooks: readonly ServicePlaybook[],
  metal: readonly string[] = [],
): string[] {
  return [
    'openstack-ansible',
    ...playbooks.map((p) => p.playbook),
    ...withoutMetal('all', metal),
    '--tags',
    'haproxy-service-config',
  ];
}

/**
 * The cut-over: the osa-gitops playbook stops and disables keepalived, then haproxy, on the
 * metal instances, and removes them from OSA's inventory with `scripts/inventory-manage.py -r`
 * (the generator adds each host back to the groups its `openstack_user_config.yml` entries give
 * it, no longer to `haproxy`). The JSON is a list of host names checked against the inventory.
 */
export function metalCutoverArgv(metal: readonly string[]): string[] {
  return [
    'openstack-ansible',
    METAL_CUTOVER_PLAYBOOK,
    '-e',
    JSON.stringify({ osa_gitops_metal_hosts: [...metal] }),
  ];
}

/**
 * Changes that need HAProxy reconfigured in the containers (haproxy_server): VIPs and binds,
 * interfaces, and any change to the set of haproxy containers (a new container has no HAProxy).
 */
const HAPROXY_KINDS: ReadonlySet<NetworkChangeKind> = new Set<NetworkChangeKind>([
  'site-added',
  'external-vip-moved',
  'internal-vip-moved',
  'bind-mode-changed',
  'haproxy-host-added',
  'haproxy-host-removed',
]);

/**
 * Changes keepalived must apply: VIPs, interfaces, router ids, the ping address (the default
 * gateway: OSA `inventory/group_vars/haproxy/keepalived.yml` @ ff08037) and the set of haproxy
 * containers (priorities follow the group).
 */
const KEEPALIVED_KINDS: ReadonlySet<NetworkChangeKind> = new Set<NetworkChangeKind>([
  ...HAPROXY_KINDS,
  'public-gateway-changed',
  'router-id-changed',
]);

/**
 * Changes that leave the services' frontends (`/etc/haproxy/conf.d/<service>`) wrong: a new
 * haproxy container has none, and the binds are written into each fragment.
 */
const FRONTEND_KINDS: ReadonlySet<NetworkChangeKind> = new Set<NetworkChangeKind>([
  'site-added',
  'haproxy-host-added',
  'bind-mode-changed',
]);

/** Changes to the `haproxy` group's management addresses, which galera trusts. */
const TRUSTED_PROXY_KINDS: ReadonlySet<NetworkChangeKind> = new Set<NetworkChangeKind>([
  'site-added',
  'haproxy-host-added',
]);

export interface PlanStagesInput {
  readonly site: string;
  /** The site's rendered tree before the change (absent: a new site). */
  readonly before?: RenderedTree;
  /** After the change (absent: the site was removed, and nothing deploys). */
  readonly after?: RenderedTree;
  readonly changes: readonly NetworkChange[];
  /** `deploy.hostNetworking` of the site. @default 'auto' */
  readonly hostNetworking?: HostNetworkingMode;
  /**
   * The metal instances still in the deploy host's `haproxy` group (sorted), as the deploy reads
   * them from `openstack_inventory.json`; undefined where the host is not known (a PR plan).
   */
  readonly metalHaproxy?: readonly string[];
  /** Inventory groups with members on the deploy host (its `openstack_inventory.json`). */
  readonly inventoryGroups?: Iterable<string>;
  /**
   * An earlier deploy of these files already set up HAProxy, the frontends and the trusted
   * proxies for the cut-over and stopped before it (its record says the cut-over is pending):
   * the cut-over alone does not run them again.
   */
  readonly cutoverPrepared?: boolean;
}

/**
 * The stages a site's deploy runs for a change, in order; each says why it runs. Host networking
 * runs only on hosts whose `host_vars/<host>.yml` was added or changed; containers always (it is
 * idempotent and is what the deploy has always run); then HAProxy without keepalived, the
 * services' frontends, galera's trusted proxies, the metal cut-over and keepalived, each when
 * the change needs it (docs/deploy.md#stages); verify always. A removed site runs nothing.
 */
export function planStages(input: PlanStagesInput): DeployStage[] {
  const { site, before, after, changes } = input;
  if (after === undefined) return [];
  const stages: DeployStage[] = [];

  const hosts = changedHostVars(before, after);
  if (hosts.length > 0) {
    const manual = input.hostNetworking === 'manual';
    const vlanMoved = changes.some((c) => c.kind === 'vlan-id-changed');
    const why = [
      before === undefined
        ? 'a new site: builds the bond, VLANs and bridges the containers are attached to'
        : `host_vars changed on ${hosts.join(', ')}: rebuilds their bond, VLANs and bridges`,
      vlanMoved
        ? 'systemd-networkd does not change the id of an existing VLAN netdev: delete the old one (networkctl delete) or reboot the host, or verify will find the old VLAN'
        : undefined,
      "runs openstack_hosts' systemd part and the whole systemd_networkd role under it (its package install too; on a host's first run also its handlers: udev trigger, initramfs update)",
      'a mistake here can cut a host off',
    ]
      .filter((x): x is string => x !== undefined)
      .join('; ');
    stages.push(
      stage('host-networking', hostNetworkingArgv(hosts), manual ? 'manual' : 'host-networking', why, hosts),
    );
  }

  stages.push(
    stage(
      'containers',
      [...CONTAINERS_ARGV],
      'site',
      'creates or updates the haproxy containers and their network config on the LXC hosts',
    ),
  );

  const kinds = new Set(changes.map((c) => c.kind));
  const varsChanged = before?.get(USER_VARIABLES_FILE) !== after.get(USER_VARIABLES_FILE);
  // A change to the haproxy variables file that no kind explains: everything it can touch.
  const unexplained = varsChanged && ![...kinds].some((k) => KEEPALIVED_KINDS.has(k));
  const metal = input.metalHaproxy ?? [];
  const cutover = metal.length > 0;
  // Whether the cut-over itself calls for the stages that prepare the containers before it.
  const prepare = cutover && !input.cutoverPrepared;
  const facts = readSiteFacts(after);
  const bindsByAddress = facts.bindMode === 'address';
  const vipMoved = kinds.has('external-vip-moved') || kinds.has('internal-vip-moved');
  const because = (set: ReadonlySet<NetworkChangeKind>, extra: (string | false)[] = []): string =>
    [...[...kinds].filter((k) => set.has(k)), ...extra.filter((x): x is string => x !== false)].join(', ');

  const haproxyWhy = because(HAPROXY_KINDS, [
    unexplained && `${USER_VARIABLES_FILE} changed`,
    prepare && 'moving off metal HAProxy',
  ]);
  if (haproxyWhy !== '') {
    stages.push(
      stage(
        'haproxy',
        haproxyArgv(metal),
        'site',
        `configures HAProxy in the containers without keepalived, so no container takes a VIP before its backends exist (${haproxyWhy})` +
          (cutover
            ? `; the metal instances (${metal.join(', ')}) are left out: they still serve the VIPs`
            : ''),
      ),
    );
  }

  const groups = populatedGroups(after, input.inventoryGroups ?? []);
  const frontendsWhy = because(FRONTEND_KINDS, [
    vipMoved && bindsByAddress && 'a VIP moved and HAProxy binds by address',
    unexplained && `${USER_VARIABLES_FILE} changed`,
    prepare && 'moving off metal HAProxy',
  ]);
  const playbooks = servicePlaybooksFor(groups);
  if (frontendsWhy !== '' && playbooks.length > 0) {
    stages.push(
      stage(
        'frontends',
        frontendsArgv(playbooks, metal),
        'site',
        `writes each service's frontends and backends, which haproxy-install.yml does not: only the service playbooks whose group has members (${playbooks.map((p) => p.group).join(', ')}), tag haproxy-service-config (${frontendsWhy})`,
      ),
    );
  }

  const trustWhy = because(TRUSTED_PROXY_KINDS, [prepare && 'moving off metal HAProxy']);
  if (trustWhy !== '' && groups.has('galera_all')) {
    stages.push(
      stage(
        'trusted-proxies',
        [...TRUSTED_PROXIES_ARGV],
        'site',
        `galera trusts the haproxy group's management addresses for its health check (port 9200) and the PROXY protocol; its config tasks apply the new list, restarting MariaDB one node at a time when it changed (${trustWhy}). Keystone's list (keystone_set_real_ip_from) is not re-applied: no task of os_keystone reads it`,
      ),
    );
  }

  if (cutover || (before === undefined && input.metalHaproxy === undefined)) {
    const candidates = cutover ? metal : facts.haproxyHosts;
    if (candidates.length > 0) {
      stages.push({
        ...stage(
          'metal-cutover',
          metalCutoverArgv(candidates),
          'metal-cutover',
          `${cutover ? '' : "only if the deploy host's openstack_inventory.json still has these hosts in the haproxy group (HAProxy on metal today): "}stops and disables keepalived, then haproxy, on ${candidates.join(', ')} and removes them from OSA's inventory (scripts/inventory-manage.py -r; they keep their other groups). The VIPs leave the metal hosts here and come back with the keepalived stage in the containers: every API and database route through the VIPs is interrupted from this stage until the keepalived stage ends`,
          candidates,
        ),
        ...(cutover ? {} : { conditional: true }),
      });
    }
  }

  const keepalivedWhy = because(KEEPALIVED_KINDS, [
    unexplained && `${USER_VARIABLES_FILE} changed`,
    cutover && 'moving off metal HAProxy',
  ]);
  if (keepalivedWhy !== '') {
    stages.push(
      stage(
        'keepalived',
        keepalivedArgv(),
        'site',
        `keepalived last, once every backend is configured: the first container of the haproxy group becomes MASTER and takes the VIPs (${keepalivedWhy})`,
      ),
    );
  }

  stages.push(
    stage(
      'verify',
      ['osa-gitops', 'verify', site],
      'site',
      'gathers read-only facts from the live containers and checks them against the definition',
    ),
  );
  return stages;
}

/** Hosts whose host_vars file is new or different in `after`, sorted. */
export function changedHostVars(before: RenderedTree | undefined, after: RenderedTree): string[] {
  const hosts: string[] = [];
  for (const [path, text] of after) {
    if (!path.startsWith(HOST_VARS_PREFIX) || !path.endsWith('.yml')) continue;
    const host = path.slice(HOST_VARS_PREFIX.length, -'.yml'.length);
    if (host === '' || host.includes('/')) continue;
    if (before?.get(path) !== text) hosts.push(host);
  }
  return hosts.sort();
}

function stage(
  name: StageName,
  argv: readonly string[],
  approval: StageApproval,
  why: string,
  hosts?: readonly string[],
): DeployStage {
  return { name, argv, command: argv.join(' '), approval, why, ...(hosts ? { hosts } : {}) };
}

/** Who approves a stage, in words, for plans and summaries. */
export function describeApproval(site: string, stage: DeployStage): string {
  switch (stage.approval) {
    case 'host-networking':
      return `needs its own approval (environment ${hostNetworkingEnvironment(site)})`;
    case 'metal-cutover':
      return 'needs its own approval: the deploy stops before it unless run on the deploy host with --metal-cutover approved, or done by hand and resumed with --metal-cutover done';
    case 'manual':
      return "manual (deploy.hostNetworking: 'manual'): the deploy stops before it; run it by hand, then re-run the deploy";
    default:
      return `approved with the site's deploy (environment ${site})`;
  }
}
