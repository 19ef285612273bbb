import { describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error';
import { parseDeployArgs } from './deploy-args';
import { DEFAULTS } from '@osa-gitops/deployer';

describe('parseDeployArgs', () => {
  it('applies the defaults', () => {
    expect(parseDeployArgs(['dc1'])).toEqual({
      site: 'dc1',
      osaBin: DEFAULTS.osaBin,
      extraArgs: [],
      timeoutMs: DEFAULTS.timeoutMs,
      lockTimeoutMs: 600_000,
      keepBackups: 10,
      restoreOnFailure: true,
      python: '/usr/bin/python3',
      dryRun: false,
      adopt: [],
      json: false,
      allowDirty: false,
      containersOnly: false,
    });
  });

  it('reads every flag', () => {
    expect(
      parseDeployArgs([
        'dc-east',
        '--config-dir',
        '/srv/osa',
        '--osa-dir=/opt/osa',
        '--osa-bin',
        '/usr/local/bin/openstack-ansible',
        '--extra-arg=-vv',
        '--extra-arg=--forks=10',
        '--timeout',
        '90m',
        '--lock-timeout',
        '30s',
        '--keep-backups',
        '3',
        '--no-restore',
        '--commit',
        '0123abcd',
        '--python',
        '/opt/ansible-runtime/bin/python',
        '--dry-run',
        '--adopt',
        'host_vars/infra1.yml',
        '--adopt=openstack_user_config.yml',
        '--json',
        '--allow-dirty',
      ]),
    ).toEqual({
      site: 'dc-east',
      configDir: '/srv/osa',
      osaDir: '/opt/osa',
      osaBin: '/usr/local/bin/openstack-ansible',
      extraArgs: ['-vv', '--forks=10'],
      timeoutMs: 5_400_000,
      lockTimeoutMs: 30_000,
      keepBackups: 3,
      restoreOnFailure: false,
      commit: '0123abcd',
      python: '/opt/ansible-runtime/bin/python',
      dryRun: true,
      adopt: ['host_vars/infra1.yml', 'openstack_user_config.yml'],
      json: true,
      allowDirty: true,
      containersOnly: false,
    });
  });

  it('reads --restore with --config-dir', () => {
    expect(
      parseDeployArgs([
        'dc1',
        '--restore',
        '2026-07-16T12-01-02.123Z-1',
        '--config-dir',
        '/etc/openstack_deploy',
      ]),
    ).toMatchObject({ restore: '2026-07-16T12-01-02.123Z-1', configDir: '/etc/openstack_deploy' });
  });

  it('returns help', () => {
    expect(parseDeployArgs(['--help'])).toBe('help');
  });

  it.each([
    [[], 'exactly one site'],
    [['a', 'b'], 'exactly one site'],
    [['../etc'], 'is not a site name'],
    [['dc1', '--timeout', 'soon'], '--timeout soon: expected a duration'],
    [['dc1', '--keep-backups', '0'], '--keep-backups 0'],
    [['dc1', '--extra-arg=--extra-vars=x=1'], '--extra-arg'],
    [['dc1', '--extra-arg', '-e'], 'ambiguous'],
    [['dc1', '--commit', 'HEAD;id'], '--commit'],
    [['dc1', '--adopt', '../etc/passwd'], '--adopt ../etc/passwd: expected a path'],
    [['dc1', '--adopt', '/etc/openstack_deploy/x.yml'], '--adopt'],
    [['dc1', '--restore', 'latest', '--config-dir', '/x'], '--restore latest: expected a backup id'],
    [['dc1', '--restore', '2026-07-16T12-01-02.123Z'], '--restore needs --config-dir'],
    [
      ['dc1', '--restore', '2026-07-16T12-01-02.123Z', '--config-dir', '/x', '--dry-run'],
      'cannot be combined',
    ],
    [['dc1', '--force'], 'Unknown option'],
  ])('refuses %j', (args, message) => {
    expect(() => parseDeployArgs(args)).toThrow(UsageError);
    expect(() => parseDeployArgs(args)).toThrow(message);
  });
});
