import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeployError } from './deploy-error';
import { deploySite } from './deploy-site';
import { stubDeployOptions, stubRecord } from './test-fixtures/deploy-options';
import {
  expectedSnapshot,
  makeConfigDir,
  makeOsaDir,
  removeTempDirs,
  siteTree,
  snapshot,
} from './test-fixtures/fixture';

/**
 * Files of the operator's that the deployer must not silently replace or be beaten by: an
 * unowned file at a path we render (refused unless identical or `--adopt`ed), and group_vars /
 * host_vars files Ansible reads after ours or instead of ours (preflight). Real files, stub playbook.
 */
afterAll(removeTempDirs);

const v1 = siteTree(1);
const OPERATOR_HOST_VARS = 'my_local_var: secret-value-never-logged\nother_var: 1\n';

function backups(configDir: string): string[] {
  const dir = path.join(configDir, '.osa-gitops', 'backups');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

async function refusal(configDir: string, over: Parameters<typeof stubDeployOptions>[4] = {}) {
  const before = snapshot(configDir, { includeState: true });
  const run = stubRecord();
  const opts = stubDeployOptions(configDir, makeOsaDir(), v1, run, over);
  const err = await deploySite(opts).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DeployError);
  expect((err as Error).message).toContain('nothing was changed');
  expect(snapshot(configDir, { includeState: true })).toEqual(before);
  expect(run.lines()).toEqual([]);
  const text = opts.log.text();
  expect(text).not.toContain('secret-value-never-logged');
  return text;
}

describe('an unowned file at a path we render', { timeout: 60_000 }, () => {
  it('is refused, naming the variables it would drop and the exact way out', async () => {
    const configDir = makeConfigDir({ 'host_vars/infra1.yml': OPERATOR_HOST_VARS });
    const text = await refusal(configDir);
    expect(text).toContain(
      `${configDir}/host_vars/infra1.yml exists, no osa-gitops manifest lists it, and it differs`,
    );
    expect(text).toContain(
      'it sets my_local_var, other_var, which osa-gitops does not render and would drop',
    );
    expect(text).toContain('a `host_vars:` entry for infra1 in a conf.d/*.yml host group');
    expect(text).toContain('Not into host_vars/infra1/');
    expect(text).toContain('deploy again with --adopt host_vars/infra1.yml');
  });

  it('is replaced with --adopt <path>, backed up first', async () => {
    const handMade = '# hand-made per the OSA guide\ncidr_networks:\n  container: 172.29.236.0/22\n';
    const configDir = makeConfigDir({
      'openstack_user_config.yml': handMade,
      'host_vars/infra1.yml': OPERATOR_HOST_VARS,
    });
    // Adopting one of two is not enough: the other still stops the deploy.
    const text = await refusal(configDir, { adopt: ['host_vars/infra1.yml'] });
    expect(text).toContain('openstack_user_config.yml exists, no osa-gitops manifest lists it');
    expect(text).toContain('into conf.d/*.yml');

    const opts = stubDeployOptions(configDir, makeOsaDir(), v1, stubRecord(), {
      adopt: ['host_vars/infra1.yml', 'openstack_user_config.yml'],
    });
    expect(await deploySite(opts)).toBe(0);

    expect(snapshot(configDir)).toEqual(expectedSnapshot(v1));
    expect(opts.log.text()).toContain('adopting host_vars/infra1.yml (--adopt)');
    const [backup] = backups(configDir);
    const saved = path.join(configDir, '.osa-gitops/backups', backup!);
    expect(fs.readFileSync(path.join(saved, 'openstack_user_config.yml'), 'utf8')).toBe(handMade);
    expect(fs.readFileSync(path.join(saved, 'host_vars/infra1.yml'), 'utf8')).toBe(OPERATOR_HOST_VARS);
  });

  it('that is byte-identical to ours is simply owned from now on', async () => {
    const configDir = makeConfigDir({ 'host_vars/infra1.yml': v1.get('host_vars/infra1.yml')! });
    const opts = stubDeployOptions(configDir, makeOsaDir(), v1, stubRecord());
    expect(await deploySite(opts)).toBe(0);
    expect(snapshot(configDir)).toEqual(expectedSnapshot(v1));
    const manifest = fs.readFileSync(path.join(configDir, 'osa-gitops-manifest.json'), 'utf8');
    expect(manifest).toContain('"host_vars/infra1.yml"');
  });

  it('--adopt must name a path we render', async () => {
    const configDir = makeConfigDir();
    const opts = stubDeployOptions(configDir, makeOsaDir(), v1, stubRecord(), {
      adopt: ['user_variables.yml'],
    });
    await expect(deploySite(opts)).rejects.toThrow(
      /--adopt user_variables\.yml: osa-gitops does not render this path for this site/,
    );
  });

  it('--dry-run shows the refusal and exits 1', async () => {
    const configDir = makeConfigDir({ 'host_vars/infra1.yml': OPERATOR_HOST_VARS });
    const before = snapshot(configDir, { includeState: true });
    const opts = stubDeployOptions(configDir, makeOsaDir(), v1, stubRecord(), { dryRun: true });
    expect(await deploySite(opts)).toBe(1);
    expect(opts.log.text()).toContain('--adopt host_vars/infra1.yml');
    expect(opts.log.text()).toContain('a real deploy would refuse at preflight');
    expect(snapshot(configDir, { includeState: true })).toEqual(before);
  });
});

describe(
  'preflight: group_vars/host_vars files Ansible reads after or instead of ours',
  { timeout: 60_000 },
  () => {
    it('refuses a later file in group_vars/haproxy/ that sets our lxc_container_networks', async () => {
      const configDir = makeConfigDir({
        'group_vars/haproxy/zz_local.yml':
          'lxc_container_networks:\n  x: secret-value-never-logged\nharmless: 1\n',
      });
      const text = await refusal(configDir);
      expect(text).toContain(
        'group_vars/haproxy/zz_local.yml sets lxc_container_networks, which osa-gitops sets in group_vars/haproxy/lxc_network.yml',
      );
      expect(text).toContain('in lexical order and a later file wins');
    });

    it('only warns about an earlier file (ours wins over it), and deploys', async () => {
      const configDir = makeConfigDir({ 'group_vars/haproxy/aa_local.yml': 'lxc_container_networks: {}\n' });
      const opts = stubDeployOptions(configDir, makeOsaDir(), v1, stubRecord());
      expect(await deploySite(opts)).toBe(0);
      expect(opts.log.text()).toMatch(
        /warning: .*group_vars\/haproxy\/aa_local\.yml sets lxc_container_networks, .* that later file wins/,
      );
    });

    it('refuses a host_vars/<host>/ directory: Ansible reads it and never reads our host_vars/<host>.yml', async () => {
      const configDir = makeConfigDir({
        'host_vars/infra1/net.yml': 'openstack_hosts_systemd_networkd_devices: secret-value-never-logged\n',
        'host_vars/infra1/other.yaml': 'unrelated: 1\n',
      });
      const text = await refusal(configDir);
      expect(text).toContain(
        `${configDir}/host_vars/infra1/ exists, so Ansible reads it for infra1 and never reads`,
      );
      expect(text).toContain('host_vars/infra1/net.yml sets openstack_hosts_systemd_networkd_devices');
      expect(text).toContain('host_vars/infra1/other.yaml sets none of our keys');
    });

    it('refuses a group_vars/haproxy.yml that our group_vars/haproxy/ would hide', async () => {
      const configDir = makeConfigDir({ 'group_vars/haproxy.yml': 'haproxy_extra: 1\n' });
      const text = await refusal(configDir);
      expect(text).toContain(
        'group_vars/haproxy.yml is not read by Ansible once osa-gitops creates group_vars/haproxy/',
      );
    });
  },
);
