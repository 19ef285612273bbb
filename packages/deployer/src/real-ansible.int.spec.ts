import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeRequiring, executable } from '@osa-gitops/test-support';
import { afterAll, expect, it } from 'vitest';
import { deploySite } from './deploy-site';
import { stubDeployOptions, stubRecord } from './test-fixtures/deploy-options';
import {
  ansibleEnv,
  expectedSnapshot,
  makeConfigDir,
  makeOsaDir,
  memoryLog,
  removeTempDirs,
  siteTree,
  snapshot,
  tempDir,
} from './test-fixtures/fixture';

/**
 * The real `ansible-playbook` (Debian ansible-core) behind a stand-in of OSA's wrapper
 * (test-fixtures/osa/openstack-ansible, which passes user_*.yml as `-e @file` like docs/osa-facts.md#container-playbook),
 * against a local inventory with more groups than the limit names.
 */

afterAll(removeTempDirs);

const v1 = siteTree(1);
const v2 = siteTree(2);

const LIMITED = [
  'infra1',
  'infra2',
  'infra1-haproxy-container-1a2b3c4d',
  'infra2-haproxy-container-5e6f7a8b',
];

function hostsYaml(extraLxcHost = ''): string {
  return `all:
  vars:
    ansible_connection: local
    ansible_python_interpreter: /usr/bin/python3
  children:
    lxc_hosts:
      hosts:
        infra1: {}
        infra2: {}
${extraLxcHost}
    haproxy:
      hosts:
        infra1-haproxy-container-1a2b3c4d: {}
        infra2-haproxy-container-5e6f7a8b: {}
    galera:
      hosts:
        infra1-galera-container-0a0b0c0d: {}
    compute:
      hosts:
        compute1: {}
`;
}

/** A host in lxc_hosts that cannot be reached: ssh to port 1 on loopback, refused at once. */
const UNREACHABLE = `        infra9:
          ansible_connection: ssh
          ansible_host: 127.0.0.1
          ansible_port: 1
          ansible_user: nobody
          ansible_ssh_common_args: -o ConnectTimeout=5 -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null`;

function setup(hosts = hostsYaml()) {
  const osaDir = makeOsaDir({ hosts });
  const configDir = makeConfigDir();
  const record = path.join(tempDir('ansible-record'), 'hosts.txt');
  const recorded = (): string[] =>
    fs.existsSync(record) ? fs.readFileSync(record, 'utf8').trim().split('\n').sort() : [];
  return { osaDir, configDir, record, recorded };
}

function realOptions(s: ReturnType<typeof setup>, tree = v1, env: Record<string, string> = {}) {
  return {
    ...stubDeployOptions(s.configDir, s.osaDir, tree, stubRecord()),
    osaBin: path.join(s.osaDir, 'openstack-ansible'),
    env: ansibleEnv({ OSA_TEST_RECORD: s.record, ...env }),
    log: memoryLog(),
  };
}

const NEEDS = [executable('ansible-playbook', 'Debian ansible-core (.ci/run installs it)')];

describeRequiring(NEEDS, 'deploy through the openstack-ansible wrapper and real ansible-playbook', () => {
  it('reaches exactly the haproxy and lxc_hosts hosts, with our files as OSA would read them (exit 0)', async () => {
    const s = setup();
    const opts = realOptions(s);

    expect(await deploySite(opts)).toBe(0);

    expect(s.recorded().map((l) => l.split(' ')[0])).toEqual([...LIMITED].sort());
    for (const line of s.recorded()) {
      // bind comes from user_variables_haproxy_lxc.yml (extra vars, everywhere); dhcp_use_routes
      // from group_vars/haproxy/lxc_network.yml (only the haproxy group).
      const haproxy = line.includes('-haproxy-container-');
      expect(line).toMatch(
        haproxy ? / bind=eth20 dhcp_use_routes=False$/ : / bind=eth20 dhcp_use_routes=unset$/,
      );
    }
    const text = opts.log.text();
    expect(text).toMatch(/^\S+Z \| PLAY RECAP \*+$/m);
    expect(text).toMatch(/^\S+Z \| EXIT NOTICE \[Playbook execution success\]/m);
    expect(text).toContain('the playbook exited with code 0');
    expect(text).not.toContain('s3cret-never-logged');
    // The wrapper's own file (inventory.ini) is not ours: the next deploy leaves it and changes nothing.
    expect(fs.existsSync(path.join(s.configDir, 'inventory.ini'))).toBe(true);
    const after = snapshot(s.configDir);
    expect(await deploySite(realOptions(s))).toBe(0);
    expect(snapshot(s.configDir)).toEqual(after);
  }, 120_000);

  it('returns exit code 2 when a task fails, and restores the previous files', async () => {
    const s = setup();
    expect(await deploySite(stubDeployOptions(s.configDir, s.osaDir, v1, stubRecord()))).toBe(0);
    const opts = realOptions(s, v2, { OSA_TEST_FAIL_HOSTS: 'infra1-haproxy-container-1a2b3c4d' });

    expect(await deploySite(opts)).toBe(2);

    expect(s.recorded().every((l) => l.includes(' bind=eth21 '))).toBe(true); // it ran on v2
    expect(opts.log.text()).toMatch(/EXIT NOTICE \[Playbook execution failure\]/);
    expect(opts.log.text()).toContain('the playbook failed: restored the previous owned files');
    expect(snapshot(s.configDir)).toEqual({
      ...expectedSnapshot(v1),
      'inventory.ini': expect.any(String) as string,
    });
  }, 120_000);

  it('returns exit code 4 when a host is unreachable', async () => {
    const s = setup(hostsYaml(UNREACHABLE));
    const opts = realOptions(s);

    expect(await deploySite(opts)).toBe(4);

    expect(s.recorded().map((l) => l.split(' ')[0])).toEqual([...LIMITED].sort()); // infra9 never ran
    expect(opts.log.text()).toMatch(/infra9.*UNREACHABLE/);
  }, 120_000);

  it('passes allow-listed extra arguments through (--list-hosts shows the limit)', async () => {
    const s = setup();
    const opts = { ...realOptions(s), extraArgs: ['--list-hosts'] };

    expect(await deploySite(opts)).toBe(0);

    const listed = [...opts.log.text().matchAll(/^\S+Z \|\s+(\S+)$/gm)].map((m) => m[1]!);
    expect(listed.filter((h) => /^(infra|compute)/.test(h)).sort()).toEqual([...LIMITED].sort());
    expect(s.recorded()).toEqual([]); // --list-hosts runs no task
  }, 120_000);
});
