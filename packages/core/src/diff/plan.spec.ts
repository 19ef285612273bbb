import { describe, expect, it } from 'vitest';
import { networkChanges } from './network-changes';
import { buildPlan, DEPLOY_ARGV, manualSteps } from './plan';
import { siteTree, type SiteTreeFixture } from './testing/site-tree-fixture';

const base: SiteTreeFixture = { site: 'dc1' };
const manualFor = (after: Partial<SiteTreeFixture> | undefined) =>
  manualSteps(networkChanges('dc1', siteTree(base), after ? siteTree({ ...base, ...after }) : undefined));

describe('manual steps the deploy does not run', () => {
  it('a new site needs host networking before the containers and haproxy-install after', () => {
    const steps = manualSteps(networkChanges('dc1', undefined, siteTree(base)));
    expect(steps.map((s) => [s.when, s.command])).toEqual([
      ['before', 'openstack-ansible playbooks/openstack-hosts-setup.yml --limit infra1,infra2'],
      ['after', 'openstack-ansible playbooks/haproxy-install.yml'],
    ]);
  });

  it('a VLAN change needs host networking only', () => {
    expect(manualFor({ vlanId: 41 }).map((s) => s.argv[1])).toEqual(['playbooks/openstack-hosts-setup.yml']);
  });

  it('a moved VIP needs haproxy-install only', () => {
    expect(manualFor({ externalVip: '203.0.113.141' }).map((s) => s.argv[1])).toEqual([
      'playbooks/haproxy-install.yml',
    ]);
  });

  it('a removed site needs nothing', () => {
    expect(manualFor(undefined)).toEqual([]);
  });

  it('the deploy itself always runs the one container command', () => {
    const plan = buildPlan([{ site: 'dc1', changes: networkChanges('dc1', undefined, siteTree(base)) }]);
    expect(plan.steps[0]).toMatchObject({
      argv: DEPLOY_ARGV,
      manual: [{ when: 'before' }, { when: 'after' }],
    });
  });
});
