import {
  inventoryMembers,
  OPENSTACK_USER_CONFIG_FILE,
  type InventoryHosts,
  type RenderedTree,
} from '@osa-gitops/core';
import { readYaml, type YamlReader } from './yaml-reader';

/**
 * An OSA service playbook that writes its service's HAProxy frontends and backends: it imports
 * `openstack.osa.haproxy_service_config` for `group` under the tag `haproxy-service-config`, and
 * only when that group has members (openstack-ansible-plugins `playbooks/<name>.yml` @ 76b7f0d;
 * docs/osa-facts.md#service-frontends).
 */
export interface ServicePlaybook {
  /** What the wrapper runs: `playbooks/<x>.yml` of the openstack-ansible checkout. */
  readonly playbook: string;
  /** The inventory group whose members' `<service>_haproxy_services` it writes. */
  readonly group: string;
}

/**
 * Every playbook that carries `haproxy-service-config`, in OSA's order: repo, galera and
 * rabbitmq first, as the procedure for (re)configuring a HAProxy host lists them, then k8s
 * (setup-infrastructure), then setup-openstack's order. freezer has no wrapper under
 * `playbooks/`, so it is named as the collection's playbook, which the wrapper also runs.
 */
export const SERVICE_PLAYBOOKS: readonly ServicePlaybook[] = [
  { playbook: 'playbooks/repo-install.yml', group: 'repo_all' },
  { playbook: 'playbooks/galera-install.yml', group: 'galera_all' },
  { playbook: 'playbooks/rabbitmq-install.yml', group: 'rabbitmq_all' },
  { playbook: 'playbooks/k8s-install.yml', group: 'k8s_all' },
  { playbook: 'playbooks/os-keystone-install.yml', group: 'keystone_all' },
  { playbook: 'playbooks/os-barbican-install.yml', group: 'barbican_api' },
  { playbook: 'playbooks/os-placement-install.yml', group: 'placement_api' },
  { playbook: 'playbooks/os-glance-install.yml', group: 'glance_api' },
  { playbook: 'playbooks/os-cinder-install.yml', group: 'cinder_api' },
  { playbook: 'playbooks/os-nova-install.yml', group: 'nova_all' },
  { playbook: 'playbooks/os-neutron-install.yml', group: 'neutron_server' },
  { playbook: 'playbooks/os-heat-install.yml', group: 'heat_api' },
  { playbook: 'playbooks/os-horizon-install.yml', group: 'horizon_all' },
  { playbook: 'playbooks/os-designate-install.yml', group: 'designate_api' },
  { playbook: 'playbooks/os-swift-install.yml', group: 'swift_all' },
  { playbook: 'playbooks/os-adjutant-install.yml', group: 'adjutant_api' },
  { playbook: 'playbooks/os-gnocchi-install.yml', group: 'gnocchi_api' },
  { playbook: 'playbooks/os-cloudkitty-install.yml', group: 'cloudkitty_api' },
  { playbook: 'playbooks/os-ironic-install.yml', group: 'ironic_api' },
  { playbook: 'playbooks/os-magnum-install.yml', group: 'magnum_all' },
  { playbook: 'playbooks/os-trove-install.yml', group: 'trove_api' },
  { playbook: 'playbooks/os-octavia-install.yml', group: 'octavia_api' },
  { playbook: 'playbooks/os-tacker-install.yml', group: 'tacker_server' },
  { playbook: 'playbooks/os-blazar-install.yml', group: 'blazar_api' },
  { playbook: 'openstack.osa.freezer', group: 'freezer_api' },
  { playbook: 'playbooks/os-masakari-install.yml', group: 'masakari_api' },
  { playbook: 'playbooks/os-manila-install.yml', group: 'manila_api' },
  { playbook: 'playbooks/os-mistral-install.yml', group: 'mistral_api' },
  { playbook: 'playbooks/os-zun-install.yml', group: 'zun_api' },
  { playbook: 'playbooks/os-skyline-install.yml', group: 'skyline_all' },
];

/**
 * The physical hosts and their `<x>_hosts` groups as the tree's `openstack_user_config.yml`
 * lists them (with `affinity` where set): what OSA's generator builds the inventory from.
 * Unreadable pieces are skipped: a plan never fails on a hand-edited file.
 */
export function userConfigHosts(tree: RenderedTree, loadYaml: YamlReader = readYaml): InventoryHosts {
  const config = loadYaml(tree.get(OPENSTACK_USER_CONFIG_FILE));
  const hosts: Record<string, { groups: string[]; affinity?: Record<string, number> }> = {};
  if (typeof config !== 'object' || config === null) return { hosts };
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (!key.endsWith('_hosts') || typeof value !== 'object' || value === null) continue;
    for (const [host, entry] of Object.entries(value as Record<string, unknown>)) {
      const h = (hosts[host] ??= { groups: [] });
      h.groups.push(key);
      const affinity = (entry as { affinity?: unknown } | null)?.affinity;
      if (typeof affinity === 'object' && affinity !== null) {
        for (const [skel, n] of Object.entries(affinity)) {
          if (typeof n === 'number') (h.affinity ??= {})[skel] = n;
        }
      }
    }
  }
  return { hosts };
}

/**
 * The groups with members in the inventory OSA builds from the tree, plus `extraGroups` (the
 * deploy adds the groups of the host's own `openstack_inventory.json`, which also holds hosts
 * of `conf.d/` files this tool does not render).
 */
export function populatedGroups(tree: RenderedTree, extraGroups: Iterable<string> = []): Set<string> {
  const members = inventoryMembers(userConfigHosts(tree));
  const groups = new Set<string>(extraGroups);
  for (const p of SERVICE_PLAYBOOKS) if (members.membersOf(p.group).length > 0) groups.add(p.group);
  return groups;
}

/** The service playbooks whose frontends exist on this site, in OSA's order. */
export function servicePlaybooksFor(groups: ReadonlySet<string>): ServicePlaybook[] {
  return SERVICE_PLAYBOOKS.filter((p) => groups.has(p.group));
}
