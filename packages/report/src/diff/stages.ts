import { HOST_VARS_PREFIX, type RenderedTree, USER_VARIABLES_FILE } from '@osa-gitops/core';
import type { NetworkChange, NetworkChangeKind } from './types';

/**
 * A site's deploy runs in stages, in the order OSA's guide applies them: host networking builds
 * the bond, VLANs and bridges; the containers are created on those bridges; haproxy-install puts
 * HAProxy and keepalived into them; verify checks what is live. Each stage reads the files the
 * deploy synced before the first one.
 */
export type StageName = 'host-networking' | 'containers' | 'haproxy' | 'verify';

export const STAGE_ORDER: readonly StageName[] = ['host-networking', 'containers', 'haproxy', 'verify'];

/**
 * Who lets a stage run:
 * - `site`: the approval of the site's deploy as a whole (its GitHub environment, named after the site);
 * - `host-networking`: its own approval on top (the environment `hostNetworkingEnvironment(site)`),
 *   because a wrong bond or VLAN cuts a host off;
 * - `manual`: the site set `deploy.hostNetworking: 'manual'`; the deploy stops before this stage,
 *   prints the command, and an operator runs it and then re-runs the deploy.
 */
export type StageApproval = 'site' | 'host-networking' | 'manual';

export interface DeployStage {
  readonly name: StageName;
  /** What runs, as argv (never through a shell). */
  readonly argv: readonly string[];
  /** The same as one line, for people. */
  readonly command: string;
  readonly approval: StageApproval;
  /** Why this stage runs for this change. */
  readonly why: string;
  /** host-networking only: the hosts it is limited to, sorted. */
  readonly hosts?: readonly string[];
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

export const HAPROXY_ARGV = ['openstack-ansible', 'playbooks/haproxy-install.yml'] as const;

/**
 * Only the systemd part of openstack_hosts (networkd, services, mounts, journald): its
 * `tasks/main.yml` includes `openstack_hosts_systemd.yml` under the tags `openstack_hosts-config`
 * and `openstack_hosts-systemd` (openstack-ansible-openstack_hosts @ b3c990e), so the rest of host
 * setup (packages, kernel modules, sysctl) is not re-applied by a network change.
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
 * Changes haproxy-install.yml must apply: VIPs and binds, interfaces, router ids, the keepalived
 * ping address (the default gateway: OSA `inventory/group_vars/haproxy/keepalived.yml` @ ff08037),
 * and any change to the set of haproxy containers (a new container has no HAProxy yet; keepalived
 * priorities follow the group). Any other change to the haproxy variables file counts too.
 */
const HAPROXY_KINDS: ReadonlySet<NetworkChangeKind> = new Set<NetworkChangeKind>([
  'site-added',
  'public-gateway-changed',
  'external-vip-moved',
  'internal-vip-moved',
  'bind-mode-changed',
  'router-id-changed',
  'haproxy-host-added',
  'haproxy-host-removed',
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
}

/**
 * The stages a site's deploy runs for a change, in order. Host networking runs only on hosts whose
 * `host_vars/<host>.yml` was added or changed (every host with host_vars on a new site); the
 * containers stage always runs (it is idempotent and is what the deploy has always run);
 * haproxy-install when anything it applies changed; verify always. A removed site runs nothing.
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

  const haproxyReasons = [...new Set(changes.filter((c) => HAPROXY_KINDS.has(c.kind)).map((c) => c.kind))];
  const varsChanged = before?.get(USER_VARIABLES_FILE) !== after.get(USER_VARIABLES_FILE);
  if (haproxyReasons.length > 0 || varsChanged) {
    const because = haproxyReasons.length > 0 ? haproxyReasons.join(', ') : `${USER_VARIABLES_FILE} changed`;
    stages.push(
      stage(
        'haproxy',
        [...HAPROXY_ARGV],
        'site',
        `applies HAProxy binds, keepalived VIPs, interfaces, router ids and ping address inside the containers (${because})`,
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
    case 'manual':
      return "manual (deploy.hostNetworking: 'manual'): the deploy stops before it; run it by hand, then re-run the deploy";
    default:
      return `approved with the site's deploy (environment ${site})`;
  }
}
