import { describe, expect, it } from 'vitest';
import { networkChanges } from './network-changes';
import { buildPlan, DEPLOY_ARGV, manualSteps } from './plan';
import { siteTree, type SiteTreeFixture } from './testing/site-tree-fixture';

const base: SiteTreeFixture = { site: 'dc1' };
const manualFor = (after: Partial<SiteTreeFixture> | undefined) =>
  manualSteps(networkChanges('dc1', siteTree(base), after ? siteTree({ ...base, ...after }) : undefined));
const commands = (steps: ReturnType<typeof manualSteps>) => steps.map((s) => [s.command, s.thenDeployAgain]);

describe('manual steps the deploy does not run (all after its sync, in order)', () => {
  it('a new site: host networking, deploy again (the containers need the bridge), then haproxy-install', () => {
    expect(commands(manualSteps(networkChanges('dc1', undefined, siteTree(base))))).toEqual([
      ['openstack-ansible playbooks/openstack-hosts-setup.yml --limit infra1,infra2', true],
      ['openstack-ansible playbooks/haproxy-install.yml', false],
    ]);
  });

  it('a VLAN change needs host networking only, and says an existing netdev is not changed in place', () => {
    const steps = manualFor({ vlanId: 41 });
    expect(commands(steps)).toEqual([
      ['openstack-ansible playbooks/openstack-hosts-setup.yml --limit infra1,infra2', false],
    ]);
    expect(steps[0]!.why).toContain('networkctl delete');
  });

  it('a moved VIP needs haproxy-install only', () => {
    expect(commands(manualFor({ externalVip: '203.0.113.141' }))).toEqual([
      ['openstack-ansible playbooks/haproxy-install.yml', false],
    ]);
  });

  it('a new gateway needs haproxy-install (keepalived pings the default gateway)', () => {
    expect(commands(manualFor({ gateway: '203.0.113.130' }))).toEqual([
      ['openstack-ansible playbooks/haproxy-install.yml', false],
    ]);
  });

  it('a removed haproxy host: haproxy-install, then destroy the container OSA keeps', () => {
    const steps = manualFor({ haproxyHosts: ['infra1'] });
    expect(commands(steps)).toEqual([
      ['openstack-ansible playbooks/haproxy-install.yml', false],
      ['openstack-ansible playbooks/lxc-containers-destroy.yml --limit infra2-haproxy-container-*', false],
    ]);
    expect(steps[1]!.why).toContain('inventory-manage.py -r');
  });

  it('a removed site needs nothing', () => {
    expect(manualFor(undefined)).toEqual([]);
  });

  it('the deploy itself always runs the one container command', () => {
    const plan = buildPlan([{ site: 'dc1', changes: networkChanges('dc1', undefined, siteTree(base)) }]);
    expect(plan.steps[0]).toMatchObject({ argv: DEPLOY_ARGV, manual: [{ thenDeployAgain: true }, {}] });
  });
});
