import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { RenderedTree } from '@osa-gitops/core';
import { parse } from 'yaml';

/**
 * What the real roles write into each haproxy container for a rendered tree: keepalived's
 * `templates/keepalived.conf.j2`, haproxy_server's `templates/haproxy.cfg.j2` (`conf.d/00-haproxy`)
 * and `templates/service.j2` (one `conf.d/<service>` per service), and the certificates
 * haproxy_server asks its PKI role for (`_haproxy_pki_certificates`: name, CN, SANs). Evaluated by
 * ansible-playbook the way the existing role test does (packages/render/test/haproxy-keepalived-roles):
 * probe roles whose defaults and vars are the real roles' files, OSA's `inventory/group_vars` as
 * the inventory's group variables, the tree's `global_overrides` as `all` variables and its
 * `user_*.yml` as extra vars (as the openstack-ansible wrapper passes them). Service frontends
 * come from the services' own definitions the way OSA's service playbooks hand them to
 * haproxy_server (openstack.osa `playbooks/haproxy_service_config.yml`: `groups[service_group] |
 * map('extract', hostvars, service_variable)`), plus `haproxy_default_services` (haproxy-install).
 * Nothing here knows a variable's value: everything the roles read comes from the tree.
 */

/** Where the pinned upstream sources are (the pinned upstream's env.sh sets these; .ci/run sources it). */
export interface UpstreamSources {
  readonly haproxyRole: string;
  readonly keepalivedRole: string;
  readonly osa: string;
  readonly collectionsPath: string;
}

export function upstreamFromEnv(env: NodeJS.ProcessEnv = process.env): UpstreamSources {
  return {
    haproxyRole: env['HAPROXY_SERVER_ROLE_SRC'] ?? '',
    keepalivedRole: env['KEEPALIVED_ROLE_SRC'] ?? '',
    osa: env['OSA_SRC'] ?? '',
    collectionsPath: [
      ...(env['ANSIBLE_COLLECTIONS_PATH'] ?? '').split(delimiter).filter((p) => p !== ''),
      '/usr/share/ansible/collections',
      '/usr/lib/python3/dist-packages',
    ].join(delimiter),
  };
}

/** Why the sources are not usable, or undefined. */
export function upstreamMissing(src: UpstreamSources): string | undefined {
  if (src.haproxyRole === '' || !existsSync(join(src.haproxyRole, 'templates', 'service.j2')))
    return 'HAPROXY_SERVER_ROLE_SRC (openstack-ansible-haproxy_server)';
  if (src.keepalivedRole === '' || !existsSync(join(src.keepalivedRole, 'templates', 'keepalived.conf.j2')))
    return 'KEEPALIVED_ROLE_SRC (evrardjp/ansible-keepalived)';
  if (src.osa === '' || !existsSync(join(src.osa, 'inventory', 'group_vars', 'haproxy', 'keepalived.yml')))
    return 'OSA_SRC (openstack-ansible)';
  return undefined;
}

/** A service as an OSA service playbook configures HAProxy for it, with stand-in backends. */
export interface TwinService {
  /** `service_group` of the playbook's haproxy_service_config import, e.g. `keystone_all`. */
  readonly group: string;
  /** `service_variable`, e.g. `keystone_haproxy_services`. */
  readonly variable: string;
  /** Inventory hosts of the group (the backends HAProxy balances to) and their management addresses. */
  readonly backends: readonly { readonly name: string; readonly address: string }[];
  /** Further groups the service's definition tests (e.g. `heat_api_cfn`), holding the same backends. */
  readonly alsoGroups?: readonly string[];
}

export interface CertSpec {
  readonly name: string;
  readonly cn: string;
  readonly san: { readonly dns: readonly string[]; readonly ip: readonly string[] };
}

export interface ContainerConfig {
  readonly name: string;
  readonly keepalivedConf: string;
  /** `conf.d/` files in the order haproxy_server assembles them into haproxy.cfg (by name). */
  readonly haproxyFiles: readonly (readonly [string, string])[];
  readonly certs: readonly CertSpec[];
  /**
   * `/etc/haproxy/<name>.map` files, each assembled from its fragments in name order (the
   * role's "Regenerate maps" handler).
   */
  readonly maps: readonly (readonly [string, string])[];
  /** `ansible_facts.hostname` the templates used (in certificate paths). */
  readonly hostname: string;
}

const HAPROXY_PROBE_TASKS = `- name: Service configs as the service playbooks pass them (openstack.osa haproxy_service_config.yml)
  ansible.builtin.set_fact:
    probe_service_configs: >-
      {{ probe_service_configs | default([]) +
         ((groups[item.group] | default([]) | length > 0) | ternary(
            groups[item.group] | map('extract', hostvars, item.variable) | flatten | unique, [])) }}
  loop: "{{ probe_service_playbooks }}"
- name: Service files as haproxy_server writes them (tasks/haproxy_service_config.yml)
  ansible.builtin.template:
    src: "{{ probe_haproxy_role }}/templates/service.j2"
    dest: "{{ probe_out }}/{{ inventory_hostname }}/conf.d/{{ service.haproxy_service_name }}"
  loop: "{{ haproxy_default_services + probe_service_configs | default([]) }}"
  loop_control:
    loop_var: service
    label: "{{ service.haproxy_service_name }}"
  when:
    - (service.haproxy_backend_nodes is defined and service.haproxy_backend_nodes | length > 0) or
      (service.haproxy_backup_nodes is defined and service.haproxy_backup_nodes | length > 0) or
      service.haproxy_frontend_only | default(false)
    - (service.haproxy_service_enabled | default(true)) | bool
    - (service.state is not defined or service.state != 'absent')
- name: Map fragments as haproxy_server writes them (tasks/haproxy_service_config.yml)
  ansible.builtin.template:
    src: "{{ probe_haproxy_role }}/templates/map.j2"
    dest: "{{ probe_out }}/{{ inventory_hostname }}/map.conf.d/{{ item.1.name }}--{{ item.1.order | default('00') }}-{{ item.0.haproxy_service_name }}.map"
  with_subelements:
    - "{{ (haproxy_default_services + probe_service_configs | default([])) | selectattr('haproxy_map_entries', 'defined') }}"
    - haproxy_map_entries
  loop_control:
    label: "{{ item.0.haproxy_service_name }}"
  when:
    - (item.0.haproxy_service_enabled | default(true)) | bool
    - item.1.state | default('present') != 'absent'
- name: Base config as haproxy_server writes it (tasks/haproxy_post_install.yml)
  ansible.builtin.template:
    src: "{{ probe_haproxy_role }}/templates/haproxy.cfg.j2"
    dest: "{{ probe_out }}/{{ inventory_hostname }}/conf.d/00-haproxy"
- name: The certificates haproxy_server asks its PKI role for
  ansible.builtin.copy:
    dest: "{{ probe_out }}/{{ inventory_hostname }}/haproxy.json"
    content: "{{ {'certs': _haproxy_pki_certificates, 'hostname': ansible_facts['hostname']} | to_json }}"
`;
const KEEPALIVED_PROBE_TASKS = `- name: keepalived.conf as the keepalived role writes it
  ansible.builtin.template:
    src: "{{ probe_keepalived_role }}/templates/keepalived.conf.j2"
    dest: "{{ probe_out }}/{{ inventory_hostname }}/keepalived.conf"
`;
const PLAYBOOK = `- hosts: haproxy
  gather_facts: true
  gather_subset: [min]
  tasks:
    - name: Output directory
      ansible.builtin.file:
        path: "{{ probe_out }}/{{ inventory_hostname }}/{{ item }}"
        state: directory
      loop: [conf.d, map.conf.d]
    - ansible.builtin.include_role:
        name: haproxy_probe
    - ansible.builtin.include_role:
        name: keepalived_probe
`;

/**
 * Evaluate the roles for `containers` (in `groups.haproxy` order: the first is keepalived's
 * MASTER) of the site whose rendered tree is `tree`, in `work` (an empty directory).
 */
export async function renderRoleConfigs(opts: {
  readonly tree: RenderedTree;
  readonly containers: readonly string[];
  readonly services: readonly TwinService[];
  readonly sources: UpstreamSources;
  readonly work: string;
}): Promise<ContainerConfig[]> {
  const { tree, containers, services, sources, work } = opts;
  const userConfig = parse(tree.get('openstack_user_config.yml') ?? '') as {
    global_overrides?: Record<string, unknown>;
  };
  await probeRole(work, 'haproxy_probe', sources.haproxyRole, HAPROXY_PROBE_TASKS);
  await probeRole(work, 'keepalived_probe', sources.keepalivedRole, KEEPALIVED_PROBE_TASKS);
  await writeFile(join(work, 'play.yml'), PLAYBOOK);
  const inv = join(work, 'inventory');
  await mkdir(join(inv, 'group_vars'), { recursive: true });
  for (const entry of await readdir(join(sources.osa, 'inventory', 'group_vars')))
    await symlink(join(sources.osa, 'inventory', 'group_vars', entry), join(inv, 'group_vars', entry));

  const children: Record<string, unknown> = {
    // OSA's env.d: the haproxy component group sits in haproxy_all.
    haproxy_all: {
      children: {
        haproxy: { hosts: Object.fromEntries(containers.map((c) => [c, { ansible_connection: 'local' }])) },
      },
    },
  };
  for (const s of services) {
    const hosts = Object.fromEntries(
      s.backends.map((b) => [b.name, { management_address: b.address, ansible_host: b.address }]),
    );
    for (const g of serviceGroups(s)) children[g] = { hosts };
  }
  await writeFile(
    join(inv, 'hosts.json'),
    JSON.stringify({ all: { vars: userConfig.global_overrides ?? {}, children } }),
  );
  const extraVars: string[] = [];
  for (const [p, text] of [...tree].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!/^user_[^/]*\.yml$/.test(p)) continue;
    await writeFile(join(work, p), text);
    extraVars.push('-e', `@${join(work, p)}`);
  }
  const out = join(work, 'out');
  const result = await ansiblePlaybook(
    [
      '-i',
      join(inv, 'hosts.json'),
      ...extraVars,
      '-e',
      JSON.stringify({
        probe_out: out,
        probe_haproxy_role: sources.haproxyRole,
        probe_keepalived_role: sources.keepalivedRole,
        probe_service_playbooks: services.map((s) => ({ group: s.group, variable: s.variable })),
      }),
      join(work, 'play.yml'),
    ],
    work,
    sources,
  );
  if (result.rc !== 0)
    throw new Error(
      `ansible-playbook (the roles' templates) failed (rc ${result.rc}):\n${result.text.slice(-6000)}`,
    );
  const configs: ContainerConfig[] = [];
  for (const name of containers) {
    const dir = join(out, name);
    const json = JSON.parse(await readFile(join(dir, 'haproxy.json'), 'utf8')) as {
      certs: CertSpec[];
      hostname: string;
    };
    const files = (await readdir(join(dir, 'conf.d'))).sort();
    const fragments = (await readdir(join(dir, 'map.conf.d'))).sort();
    const maps = new Map<string, string>();
    for (const f of fragments) {
      const map = f.slice(0, f.indexOf('--'));
      maps.set(map, (maps.get(map) ?? '') + (await readFile(join(dir, 'map.conf.d', f), 'utf8')));
    }
    configs.push({
      name,
      keepalivedConf: await readFile(join(dir, 'keepalived.conf'), 'utf8'),
      haproxyFiles: await Promise.all(
        files.map(async (f) => [f, await readFile(join(dir, 'conf.d', f), 'utf8')] as const),
      ),
      maps: [...maps],
      certs: json.certs.map((c) => ({ name: c.name, cn: c.cn, san: { dns: c.san.dns, ip: c.san.ip } })),
      hostname: json.hostname,
    });
  }
  return configs;
}

/**
 * The groups a service's backends are in: its playbook's group, the groups its definition tests,
 * and `<service>_all`, whose group_vars hold `<service>_haproxy_services` in OSA's inventory
 * (e.g. `glance_all` for `glance_api`: the parent group in OSA's env.d).
 */
export function serviceGroups(s: Omit<TwinService, 'backends'>): string[] {
  const all = `${s.variable.replace(/_haproxy_services$/, '')}_all`;
  return [...new Set([s.group, ...(s.alsoGroups ?? []), all])];
}

async function probeRole(work: string, name: string, src: string, tasks: string): Promise<void> {
  const dir = join(work, 'roles', name);
  for (const sub of ['defaults', 'vars', 'tasks']) await mkdir(join(dir, sub), { recursive: true });
  await symlink(join(src, 'defaults', 'main.yml'), join(dir, 'defaults', 'main.yml'));
  if (existsSync(join(src, 'vars', 'main.yml')))
    await symlink(join(src, 'vars', 'main.yml'), join(dir, 'vars', 'main.yml'));
  await writeFile(join(dir, 'tasks', 'main.yml'), tasks);
}

function ansiblePlaybook(
  args: readonly string[],
  cwd: string,
  sources: UpstreamSources,
): Promise<{ rc: number; text: string }> {
  return new Promise((resolve) => {
    execFile(
      'ansible-playbook',
      [...args],
      {
        cwd,
        timeout: 600_000,
        maxBuffer: 64 << 20,
        env: {
          ...process.env,
          HOME: cwd,
          ANSIBLE_LOCAL_TEMP: join(cwd, '.ansible-tmp'),
          ANSIBLE_ROLES_PATH: join(cwd, 'roles'),
          ANSIBLE_COLLECTIONS_PATH: sources.collectionsPath,
          ANSIBLE_NOCOLOR: '1',
          ANSIBLE_RETRY_FILES_ENABLED: '0',
          ANSIBLE_LOCALHOST_WARNING: '0',
          ANSIBLE_INVENTORY_UNPARSED_WARNING: '0',
          ANSIBLE_COLLECTIONS_SCAN_SYS_PATH: '1',
        },
      },
      (error, stdout, stderr) =>
        resolve({
          rc: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          text: stdout + stderr,
        }),
    );
  });
}
