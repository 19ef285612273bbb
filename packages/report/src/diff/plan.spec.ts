import { describe, expect, it } from 'vitest';
import { networkChanges } from './network-changes';
import { buildPlan, DEPLOY_ARGV, manualSteps } from './plan';
import { renderedSite, type SiteVariant } from './testing/rendered-site';

const base: SiteVariant = { site: 'dc1' };
const manualFor = (after: Partial<SiteVariant> | undefined) =>
  manualSteps(
    networkChanges('dc1', renderedSite(base), after ? renderedSite({ ...base, ...after }) : undefined),
  );

describe('manual steps: what no deploy stage runs', () => {
  it('a removed haproxy host: destroy the container OSA keeps (never automated)', () => {
    const steps = manualFor({ haproxyHosts: ['infra1'] });
    expect(steps.map((s) => s.command)).toEqual([
      'openstack-ansible playbooks/lxc-containers-destroy.yml --limit infra2-haproxy-container-*',
    ]);
    expect(steps[0]!.why).toContain('inventory-manage.py -r');
  });

  it('everything else is a stage: a VLAN change, a moved VIP, a new gateway, a removed site need no manual step', () => {
    expect(manualFor({ vlanId: 41 })).toEqual([]);
    expect(manualFor({ externalVip: '203.0.113.141' })).toEqual([]);
    expect(manualFor({ gateway: '203.0.113.130' })).toEqual([]);
    expect(manualFor(undefined)).toEqual([]);
  });
});

describe('buildPlan', () => {
  it('a new site runs every stage in order; the container stage is the deploy command', () => {
    const after = renderedSite(base);
    const plan = buildPlan([{ site: 'dc1', changes: networkChanges('dc1', undefined, after), after }]);
    expect(plan.steps[0]).toMatchObject({ argv: DEPLOY_ARGV, manual: [] });
    expect(plan.steps[0]!.stages.map((s) => [s.name, s.approval])).toEqual([
      ['host-networking', 'host-networking'],
      ['containers', 'site'],
      ['haproxy', 'site'],
      ['verify', 'site'],
    ]);
  });

  it("passes the site's hostNetworking setting to the planner", () => {
    const after = renderedSite(base);
    const plan = buildPlan([
      {
        site: 'dc1',
        changes: networkChanges('dc1', undefined, after),
        after,
        deploy: { hostNetworking: 'manual' },
      },
    ]);
    expect(plan.steps[0]!.stages[0]).toMatchObject({ name: 'host-networking', approval: 'manual' });
  });
});
