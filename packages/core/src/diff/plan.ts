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
 * Changes haproxy-install.yml must apply: VIPs and binds, the keepalived ping address (the default
 * gateway, docs/osa-facts.md#haproxy-keepalived), and any change to the set of haproxy containers (a new container has no HAProxy
 * yet; keepalived priorities follow the group).
 */
const HAPROXY_INSTALL_KINDS: ReadonlySet<NetworkChangeKind> = new Set<NetworkChangeKind>([
  'site-added',
  'public-gateway-changed',
  'external-vip-moved',
  'internal-vip-moved',
  'bind-mode-changed',
  'router-id-changed',
  'haproxy-host-added',
  'haproxy-host-removed',
]);

/**
 * The one command every deploy runs, as argv (never through a shell). It creates or updates the
 * haproxy containers and the LXC hosts they live on (docs/osa-facts.md#container-playbook): `haproxy` is the
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
 * What the container playbook does not apply (docs/osa-facts.md#haproxy-keepalived, #openstack-hosts, #container-playbook), in the order to run it
 * after the deploy has synced the tree:
 * - `host_vars/` (bond, VLAN, bridge) are built by openstack_hosts (openstack-hosts-setup.yml).
 *   Where a bridge is new (a new site or haproxy host) the deploy's container step fails until
 *   it exists, so the deploy runs again afterwards.
 * - binds, VIPs, interfaces, router ids, the keepalived ping address (the default gateway) and the
 *   set of haproxy containers take effect when haproxy-install.yml runs.
 * - a host removed from haproxy_hosts keeps its container: OSA never drops it from
 *   openstack_inventory.json, so it stays in the `haproxy` group until destroyed and removed.
 */
export function manualSteps(changes: readonly NetworkChange[]): ManualStep[] {
  const kept = changes.filter((c) => c.kind !== 'haproxy-host-removed' && c.kind !== 'site-removed');
  const files = new Set(kept.flatMap((c) => c.files));
  const hosts = [...files]
    .filter((f) => f.startsWith(HOST_VARS_PREFIX) && f.endsWith('.yml'))
    .map((f) => f.slice(HOST_VARS_PREFIX.length, -'.yml'.length))
    .sort();
  const newBridge = changes.some((c) => c.kind === 'site-added' || c.kind === 'haproxy-host-added');
  const steps: ManualStep[] = [];
  const step = (argv: string[], why: string, thenDeployAgain = false) =>
    steps.push({ argv, command: argv.join(' '), why, thenDeployAgain });

  if (hosts.length > 0) {
    step(
      ['openstack-ansible', 'playbooks/openstack-hosts-setup.yml', '--limit', hosts.join(',')],
      `builds the bond, VLANs and bridges from the synced host_vars; it rewrites host networking, so review the host_vars diff first. systemd-networkd does not change an existing netdev: a changed VLAN id needs the old one deleted (networkctl delete) or a reboot${newBridge ? '. The new bridge is what the containers need: deploy again afterwards (the first deploy may fail at the container step; deploy it with --no-restore)' : ''}`,
      newBridge,
    );
  }
  if (files.has(USER_VARIABLES_FILE) || changes.some((c) => HAPROXY_INSTALL_KINDS.has(c.kind))) {
    step(
      ['openstack-ansible', 'playbooks/haproxy-install.yml'],
      'applies HAProxy binds, keepalived VIPs, interfaces, router ids and ping address inside the containers',
    );
  }
  for (const c of changes.filter((x) => x.kind === 'haproxy-host-removed' && x.subject)) {
    step(
      [
        'openstack-ansible',
        'playbooks/lxc-containers-destroy.yml',
        '--limit',
        `${c.subject}-haproxy-container-*`,
      ],
      `OSA keeps the old container of ${c.subject} in its inventory and in the haproxy group, running keepalived; destroy it, then remove it from the inventory with scripts/inventory-manage.py -r <its name> (listed by inventory-manage.py -G)`,
    );
  }
  return steps;
}
