import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  describeRequiring,
  executable,
  pythonModules,
  requirementStatus,
  source,
  type Requirement,
} from '@osa-gitops/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EnvironmentSchema, type EnvironmentInput } from '@osa-gitops/core';
import { renderEnvironment } from '../src';
import guideLabInput from '../../../environments/guide-lab/environment';

/**
 * `haproxy.keepalived.unicast` (issue 26, item 5) through what OSA and the keepalived role really
 * do with it: OSA's `inventory/group_vars/haproxy/keepalived.yml` combines our
 * `keepalived_instances_overrides` into its instances, and the role's `keepalived.conf.j2` writes
 * them, evaluated by ansible-playbook on stand-in haproxy containers whose `container_networks`
 * carry the addresses OSA's generator would have drawn. The result must name each container's
 * own address as `unicast_src_ip` and every other container (and nothing else) as a peer with the
 * TTL check, on both instances, and keepalived itself must accept the file (`keepalived -t`).
 * Harness as in haproxy-keepalived-roles.int.spec.ts.
 */
const KEEPALIVED = process.env.KEEPALIVED_ROLE_SRC ?? '';
const OSA = process.env.OSA_SRC ?? '';
const COLLECTION_PATHS = [
  ...(process.env.ANSIBLE_COLLECTIONS_PATH ?? '').split(delimiter).filter((p) => p !== ''),
  join(process.env.HOME ?? '/root', '.ansible', 'collections'),
  '/usr/share/ansible/collections',
  '/usr/lib/python3/dist-packages',
];
const NEEDED_COLLECTIONS = ['ansible/utils', 'community/general'];

function ansiblePython(): string {
  const found = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' });
  const bin = found.status === 0 ? found.stdout.trim() : '';
  if (bin === '' || !existsSync(bin)) return 'python3';
  return /^#!\s*(\S+)/.exec(readFileSync(bin, 'utf8').split('\n', 1)[0]!)?.[1] ?? 'python3';
}

const NEEDS: Requirement[] = [
  source(
    'KEEPALIVED_ROLE_SRC',
    'set it to a checkout of evrardjp/ansible-keepalived',
    () => KEEPALIVED !== '' && existsSync(join(KEEPALIVED, 'templates', 'keepalived.conf.j2')),
  ),
  source(
    'OSA_SRC',
    'set it to a checkout of openstack/openstack-ansible (for inventory/group_vars/haproxy)',
    () => OSA !== '' && existsSync(join(OSA, 'inventory', 'group_vars', 'haproxy', 'keepalived.yml')),
  ),
  ...NEEDED_COLLECTIONS.map((c) =>
    source(
      `the collection ${c.replace('/', '.')}`,
      "put it on ANSIBLE_COLLECTIONS_PATH (Debian's ansible package has it)",
      () => COLLECTION_PATHS.some((p) => existsSync(join(p, 'ansible_collections', c))),
    ),
  ),
  executable('ansible-playbook', 'Debian ansible-core (.ci/run installs it)'),
  pythonModules(ansiblePython(), ['jmespath'], "Debian's python3-jmespath, for json_query"),
  executable('keepalived', 'Debian keepalived (.ci/run installs it), for its config test'),
];
const RUNS = requirementStatus(NEEDS).action === 'run';

/** What OSA's generator would have drawn: one public and one management address per container. */
const CONTAINERS: Record<string, { public: string; mgmt: string }> = {
  'infra1-haproxy-container': { public: '203.0.113.131', mgmt: '172.29.236.101' },
  'infra2-haproxy-container': { public: '203.0.113.132', mgmt: '172.29.236.102' },
  'infra3-haproxy-container': { public: '203.0.113.133', mgmt: '172.29.236.103' },
};

const PLAYBOOK = `- hosts: haproxy
  gather_facts: true
  gather_subset: [min]
  tasks:
    - ansible.builtin.file:
        path: "{{ probe_out }}/{{ inventory_hostname }}"
        state: directory
    - ansible.builtin.include_role:
        name: keepalived_probe
`;
const PROBE_TASKS = `- name: keepalived.conf as the keepalived role writes it
  ansible.builtin.template:
    src: "{{ probe_keepalived_role }}/templates/keepalived.conf.j2"
    dest: "{{ probe_out }}/{{ inventory_hostname }}/keepalived.conf"
`;

let work = '';
const confs = new Map<string, string>();
let configTests: { host: string; rc: number; text: string }[] = [];

function run(
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ rc: number; text: string }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      [...args],
      { cwd: work, timeout: 600_000, maxBuffer: 64 << 20, env },
      (error, stdout, stderr) =>
        resolve({
          rc: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          text: stdout + stderr,
        }),
    );
  });
}

beforeAll(async () => {
  if (!RUNS) return;
  work = await mkdtemp(join(tmpdir(), 'keepalived-unicast-'));
  const role = join(work, 'roles', 'keepalived_probe');
  for (const d of ['defaults', 'vars', 'tasks']) await mkdir(join(role, d), { recursive: true });
  await symlink(join(KEEPALIVED, 'defaults', 'main.yml'), join(role, 'defaults', 'main.yml'));
  if (existsSync(join(KEEPALIVED, 'vars', 'main.yml')))
    await symlink(join(KEEPALIVED, 'vars', 'main.yml'), join(role, 'vars', 'main.yml'));
  await writeFile(join(role, 'tasks', 'main.yml'), PROBE_TASKS);
  await writeFile(join(work, 'play.yml'), PLAYBOOK);

  const input: EnvironmentInput = structuredClone(guideLabInput);
  input.haproxy.keepalived = { ...input.haproxy.keepalived, unicast: true } as never;
  const tree = renderEnvironment(EnvironmentSchema.parse(input));
  const userConfig = parse(tree.get('openstack_user_config.yml')!);
  const inv = join(work, 'inv');
  await mkdir(join(inv, 'group_vars'), { recursive: true });
  await symlink(join(OSA, 'inventory', 'group_vars', 'all'), join(inv, 'group_vars', 'all'));
  await symlink(join(OSA, 'inventory', 'group_vars', 'haproxy'), join(inv, 'group_vars', 'haproxy'));
  const hosts = Object.fromEntries(
    Object.entries(CONTAINERS).map(([name, a]) => [
      name,
      {
        ansible_connection: 'local',
        container_networks: {
          public_api_address: { address: a.public, bridge: 'br-public-api', interface: 'eth20' },
          container_address: { address: a.mgmt, bridge: 'br-mgmt', interface: 'eth1' },
        },
      },
    ]),
  );
  await writeFile(
    join(inv, 'hosts.json'),
    JSON.stringify({ all: { vars: userConfig.global_overrides, children: { haproxy: { hosts } } } }),
  );
  await writeFile(join(inv, 'user_variables_haproxy_lxc.yml'), tree.get('user_variables_haproxy_lxc.yml')!);
  const out = join(work, 'out');
  const result = await run(
    'ansible-playbook',
    [
      '-i',
      join(inv, 'hosts.json'),
      '-e',
      `@${join(inv, 'user_variables_haproxy_lxc.yml')}`,
      '-e',
      JSON.stringify({ probe_out: out, probe_keepalived_role: KEEPALIVED }),
      join(work, 'play.yml'),
    ],
    {
      ...process.env,
      ANSIBLE_ROLES_PATH: join(work, 'roles'),
      ANSIBLE_COLLECTIONS_PATH: COLLECTION_PATHS.join(delimiter),
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_RETRY_FILES_ENABLED: '0',
      ANSIBLE_LOCALHOST_WARNING: '0',
    },
  );
  if (result.rc !== 0)
    throw new Error(`ansible-playbook failed (rc ${result.rc}):\n${result.text.slice(-6000)}`);
  configTests = [];
  for (const name of Object.keys(CONTAINERS)) {
    const file = join(out, name, 'keepalived.conf');
    confs.set(name, await readFile(file, 'utf8'));
    // The check scripts the conf names do not exist here; keepalived reports them, nothing else.
    const t = await run('keepalived', ['--config-test', '-f', file], { PATH: process.env.PATH });
    configTests.push({ host: name, ...t });
  }
}, 900_000);

afterAll(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true });
});

function instance(conf: string, name: string): string {
  const m = new RegExp(`^vrrp_instance ${name} \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(conf);
  if (m === null) throw new Error(`no vrrp_instance ${name}`);
  return m[1]!;
}

function unicast(block: string): { src: string | undefined; peers: string[] } {
  const src = /^\s*unicast_src_ip (\S+)$/m.exec(block)?.[1];
  const peers = /unicast_peer \{\n([\s\S]*?)\n\s*\}/.exec(block)?.[1];
  return {
    src,
    peers: (peers ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
  };
}

describeRequiring(NEEDS, 'keepalived.unicast through OSA group_vars and the keepalived role', () => {
  it('each container advertises from its own address to every other container, on both instances', () => {
    expect([...confs.keys()]).toEqual(Object.keys(CONTAINERS));
    for (const [name, conf] of confs) {
      const others = Object.entries(CONTAINERS).filter(([n]) => n !== name);
      expect(unicast(instance(conf, 'external')), name).toEqual({
        src: CONTAINERS[name]!.public,
        peers: others.map(([, a]) => `${a.public} min_ttl 255 max_ttl 255`),
      });
      expect(unicast(instance(conf, 'internal')), name).toEqual({
        src: CONTAINERS[name]!.mgmt,
        peers: others.map(([, a]) => `${a.mgmt} min_ttl 255 max_ttl 255`),
      });
      // The rest of OSA's instance is unchanged by the recursive combine.
      expect(instance(conf, 'external')).toMatch(/^\s*virtual_router_id 10$/m);
      expect(instance(conf, 'external')).toContain('203.0.113.140/32 dev eth20');
    }
  });

  it('keepalived accepts the file: no error but the check scripts this machine does not have', () => {
    for (const t of configTests) {
      const errors = t.text
        .split('\n')
        .filter((l) => /error|unknown|invalid|ignor/i.test(l))
        .filter((l) => !/script|\/etc\/keepalived\//.test(l));
      expect(errors, `${t.host}:\n${t.text}`).toEqual([]);
    }
  });
});
