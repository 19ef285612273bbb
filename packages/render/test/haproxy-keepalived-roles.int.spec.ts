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
import { EnvironmentSchema, type Environment, type EnvironmentInput } from '@osa-gitops/core';
import { renderEnvironment } from '../src';
import guideLabInput from '../../../environments/guide-lab/environment';
import dcEastInput from '../../../environments/dc-east/environment';
import dcWestInput from '../../../environments/dc-west/environment';

/**
 * What OSA's haproxy_server and keepalived roles make of every rendered example site's
 * `user_variables_haproxy_lxc.yml`: the roles' own variables and templates, evaluated by
 * ansible-playbook with OSA's `inventory/group_vars/{all,haproxy}` as group variables and our
 * file as extra vars (as the openstack-ansible wrapper passes user_*.yml), on stand-in haproxy
 * hosts in an inventory of the site's haproxy hosts. Nothing is installed or started: a probe
 * role whose defaults and vars are the real role's files (so the precedence is the role's)
 * writes the evaluated variables and the templates into a temp dir.
 *
 * Checked: the certificate each TLS bind gets carries the VIPs and the site's external name
 * (haproxy_server `vars/main.yml` `_haproxy_pki_certificates`), the frontends bind where the
 * binds say and use that certificate (`templates/service.j2`), non-local binds are on when
 * binding by address, and each keepalived instance tracks its own ping address (OSA
 * `inventory/group_vars/haproxy/keepalived.yml`, keepalived `templates/keepalived.conf.j2`).
 *
 * Needs: HAPROXY_SERVER_ROLE_SRC (openstack/openstack-ansible-haproxy_server), KEEPALIVED_ROLE_SRC
 * (evrardjp/ansible-keepalived) and OSA_SRC (openstack/openstack-ansible) checkouts, never vendored
 * here; ansible-playbook, and ansible.utils and community.general (json_query, with python3
 * jmespath) on ANSIBLE_COLLECTIONS_PATH. Without the sources or the collections it skips with the
 * reason printed; with them, a missing tool fails under CI=true.
 */
const HAPROXY = process.env.HAPROXY_SERVER_ROLE_SRC ?? '';
const KEEPALIVED = process.env.KEEPALIVED_ROLE_SRC ?? '';
const OSA = process.env.OSA_SRC ?? '';
const COLLECTION_PATHS = [
  ...(process.env.ANSIBLE_COLLECTIONS_PATH ?? '').split(delimiter).filter((p) => p !== ''),
  join(process.env.HOME ?? '/root', '.ansible', 'collections'),
  '/usr/share/ansible/collections',
  '/usr/lib/python3/dist-packages',
];
const NEEDED_COLLECTIONS = ['ansible/utils', 'community/general'];

/** The Python that runs ansible-playbook (its shebang's): json_query needs jmespath there. */
function ansiblePython(): string {
  const found = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' });
  const bin = found.status === 0 ? found.stdout.trim() : '';
  if (bin === '' || !existsSync(bin)) return 'python3';
  return /^#!\s*(\S+)/.exec(readFileSync(bin, 'utf8').split('\n', 1)[0]!)?.[1] ?? 'python3';
}

/** Sources first: without the checkouts, a missing tool does not matter. */
const NEEDS: Requirement[] = [
  source(
    'HAPROXY_SERVER_ROLE_SRC',
    'set it to a checkout of openstack/openstack-ansible-haproxy_server (docs/host-networking.md, "Tests that run the roles")',
    () => HAPROXY !== '' && existsSync(join(HAPROXY, 'vars', 'main.yml')),
  ),
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
];
const RUNS = requirementStatus(NEEDS).action === 'run';

/**
 * dc-west with one haproxy host: OSA's group_vars turn non-local binds on only with more than one
 * (`haproxy_bind_on_non_local: "{{ (groups.haproxy | length) > 1 }}"`), and dc-west binds by address.
 */
function oneHaproxyHost(input: EnvironmentInput): EnvironmentInput {
  const copy = structuredClone(input);
  for (const name of ['west-infra2', 'west-infra3']) {
    const host = copy.hosts[name]!;
    host.groups = host.groups.filter((g) => g !== 'haproxy_hosts' && g !== 'load_balancer_hosts');
  }
  return copy;
}

const SITES: Record<string, EnvironmentInput> = {
  'guide-lab': guideLabInput,
  'dc-east': dcEastInput,
  'dc-west': dcWestInput,
  'dc-west-one-haproxy-host': oneHaproxyHost(dcWestInput),
};

interface Cert {
  readonly name: string;
  readonly san: { readonly dns: readonly string[]; readonly ip: readonly string[] };
}
interface HostResult {
  readonly certs: readonly Cert[];
  readonly binds: readonly { address: string; interface?: string; type: string }[];
  readonly nonLocal: boolean;
  readonly hostname: string;
  readonly service: string;
  readonly keepalived: string;
}
interface SiteRun {
  readonly site: string;
  readonly env: Environment;
  readonly userVariables: Record<string, any>;
  readonly hosts: Map<string, HostResult>;
}

const runs: SiteRun[] = [];
let work = '';

/** The probe roles: the real roles' defaults and vars (symlinked), our tasks. */
const HAPROXY_PROBE_TASKS = `- name: What haproxy_server evaluates for the binds
  ansible.builtin.copy:
    dest: "{{ probe_out }}/{{ inventory_hostname }}/haproxy.json"
    content: >-
      {{ {'certs': _haproxy_pki_certificates, 'binds': haproxy_vip_binds,
          'non_local': haproxy_bind_on_non_local | bool,
          'hostname': ansible_facts['hostname']} | to_nice_json }}
- name: A TLS frontend as haproxy_server writes it (tasks/haproxy_service_config.yml)
  ansible.builtin.template:
    src: "{{ probe_haproxy_role }}/templates/service.j2"
    dest: "{{ probe_out }}/{{ inventory_hostname }}/service.cfg"
  vars:
    service:
      haproxy_service_name: keystone_service
      haproxy_port: 5000
      haproxy_ssl: true
      haproxy_balance_type: http
      haproxy_backend_nodes: [{ name: probe-backend, ip_addr: 192.0.2.10 }]
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
        path: "{{ probe_out }}/{{ inventory_hostname }}"
        state: directory
    - ansible.builtin.include_role:
        name: haproxy_probe
    - ansible.builtin.include_role:
        name: keepalived_probe
`;

async function probeRole(name: string, src: string, tasks: string): Promise<void> {
  const dir = join(work, 'roles', name);
  await mkdir(join(dir, 'defaults'), { recursive: true });
  await mkdir(join(dir, 'vars'), { recursive: true });
  await mkdir(join(dir, 'tasks'), { recursive: true });
  await symlink(join(src, 'defaults', 'main.yml'), join(dir, 'defaults', 'main.yml'));
  if (existsSync(join(src, 'vars', 'main.yml')))
    await symlink(join(src, 'vars', 'main.yml'), join(dir, 'vars', 'main.yml'));
  await writeFile(join(dir, 'tasks', 'main.yml'), tasks);
}

function run(args: readonly string[], cwd: string): Promise<{ rc: number; text: string }> {
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
          ANSIBLE_ROLES_PATH: join(work, 'roles'),
          ANSIBLE_COLLECTIONS_PATH: COLLECTION_PATHS.join(delimiter),
          ANSIBLE_NOCOLOR: '1',
          ANSIBLE_RETRY_FILES_ENABLED: '0',
          ANSIBLE_LOCALHOST_WARNING: '0',
          ANSIBLE_INVENTORY_UNPARSED_WARNING: '0',
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

beforeAll(async () => {
  if (!RUNS) return;
  work = await mkdtemp(join(tmpdir(), 'haproxy-roles-'));
  await probeRole('haproxy_probe', HAPROXY, HAPROXY_PROBE_TASKS);
  await probeRole('keepalived_probe', KEEPALIVED, KEEPALIVED_PROBE_TASKS);
  await writeFile(join(work, 'play.yml'), PLAYBOOK);
  for (const [site, input] of Object.entries(SITES)) {
    const env = EnvironmentSchema.parse(input);
    const tree = renderEnvironment(env);
    const userConfig = parse(tree.get('openstack_user_config.yml')!);
    const userVariables = parse(tree.get('user_variables_haproxy_lxc.yml')!);
    // OSA's inventory: global_overrides are variables of every host; the haproxy group holds
    // the haproxy containers (one per haproxy host here).
    const haproxyHosts = Object.keys(userConfig.haproxy_hosts ?? {}).sort();
    const inv = join(work, 'inv', site);
    await mkdir(join(inv, 'group_vars'), { recursive: true });
    await symlink(join(OSA, 'inventory', 'group_vars', 'all'), join(inv, 'group_vars', 'all'));
    await symlink(join(OSA, 'inventory', 'group_vars', 'haproxy'), join(inv, 'group_vars', 'haproxy'));
    const inventory = {
      all: {
        vars: userConfig.global_overrides,
        children: {
          haproxy: {
            hosts: Object.fromEntries(
              haproxyHosts.map((h) => [`${h}-haproxy-container`, { ansible_connection: 'local' }]),
            ),
          },
        },
      },
    };
    await writeFile(join(inv, 'hosts.json'), JSON.stringify(inventory));
    await writeFile(join(inv, 'user_variables_haproxy_lxc.yml'), tree.get('user_variables_haproxy_lxc.yml')!);
    const out = join(work, 'out', site);
    const result = await run(
      [
        '-i',
        join(inv, 'hosts.json'),
        '-e',
        `@${join(inv, 'user_variables_haproxy_lxc.yml')}`,
        '-e',
        JSON.stringify({ probe_out: out, probe_haproxy_role: HAPROXY, probe_keepalived_role: KEEPALIVED }),
        join(work, 'play.yml'),
      ],
      work,
    );
    if (result.rc !== 0)
      throw new Error(`ansible-playbook failed for ${site} (rc ${result.rc}):\n${result.text.slice(-6000)}`);
    const hosts = new Map<string, HostResult>();
    for (const h of haproxyHosts) {
      const dir = join(out, `${h}-haproxy-container`);
      const json = JSON.parse(await readFile(join(dir, 'haproxy.json'), 'utf8'));
      hosts.set(h, {
        certs: json.certs,
        binds: json.binds,
        nonLocal: json.non_local,
        hostname: json.hostname,
        service: await readFile(join(dir, 'service.cfg'), 'utf8'),
        keepalived: await readFile(join(dir, 'keepalived.conf'), 'utf8'),
      });
    }
    runs.push({ site, env, userVariables, hosts });
  }
}, 1_800_000);

afterAll(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true });
});

/** `vrrp_instance <name> { … }` and `vrrp_script <name> { … }` blocks of keepalived.conf. */
function blocks(conf: string, kind: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = new RegExp(`^${kind} (\\S+) \\{\\n([\\s\\S]*?)^\\}`, 'gm');
  for (const m of conf.matchAll(re)) out.set(m[1]!, m[2]!);
  return out;
}
function trackScripts(instance: string): string[] {
  const m = /track_script \{\n([\s\S]*?)\n\s*\}/.exec(instance);
  return m
    ? m[1]!
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
    : [];
}

describeRequiring(NEEDS, 'haproxy_server and keepalived on every rendered example site', () => {
  it('ran every site', () => {
    expect(runs.map((r) => r.site)).toEqual(Object.keys(SITES));
    for (const r of runs) expect(r.hosts.size, r.site).toBeGreaterThan(0);
  });

  it('issues certificates carrying both VIPs and the external name, whatever the bind mode', () => {
    for (const r of runs) {
      const { external, internal, externalName } = r.env.haproxy.vips;
      for (const [host, h] of r.hosts) {
        const where = `${r.site}/${host}`;
        expect(h.certs.length, where).toBe(2);
        for (const cert of h.certs) {
          expect(cert.san.ip, `${where} ${cert.name}`).toEqual(expect.arrayContaining([external, internal]));
          if (externalName !== undefined)
            expect(cert.san.dns, `${where} ${cert.name}`).toContain(externalName);
        }
      }
    }
  });

  it('binds the frontends where the definition says, with the certificate of that bind', () => {
    for (const r of runs) {
      const pub = r.env.haproxy.publicNetwork.containerInterface;
      const { external, internal } = r.env.haproxy.vips;
      for (const [host, h] of r.hosts) {
        const where = `${r.site}/${host}`;
        const binds = [...h.service.matchAll(/^\s*bind (\S+):5000( interface (\S+))?(.*)$/gm)].map((m) => ({
          address: m[1]!,
          iface: m[3],
          rest: m[4]!,
        }));
        expect(binds.length, where).toBe(2);
        if (r.env.haproxy.bind === 'interface') {
          expect(
            binds.map((b) => [b.address, b.iface]),
            where,
          ).toEqual([
            ['*', pub],
            ['*', r.userVariables.haproxy_bind_internal_lb_vip_interface],
          ]);
        } else {
          expect(
            binds.map((b) => [b.address, b.iface]),
            where,
          ).toEqual([
            [external, undefined],
            [internal, undefined],
          ]);
        }
        // service.j2 terminates TLS on the first bind (the external one) unless
        // haproxy_ssl_all_vips: its certificate file is the one _haproxy_pki_certificates names.
        const crt = /ssl crt (\S+)/.exec(binds[0]!.rest)?.[1];
        expect(crt, where).toBeDefined();
        const certName = crt!.replace(/^.*\//, '').replace(/\.pem$/, '');
        const cert = h.certs.find((c) => c.name === certName);
        expect(cert, `${where}: no certificate ${certName}`).toBeDefined();
        expect(cert!.san.ip).toContain(external);
      }
    }
  });

  it('turns non-local binds on when binding by address, also on a single haproxy host', () => {
    expect(runs.find((r) => r.site === 'dc-west-one-haproxy-host')?.hosts.size).toBe(1);
    for (const r of runs) {
      for (const [host, h] of r.hosts) {
        // By interface OSA's own rule stays: on with more than one haproxy host.
        expect(h.nonLocal, `${r.site}/${host}`).toBe(r.env.haproxy.bind === 'address' || r.hosts.size > 1);
      }
    }
  });

  it('pings the public gateway for the external VIP and its own address for the internal one', () => {
    for (const r of runs) {
      for (const [host, h] of r.hosts) {
        const where = `${r.site}/${host}`;
        const scripts = blocks(h.keepalived, 'vrrp_script');
        const instances = blocks(h.keepalived, 'vrrp_instance');
        const pingOf = (instance: string) => {
          const body = instances.get(instance);
          expect(body, `${where} ${instance}`).toBeDefined();
          const pings = trackScripts(body!)
            .map((name) => /script "(.*)"/.exec(scripts.get(name) ?? '')?.[1] ?? '')
            .filter((s) => s.includes('pingable_check'));
          expect(pings.length, `${where} ${instance}`).toBe(1);
          return pings[0]!.split(/\s+/).at(-1);
        };
        expect(pingOf('external'), where).toBe(r.env.haproxy.publicNetwork.gateway);
        expect(pingOf('internal'), where).toBe(r.userVariables.keepalived_internal_ping_address);
        expect(pingOf('internal'), where).not.toBe(r.env.haproxy.publicNetwork.gateway);
        expect(instances.get('external')).toMatch(
          new RegExp(`^\\s*interface ${r.env.haproxy.publicNetwork.containerInterface}$`, 'm'),
        );
      }
    }
  });
});
