import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeRequiring, executable, pythonModules, source } from '@osa-gitops/test-support';
import { ansibleEnv, removeTempDirs, tempDir } from '../test-fixtures/fixture';

/**
 * The cut-over playbook (playbooks/osa-gitops-metal-cutover.yml) with the real ansible-playbook
 * against OSA's real inventory generator (OSA_INVENTORY_SRC) and OSA's inventory-manage code
 * (`osa_toolkit/manage.py`): after it, the next generator run leaves only the containers in
 * `haproxy` (docs/osa-facts.md#metal-cutover). The play that stops keepalived and haproxy on the
 * metal hosts is skipped (tag osa-gitops-stop): it would stop this machine's own services.
 */
const SRC = process.env.OSA_INVENTORY_SRC ?? '';
const NEEDS = [
  source(
    'OSA_INVENTORY_SRC',
    'set it to an extracted openstack-ansible checkout with osa_toolkit/manage.py (source ../shared/upstream/env.sh)',
    () => SRC !== '' && fs.existsSync(path.join(SRC, 'osa_toolkit', 'manage.py')),
  ),
  pythonModules('/usr/bin/python3', ['netaddr', 'yaml'], "Debian's python3-netaddr and python3-yaml"),
  executable('ansible-playbook', "Debian's ansible-core"),
];
const PLAYBOOK = path.join(__dirname, '..', '..', 'playbooks', 'osa-gitops-metal-cutover.yml');

afterAll(removeTempDirs);

const USER_CONFIG = `cidr_networks:
  container: 172.29.236.0/22
used_ips:
  - "172.29.236.1,172.29.236.50"
global_overrides:
  internal_lb_vip_address: 172.29.236.9
  external_lb_vip_address: 172.29.236.10
  management_bridge: br-mgmt
  provider_networks:
    - network:
        container_bridge: br-mgmt
        container_type: veth
        container_interface: eth1
        ip_from_q: container
        type: raw
        group_binds: [all_containers, hosts]
        is_management_address: true
haproxy_hosts:
  infra1: {ip: 172.29.236.11}
  infra2: {ip: 172.29.236.12}
shared-infra_hosts:
  infra1: {ip: 172.29.236.11}
  infra2: {ip: 172.29.236.12}
`;

function run(cmd: string, args: string[], env: Record<string, string>, cwd: string) {
  return new Promise<{ code: number; out: string }>((resolve) =>
    execFile(cmd, args, { env, cwd, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    ),
  );
}

interface Inventory {
  [group: string]: { hosts?: string[] } | undefined;
}

describeRequiring(NEEDS, 'the metal cut-over playbook against OSA inventory code', () => {
  it('takes the metal hosts out of the haproxy group and nothing else; refuses hosts not in it', async () => {
    // An OSA dir with the real inventory code, and scripts/inventory-manage.py as upstream's is:
    // it imports osa_toolkit.manage and calls main() (prettytable, only for its tables, may be absent here).
    const osaDir = path.join(tempDir('osa-cutover'), 'openstack-ansible');
    fs.mkdirSync(path.join(osaDir, 'scripts'), { recursive: true });
    fs.symlinkSync(path.join(SRC, 'osa_toolkit'), path.join(osaDir, 'osa_toolkit'));
    fs.writeFileSync(
      path.join(osaDir, 'scripts', 'inventory-manage.py'),
      [
        'import os, sys, types',
        'try:',
        '    import prettytable  # noqa: F401',
        'except ImportError:',
        "    sys.modules['prettytable'] = types.ModuleType('prettytable')",
        "sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))",
        'from osa_toolkit import manage',
        'manage.main()',
        '',
      ].join('\n'),
    );
    const inventoryScript = path.join(osaDir, 'inventory.sh');
    fs.writeFileSync(
      inventoryScript,
      `#!/bin/sh\nexec /usr/bin/python3 ${path.join(SRC, 'inventory', 'dynamic_inventory.py')} "$@"\n`,
      { mode: 0o755 },
    );
    const config = path.join(tempDir('osa-cutover-config'), 'openstack_deploy');
    fs.mkdirSync(path.join(config, 'conf.d'), { recursive: true });
    fs.mkdirSync(path.join(config, 'env.d'));
    fs.writeFileSync(path.join(config, 'openstack_user_config.yml'), USER_CONFIG);
    const env = ansibleEnv({ OSA_CONFIG_DIR: config, PATH: `/usr/bin:/bin:${process.env.PATH ?? ''}` });
    const generate = async (): Promise<Inventory> => {
      const r = await run(
        '/usr/bin/python3',
        [path.join(SRC, 'inventory', 'dynamic_inventory.py'), '--config', config],
        env,
        osaDir,
      );
      expect(r.code, r.out).toBe(0);
      return JSON.parse(fs.readFileSync(path.join(config, 'openstack_inventory.json'), 'utf8')) as Inventory;
    };

    // HAProxy on metal, then the env.d override: the metal hosts stay beside the containers.
    await generate();
    fs.writeFileSync(
      path.join(config, 'env.d', 'haproxy.yml'),
      'container_skel:\n  haproxy_container:\n    properties:\n      is_metal: false\n',
    );
    const before = await generate();
    const containers = before['haproxy']!.hosts!.filter((h) => h.includes('-haproxy-container-'));
    expect(containers).toHaveLength(2);
    expect(before['haproxy']!.hosts!.sort()).toEqual(['infra1', 'infra2', ...containers].sort());
    const galera = before['galera']!.hosts!;

    const playbook = (hosts: string[]) =>
      run(
        'ansible-playbook',
        [
          '-i',
          inventoryScript,
          PLAYBOOK,
          '--skip-tags',
          'osa-gitops-stop',
          '-e',
          JSON.stringify({ osa_gitops_metal_hosts: hosts, osa_gitops_osa_dir: osaDir }),
        ],
        env,
        osaDir,
      );

    // A host that is not a member of haproxy: refused before anything changes.
    const inventoryBefore = fs.readFileSync(path.join(config, 'openstack_inventory.json'), 'utf8');
    const refused = await playbook(['infra9']);
    expect(refused.code, refused.out).not.toBe(0);
    expect(refused.out).toContain('must name members of the haproxy group');
    expect(fs.readFileSync(path.join(config, 'openstack_inventory.json'), 'utf8')).toBe(inventoryBefore);

    const done = await playbook(['infra1', 'infra2']);
    expect(done.code, done.out).toBe(0);
    const after = await generate();
    expect(after['haproxy']!.hosts!.sort()).toEqual([...containers].sort());
    // The hosts keep their other groups; the other containers keep their names.
    expect(after['lxc_hosts']!.hosts!.sort()).toEqual(['infra1', 'infra2']);
    expect(after['galera']!.hosts).toEqual(galera);
  }, 240_000);
});
