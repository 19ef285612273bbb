import { worstDisruption } from './disruption';
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
      manual: manualSteps(s.changes),
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
