import { describe, expect, it } from 'vitest';
import { checkExtraArg, checkExtraArgs } from './extra-args';

describe('checkExtraArg', () => {
  it.each([
    '-v',
    '-vvvv',
    '--verbose',
    '--check',
    '--diff',
    '--list-hosts',
    '--syntax-check',
    '--forks=20',
    '--timeout=30',
    '--tags=lxc-config,lxc-create',
    '--skip-tags=common-log',
  ])('allows %s', (arg) => {
    expect(checkExtraArg(arg)).toEqual({ ok: true });
  });

  it.each([
    ['-e', 'not allowed'],
    ['--extra-vars=haproxy_bind_external_lb_vip_interface=eth9', 'not allowed'],
    ['-e@/tmp/evil.yml', 'not allowed'],
    ['--limit=all', 'not allowed'],
    ['-l', 'not allowed'],
    ['-i', 'not allowed'],
    ['--inventory=/tmp/x', 'not allowed'],
    ['--become-user=root', 'not allowed'],
    ['--vault-password-file=/x', 'not allowed'],
    ['--ssh-common-args=-oProxyCommand=sh', 'not allowed'],
    ['-vvvvvvv', 'not allowed'],
    ['--check=yes', 'takes no value'],
    ['--forks', 'needs a value'],
    ['--forks=0', 'needs a value'],
    ['--forks=20;rm', 'needs a value'],
    ['--tags=a b', 'needs a value'],
    ['--tags=$(reboot)', 'needs a value'],
    ['--tags=a|b', 'needs a value'],
    ['--tags=`id`', 'needs a value'],
    ['--tags=', 'needs a value'],
  ])('refuses %s', (arg, why) => {
    const r = checkExtraArg(arg);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toContain(why);
  });

  it('reports every bad argument of a list', () => {
    expect(checkExtraArgs(['-v', '-e', '--limit=x'])).toHaveLength(2);
  });
});
