import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  describeRequiring,
  executable,
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
 * The real systemd_networkd role (openstack/ansible-role-systemd_networkd) run by ansible-playbook
 * on every rendered example host, the way openstack_hosts includes it
 * (openstack-ansible-openstack_hosts `tasks/openstack_hosts_systemd.yml`), and what
 * systemd-networkd would make of the files it writes (systemd.network(5): the first `.network`
 * in lexical order whose [Match] holds is applied; the first `.netdev` of a name is used).
 *
 * The role writes to /etc/systemd/network; the playbook runs in a private mount namespace
 * (unshare) with a temp dir bind-mounted there, so the machine's own directory is never touched.
 * Handlers that would restart services are off (`systemd_run_networkd: false`, no packages, no
 * initramfs update).
 *
 * Needs: SYSTEMD_NETWORKD_ROLE_SRC (a checkout of the role, never vendored here), the collections
 * the role uses (openstack.config_template, ansible.utils; ansible.posix or the stand-in below) on
 * ANSIBLE_COLLECTIONS_PATH, ansible-playbook, root and unshare. Without the role source or the
 * collections it skips with the reason printed; with them, a missing tool fails under CI=true.
 */
const ROLE = process.env.SYSTEMD_NETWORKD_ROLE_SRC ?? '';
const COLLECTION_PATHS = [
  ...(process.env.ANSIBLE_COLLECTIONS_PATH ?? '').split(delimiter).filter((p) => p !== ''),
  join(process.env.HOME ?? '/root', '.ansible', 'collections'),
  '/usr/share/ansible/collections',
  '/usr/lib/python3/dist-packages',
];
const NEEDED_COLLECTIONS = ['openstack/config_template', 'ansible/utils'];
/**
 * The role names one module of ansible.posix, `sysctl`, on a task only Red Hat hosts run
 * (tasks/main.yml, "Add IP Forward for interface"); ansible-core must still resolve the name when
 * it loads the play. Where the collection is not installed, the run gets a stand-in collection
 * whose `sysctl` fails if it is ever called, so a change of the role that runs it here is seen.
 */
const POSIX_PRESENT = COLLECTION_PATHS.some((p) =>
  existsSync(join(p, 'ansible_collections', 'ansible', 'posix')),
);
const POSIX_STAND_IN = `#!/usr/bin/python3
import json
print(json.dumps({"failed": True, "msg": "ansible.posix.sysctl stand-in: the role ran a task this test expects it to skip"}))
`;

/** Sources first: without the role checkout, a missing tool does not matter. */
const NEEDS: Requirement[] = [
  source(
    'SYSTEMD_NETWORKD_ROLE_SRC',
    'set it to a checkout of openstack/ansible-role-systemd_networkd (docs/host-networking.md, "Tests that run the roles")',
    () => ROLE !== '' && existsSync(join(ROLE, 'tasks', 'main.yml')),
  ),
  ...NEEDED_COLLECTIONS.map((c) =>
    source(
      `the collection ${c.replace('/', '.')}`,
      'put it on ANSIBLE_COLLECTIONS_PATH (ansible-galaxy collection install, or a checkout)',
      () => COLLECTION_PATHS.some((p) => existsSync(join(p, 'ansible_collections', c))),
    ),
  ),
  executable('ansible-playbook', 'Debian ansible-core (.ci/run installs it)'),
  executable('unshare', "Debian util-linux (the role's writes go to a private mount namespace)"),
  {
    kind: 'tool',
    name: 'root',
    hint: 'the role writes to /etc/systemd/network, bind-mounted per run',
    present: () => process.getuid?.() === 0,
  },
];
const RUNS = requirementStatus(NEEDS).action === 'run';

const SITES: Record<string, EnvironmentInput> = {
  'guide-lab': guideLabInput,
  'dc-east': dcEastInput,
  'dc-west': dcWestInput,
};

/** A file the guide's hand-made setup left, or one an earlier render of ours left. */
interface Seed {
  readonly name: string;
  readonly text: string;
}

/** What every host had before: a stale file of ours (a VLAN since removed) and a foreign file. */
const STALE_OURS: readonly Seed[] = [
  { name: '10-osa-gitops-vlan-old.netdev', text: '[NetDev]\nName=vlan-old\nKind=vlan\n\n[VLAN]\nId=99\n' },
  { name: '10-osa-gitops-vlan-old.network', text: '[Match]\nName=vlan-old\n\n[Network]\nBridge=br-old\n' },
  { name: '10-osa-gitops-vlan-old.link', text: '[Match]\nOriginalName=vlan-old\n' },
  { name: '50-not-ours.network', text: '[Match]\nName=eno9\n\n[Network]\nDHCP=yes\n' },
];

/** The files OSA's guide has a host write when followed by hand (guide-lab takes them over). */
const GUIDE_FILES: readonly Seed[] = [
  { name: '05-generic-bond0.netdev', text: '[NetDev]\nName=bond0\nKind=bond\n' },
  { name: '05-generic-ens3.network', text: '[Match]\nName=ens3\n\n[Network]\nBond=bond0\n' },
  { name: '05-generic-ens6.network', text: '[Match]\nName=ens6\n\n[Network]\nBond=bond0\n' },
  { name: '05-general-bond0.network', text: '[Match]\nName=bond0\n\n[Network]\nVLAN=vlan-public-api\n' },
  {
    name: '10-openstack-vlan-public-api.netdev',
    text: '[NetDev]\nName=vlan-public-api\nKind=vlan\n\n[VLAN]\nId=40\n',
  },
  {
    name: '10-openstack-vlan-public-api.network',
    text: '[Match]\nName=vlan-public-api\n\n[Network]\nBridge=br-public-api\n',
  },
  { name: '11-openstack-br-public-api.netdev', text: '[NetDev]\nName=br-public-api\nKind=bridge\n' },
  { name: '11-openstack-br-public-api.network', text: '[Match]\nName=br-public-api\n' },
];

interface HostRun {
  readonly site: string;
  readonly host: string;
  readonly env: Environment;
  readonly vars: Record<string, any>;
  /** File name → contents, after the role ran. */
  readonly files: Map<string, string>;
  readonly seeded: readonly Seed[];
}

const runs: HostRun[] = [];
let work = '';

beforeAll(async () => {
  if (!RUNS) return;
  work = await mkdtemp(join(tmpdir(), 'networkd-role-'));
  const hosts: { id: string; site: string; host: string; env: Environment; vars: any; seeded: Seed[] }[] = [];
  for (const [site, input] of Object.entries(SITES)) {
    const env = EnvironmentSchema.parse(input);
    for (const [path, text] of renderEnvironment(env)) {
      const m = /^host_vars\/(.+)\.yml$/.exec(path);
      if (!m) continue;
      const id = `${site}__${m[1]}`;
      const seeded = [...STALE_OURS, ...(site === 'guide-lab' ? GUIDE_FILES : [])];
      await mkdir(join(work, 'seed', id), { recursive: true });
      for (const s of seeded) await writeFile(join(work, 'seed', id, s.name), s.text);
      await writeFile(join(work, `${id}.yml`), text);
      hosts.push({ id, site, host: m[1]!, env, vars: parse(text), seeded });
    }
  }
  await mkdir(join(work, 'net'));
  await mkdir(join(work, 'roles'));
  if (!POSIX_PRESENT) {
    const modules = join(
      work,
      'collections',
      'ansible_collections',
      'ansible',
      'posix',
      'plugins',
      'modules',
    );
    await mkdir(modules, { recursive: true });
    await writeFile(join(modules, 'sysctl.py'), POSIX_STAND_IN);
  }
  // openstack_hosts includes the role as `systemd_networkd`, whatever the checkout is called.
  await symlink(ROLE, join(work, 'roles', 'systemd_networkd'));
  await writeFile(join(work, 'play.yml'), playbook(work));
  await writeFile(join(work, 'one-host.yml'), ONE_HOST);
  await writeFile(
    join(work, 'hosts.yml'),
    `osa_hosts:\n${hosts.map((h) => `  - ${JSON.stringify(h.id)}`).join('\n')}\n`,
  );
  const script = [
    'set -e',
    `mount --bind ${sh(join(work, 'net'))} /etc/systemd/network`,
    `exec ansible-playbook -i localhost, -e @${sh(join(work, 'hosts.yml'))} ${sh(join(work, 'play.yml'))}`,
  ].join('\n');
  const out = await new Promise<{ rc: number; text: string }>((resolve) => {
    execFile(
      'unshare',
      ['--mount', '--propagation', 'private', 'sh', '-c', script],
      {
        cwd: work,
        timeout: 1_500_000,
        maxBuffer: 256 << 20,
        env: {
          ...process.env,
          ANSIBLE_ROLES_PATH: join(work, 'roles'),
          ANSIBLE_COLLECTIONS_PATH: [...COLLECTION_PATHS, join(work, 'collections')].join(delimiter),
          ANSIBLE_NOCOLOR: '1',
          ANSIBLE_RETRY_FILES_ENABLED: '0',
          ANSIBLE_LOCALHOST_WARNING: '0',
        },
      },
      (error, stdout, stderr) =>
        resolve({
          rc: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          text: stdout + stderr,
        }),
    );
  });
  if (out.rc !== 0) throw new Error(`ansible-playbook failed (rc ${out.rc}):\n${out.text.slice(-6000)}`);
  for (const h of hosts) {
    const files = new Map<string, string>();
    const dir = join(work, 'out', h.id);
    for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(join(dir, name), 'utf8'));
    runs.push({ site: h.site, host: h.host, env: h.env, vars: h.vars, files, seeded: h.seeded });
  }
}, 1_600_000);

afterAll(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true });
});

/** The role directory's name is the role name openstack_hosts includes. */
function playbook(dir: string): string {
  return `- hosts: localhost
  connection: local
  gather_facts: true
  tasks:
    - name: Every rendered host, one after the other
      ansible.builtin.include_tasks: ${JSON.stringify(join(dir, 'one-host.yml'))}
      loop: "{{ osa_hosts }}"
      loop_control:
        loop_var: osa_host
`;
}

/**
 * One host: the directory holds what the host had before (seed), the host's rendered host_vars are
 * loaded as host variables, the role runs with openstack_hosts' own include_role vars, and the
 * result is copied out. Only the safety overrides differ from a real host.
 */
const ONE_HOST = `- name: Empty the networkd directory
  ansible.builtin.command: find /etc/systemd/network -mindepth 1 -delete
- name: Put what the host had before in place
  ansible.builtin.command: cp -a seed/{{ osa_host }}/. /etc/systemd/network/
- name: Load the rendered host_vars
  ansible.builtin.include_vars:
    file: "{{ osa_host }}.yml"
- name: Run the systemd-networkd role as openstack_hosts does
  ansible.builtin.include_role:
    name: systemd_networkd
  vars:
    systemd_networkd_prefix: "{{ openstack_hosts_systemd_networkd_prefix | default('openstack-net') }}"
    systemd_run_networkd: false
    systemd_networkd_distro_packages: []
    systemd_networkd_update_initramfs: /bin/true
    systemd_netdevs: "{{ openstack_hosts_systemd_networkd_devices }}"
    systemd_networks: "{{ openstack_hosts_systemd_networkd_networks }}"
  when:
    - openstack_hosts_systemd_networkd_devices | length > 0
    - openstack_hosts_systemd_networkd_networks | length > 0
- name: Copy the result out
  ansible.builtin.command: mkdir -p out/{{ osa_host }}
- name: Copy the files
  ansible.builtin.command: cp -a /etc/systemd/network/. out/{{ osa_host }}/
`;

function sh(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** INI as systemd reads it: sections, `key=value` lines, repeated keys kept in order. */
type Unit = Map<string, [string, string][]>;
function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: [string, string][] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      section = unit.get(head[1]!) ?? [];
      unit.set(head[1]!, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (section && eq > 0) section.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return unit;
}
function values(unit: Unit, section: string, key: string): string[] {
  return (unit.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);
}

/** An interface as systemd-networkd sees it when matching `.network` files. */
interface Iface {
  readonly name: string;
  readonly permanentMac?: string;
  readonly kind?: string;
}

/** Every [Match] condition must hold (systemd.network(5)); only the keys the role writes here. */
function matches(unit: Unit, iface: Iface): boolean {
  const names = values(unit, 'Match', 'Name').flatMap((v) => v.split(/\s+/));
  if (names.length > 0 && !names.includes(iface.name)) return false;
  const perm = values(unit, 'Match', 'PermanentMACAddress').flatMap((v) => v.toLowerCase().split(/\s+/));
  if (
    perm.length > 0 &&
    (iface.permanentMac === undefined || !perm.includes(iface.permanentMac.toLowerCase()))
  )
    return false;
  for (const key of [...(unit.get('Match') ?? []).map(([k]) => k)]) {
    if (key !== 'Name' && key !== 'PermanentMACAddress') throw new Error(`unexpected [Match] ${key}`);
  }
  return true;
}

/** The `.network` systemd-networkd applies to an interface: the first matching, in lexical order. */
function appliedNetwork(files: Map<string, string>, iface: Iface): string | undefined {
  return [...files.keys()]
    .filter((f) => f.endsWith('.network'))
    .sort()
    .find((f) => matches(parseUnit(files.get(f)!), iface));
}

/** The `.netdev` file systemd-networkd uses for a name: the first of that name. */
function netdevFiles(files: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of [...files.keys()].filter((x) => x.endsWith('.netdev')).sort()) {
    const name = values(parseUnit(files.get(f)!), 'NetDev', 'Name')[0];
    if (name !== undefined) out.set(name, [...(out.get(name) ?? []), f]);
  }
  return out;
}

describeRequiring(NEEDS, 'the systemd_networkd role on every rendered example host', () => {
  it('ran on every host that has host_vars', () => {
    expect(runs.map((r) => `${r.site}/${r.host}`).length).toBeGreaterThanOrEqual(3);
  });

  it('writes exactly the files host_vars name, and the role cleanup removed our stale files only', () => {
    for (const r of runs) {
      const expected = new Set<string>();
      for (const d of r.vars.openstack_hosts_systemd_networkd_devices) expected.add(`${d.filename}.netdev`);
      for (const n of r.vars.openstack_hosts_systemd_networkd_networks) {
        expected.add(`${n.filename}.network`);
        expected.add(`${n.filename}.link`);
      }
      const left = [...r.files.keys()].filter((f) => !expected.has(f)).sort();
      // Our stale .netdev/.network are gone (systemd_interface_cleanup on our prefix); the role
      // never deletes .link files, and files of other names stay.
      const seededLeft = r.seeded
        .map((s) => s.name)
        .filter((f) => !expected.has(f) && !(/osa-gitops/.test(f) && /\.(netdev|network)$/.test(f)))
        .sort();
      expect(left, `${r.site}/${r.host}`).toEqual(seededLeft);
      expect(r.files.has('10-osa-gitops-vlan-old.network')).toBe(false);
      expect(r.files.has('10-osa-gitops-vlan-old.netdev')).toBe(false);
      expect(r.files.has('50-not-ours.network')).toBe(true);
    }
  });

  it('gives every netdev name one .netdev of ours, which is the first of its name', () => {
    for (const r of runs) {
      const byName = netdevFiles(r.files);
      for (const d of r.vars.openstack_hosts_systemd_networkd_devices) {
        const files = byName.get(d.NetDev.Name) ?? [];
        expect(files[0], `${r.site}/${r.host} ${d.NetDev.Name}`).toBe(`${d.filename}.netdev`);
      }
      const names = r.vars.openstack_hosts_systemd_networkd_devices.map((d: any) => d.NetDev.Name);
      expect(new Set(names).size, `${r.site}/${r.host}: a netdev name twice`).toBe(names.length);
    }
  });

  it('matches bond members as the definition says: by name and permanent MAC, onto the bond', () => {
    for (const r of runs) {
      const members = r.env.hosts[r.host]!.bondMembers ?? {};
      const bond = r.env.hostNetworking.bond!.name;
      for (const [nic, mac] of Object.entries(members)) {
        const applied = appliedNetwork(r.files, { name: nic, permanentMac: mac });
        const item = r.vars.openstack_hosts_systemd_networkd_networks.find((n: any) => n.interface === nic);
        expect(applied, `${r.site}/${r.host} ${nic}`).toBe(`${item.filename}.network`);
        const unit = parseUnit(r.files.get(applied!)!);
        expect(values(unit, 'Network', 'Bond')).toEqual([bond]);
        expect(values(unit, 'Match', 'PermanentMACAddress')).toEqual([mac]);
        // Another NIC under that name is enslaved by nothing of ours.
        const other = appliedNetwork(r.files, { name: nic, permanentMac: '02:00:00:00:00:01' });
        if (other !== undefined)
          expect(values(parseUnit(r.files.get(other)!), 'Network', 'Bond')).toEqual([]);
        // The role's .link matches the kernel's name only and renames nothing.
        const link = parseUnit(r.files.get(`${item.filename}.link`)!);
        expect(values(link, 'Match', 'OriginalName')).toEqual([nic]);
        expect([...values(link, 'Link', 'Name'), ...values(link, 'Link', 'NamePolicy')]).toEqual([]);
      }
    }
  });

  it('chains bond → VLANs → bridges, each interface getting our .network first', () => {
    for (const r of runs) {
      const where = `${r.site}/${r.host}`;
      const devices: any[] = r.vars.openstack_hosts_systemd_networkd_devices;
      const kinds = new Map(devices.map((d) => [d.NetDev.Name, d.NetDev.Kind]));
      const networks: any[] = r.vars.openstack_hosts_systemd_networkd_networks;
      const unitOf = (name: string) => {
        const applied = appliedNetwork(r.files, { name, kind: kinds.get(name) });
        const item = networks.find((n) => n.interface === name);
        expect(applied, `${where} ${name}`).toBe(`${item.filename}.network`);
        return parseUnit(r.files.get(applied!)!);
      };
      const bondName = networks.find(
        (n) => n.vlan !== undefined || n.interface === r.env.haproxy.publicNetwork.bond,
      )?.interface as string;
      const vlans = values(unitOf(bondName), 'Network', 'VLAN');
      const vlanNetdevs = devices.filter((d) => d.NetDev.Kind === 'vlan').map((d) => d.NetDev.Name);
      expect(new Set(vlans), where).toEqual(new Set(vlanNetdevs));
      for (const vlan of vlans) {
        const bridge = values(unitOf(vlan), 'Network', 'Bridge');
        expect(bridge.length, `${where} ${vlan}`).toBe(1);
        expect(kinds.get(bridge[0]!), `${where} ${bridge[0]}`).toBe('bridge');
        unitOf(bridge[0]!);
      }
    }
  });

  it('takes over the guide’s hand-made files on guide-lab (ours are the ones applied)', () => {
    const guide = runs.filter((r) => r.site === 'guide-lab');
    expect(guide.length).toBe(3);
    for (const r of guide) {
      expect(r.files.get('05-generic-ens3.network')).toMatch(/^PermanentMACAddress\s*=\s*\S+$/m);
      expect(appliedNetwork(r.files, { name: 'bond0' })).toBe('05-general-bond0.network');
      // The guide's own bond .netdev has another name; ours sorts first and is the one used.
      expect(netdevFiles(r.files).get('bond0')).toEqual([
        '05-general-bond0.netdev',
        '05-generic-bond0.netdev',
      ]);
    }
  });
});
