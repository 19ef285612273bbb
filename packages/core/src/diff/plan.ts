import { worstDisruption } from './disruption';
import { HOST_VARS_PREFIX, USER_VARIABLES_FILE } from './read-site-facts';
import type {
  ChangedSite,
  DeployPlan,
  ManualStep,
  NetworkChange,
  NetworkChangeKind,
  PlanStep,
} from './types';

/**
 * Changes haproxy-install.yml must apply: VIPs and binds, and any change to the set of haproxy
 * containers (a new container has no HAProxy yet; keepalived priorities follow the group).
 */
const HAPROXY_INSTALL_KINDS: ReadonlySet<NetworkChangeKind> = new Set<NetworkChangeKind>([
  'site-added',
  'external-vip-moved',
  'internal-vip-moved',
  'bind-mode-changed',
  'router-id-changed',
  'haproxy-host-added',
  'haproxy-host-removed',
]);

/**
 * The one command every deploy runs, as argv (never through a shell). It creates or updates the
 * haproxy containers and the LXC hosts they live on (osa-reference §4.5): `haproxy` is the
 * containers' component group, `lxc_hosts` is needed for the physical hosts' facts. The deployer
 * imports this constant so the PR plan and the deploy job cannot disagree.
 */
export const DEPLOY_ARGV = [
  'openstack-ansible',
  'playbooks/lxc-containers-create.yml',
  '--limit',
  'haproxy,lxc_hosts',
] as const;

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
      manual: manualSteps(s.changes),
    });
  }
  return { steps, skipped };
}

/**
 * What the container playbook does not apply (osa-reference §4.4, §4.3): the bond, VLAN and
 * bridge in `host_vars/` are built by openstack_hosts (openstack-hosts-setup.yml), and must exist
 * before a container's veth can join the bridge; binds, VIPs, interfaces and router ids in
 * `user_variables_haproxy_lxc.yml`, the VIP addresses and the set of haproxy containers take effect
 * when haproxy-install.yml runs.
 */
export function manualSteps(changes: readonly NetworkChange[]): ManualStep[] {
  const files = new Set(
    changes
      .filter((c) => c.kind !== 'haproxy-host-removed' && c.kind !== 'site-removed')
      .flatMap((c) => c.files),
  );
  const hosts = [...files]
    .filter((f) => f.startsWith(HOST_VARS_PREFIX) && f.endsWith('.yml'))
    .map((f) => f.slice(HOST_VARS_PREFIX.length, -'.yml'.length))
    .sort();
  const steps: ManualStep[] = [];
  if (hosts.length > 0) {
    const argv = ['openstack-ansible', 'playbooks/openstack-hosts-setup.yml', '--limit', hosts.join(',')];
    steps.push({
      when: 'before',
      argv,
      command: argv.join(' '),
      why: 'builds the bond, VLAN and bridge from host_vars; the containers need the bridge. It rewrites host networking: review the host_vars diff first',
    });
  }
  if (files.has(USER_VARIABLES_FILE) || changes.some((c) => HAPROXY_INSTALL_KINDS.has(c.kind))) {
    const argv = ['openstack-ansible', 'playbooks/haproxy-install.yml'];
    steps.push({
      when: 'after',
      argv,
      command: argv.join(' '),
      why: 'applies HAProxy binds, keepalived VIPs, interfaces and router ids inside the containers',
    });
  }
  return steps;
}
