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
      ['frontends', 'site'],
      ['trusted-proxies', 'site'],
      ['metal-cutover', 'metal-cutover'],
      ['keepalived', 'site'],
      ['verify', 'site'],
    ]);
  });

  it('a host added with infra groups: named with the containers OSA gives it and the OSA playbooks no stage runs', () => {
    const before = renderedSite(base);
    const after = renderedSite({ ...base, haproxyHosts: ['infra1', 'infra2', 'infra3'] });
    const plan = buildPlan([{ site: 'dc1', changes: networkChanges('dc1', before, after), before, after }]);
    const manual = plan.steps[0]!.manual;
    expect(manual.map((m) => m.command)).toEqual([
      'openstack-ansible playbooks/setup-hosts.yml --limit localhost,infra3,infra3-*',
      'openstack-ansible playbooks/setup-infrastructure.yml --limit localhost,repo_all,rabbitmq_all,infra3,infra3-*',
      'openstack-ansible playbooks/setup-openstack.yml --limit localhost,keystone_all,infra3,infra3-*',
    ]);
    expect(manual[0]!.why).toContain('infra3 is added with repo-infra_hosts, shared-infra_hosts');
    expect(manual[0]!.why).toMatch(/containers .*galera_container.*rabbit_mq_container.*repo_container/);
    expect(manual[0]!.why).not.toContain('haproxy_container');
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
