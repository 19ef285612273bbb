import { worstDisruption } from './disruption';
import { inventoryMembers, type RenderedTree } from '@osa-gitops/core';
import { userConfigHosts } from './service-playbooks';
import { CONTAINERS_ARGV, planStages } from './stages';
import type { ChangedSite, DeployPlan, ManualStep, NetworkChange, PlanStep } from './types';

/**
 * The one command every deploy runs, as argv (never through a shell). It creates or updates the
 * haproxy containers and the LXC hosts they live on (docs/osa-facts.md#container-playbook): `haproxy` is the
 * containers' component group, `lxc_hosts` is needed for the physical hosts' facts. The deployer
 * imports this constant so the PR plan and the deploy job cannot disagree.
 */
export const DEPLOY_ARGV = CONTAINERS_ARGV;

/** `DEPLOY_ARGV` as one line, for people and PR comments. */
export const DEPLOY_COMMAND = DEPLOY_ARGV.join(' ');

/**
 * Which sites deploy after merge and why. A site deploys when its rendered tree changed and it
 * still exists; a removed site is listed as skipped (the deployer never deletes a site's config).
 * Steps come out sorted by site name.
 */
export function buildPlan(changedSites: readonly ChangedSite[]): DeployPlan {
  const steps: PlanStep[] = [];
  const skipped: { site: string; reason: string }[] = [];
  for (const s of [...changedSites].sort((x, y) => (x.site < y.site ? -1 : x.site > y.site ? 1 : 0))) {
    if (s.changes.length === 0) continue;
    if (s.changes.some((c) => c.kind === 'site-removed')) {
      skipped.push({
        site: s.site,
        reason: 'definition removed: nothing is deployed, the deploy host is left as it is',
      });
      continue;
    }
    steps.push({
      site: s.site,
      disruption: worstDisruption(s.changes.map((c) => c.disruption)),
      changes: s.changes,
      argv: DEPLOY_ARGV,
      command: DEPLOY_COMMAND,
      ...(s.deploy?.runnerLabel !== undefined ? { runnerLabel: s.deploy.runnerLabel } : {}),
      ...(s.deploy?.configDir !== undefined ? { configDir: s.deploy.configDir } : {}),
      stages: planStages({
        site: s.site,
        before: s.before,
        after: s.after,
        changes: s.changes,
        ...(s.deploy?.hostNetworking ? { hostNetworking: s.deploy.hostNetworking } : {}),
      }),
      manual: [...manualSteps(s.changes), ...addedHostSteps(s.before, s.after)],
    });
  }
  return { steps, skipped };
}

/**
 * What no deploy stage does: a host removed from haproxy_hosts keeps its container. OSA never
 * drops it from openstack_inventory.json, so it stays in the `haproxy` group (running keepalived)
 * until a person destroys it and removes it from the inventory; destroying is final, so it is
 * never automated.
 */
export function manualSteps(changes: readonly NetworkChange[]): ManualStep[] {
  return changes
    .filter((c) => c.kind === 'haproxy-host-removed' && c.subject)
    .map((c) => {
      const argv = [
        'openstack-ansible',
        'playbooks/lxc-containers-destroy.yml',
        '--limit',
        `${c.subject}-haproxy-container-*`,
      ];
      return {
        argv,
        command: argv.join(' '),
        why: `OSA keeps the old container of ${c.subject} in its inventory and in the haproxy group, running keepalived; destroy it, then remove it from the inventory with scripts/inventory-manage.py -r <its name> (listed by inventory-manage.py -G)`,
      };
    });
}

/** The container_skel of the haproxy containers, the only one this tool's stages set up. */
const HAPROXY_SKEL = 'haproxy_container';

/**
 * A host that gains groups besides `haproxy_hosts` (a new infra host, say) also gets the
 * containers OSA's env.d gives those groups (galera, rabbitmq, repo, utility…). The containers
 * stage creates only the haproxy ones and no stage sets up the others, so the plan names them
 * with OSA's own commands for a new infrastructure host, limited to it (openstack-ansible
 * `doc/source/admin/upgrades/distribution-upgrades.rst` @ ff08037). A new site is left out: its
 * hosts are new to the tree, not to the cloud (an import of a running site).
 */
export function addedHostSteps(
  before: RenderedTree | undefined,
  after: RenderedTree | undefined,
): ManualStep[] {
  if (before === undefined || after === undefined) return [];
  const old = userConfigHosts(before).hosts;
  const now = userConfigHosts(after);
  const members = inventoryMembers(now);
  const steps: ManualStep[] = [];
  for (const [host, entry] of Object.entries(now.hosts).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const gained = entry.groups.filter((g) => g !== 'haproxy_hosts' && !old[host]?.groups.includes(g));
    if (gained.length === 0) continue;
    const containers = [
      ...new Set(
        members.members
          .filter((m) => m.host === host && m.skel !== undefined && m.skel !== HAPROXY_SKEL)
          .map((m) => m.skel!),
      ),
    ].sort();
    const limit = `localhost,${host},${host}-*`;
    const what =
      containers.length > 0
        ? `OSA gives it the containers ${containers.join(', ')}`
        : 'OSA runs the services of those groups on the host itself';
    const why = `${host} ${old[host] ? 'joins' : 'is added with'} ${gained.join(', ')}: ${what}, which no stage of this deploy creates or sets up; run after the deploy`;
    const runs: [string[], string][] = [
      [['openstack-ansible', 'playbooks/setup-hosts.yml', '--limit', limit], why],
      [
        [
          'openstack-ansible',
          'playbooks/setup-infrastructure.yml',
          '--limit',
          `localhost,repo_all,rabbitmq_all,${host},${host}-*`,
        ],
        `then the infrastructure services on ${host}, with the clusters they join`,
      ],
      [
        [
          'openstack-ansible',
          'playbooks/setup-openstack.yml',
          '--limit',
          `localhost,keystone_all,${host},${host}-*`,
        ],
        `then the OpenStack services on ${host}`,
      ],
    ];
    for (const [argv, text] of runs) steps.push({ argv, command: argv.join(' '), why: text });
  }
  return steps;
}
