import { describe, expect, it } from 'vitest';
import { networkChanges } from './network-changes';
import { describeApproval, planStages, STAGE_ORDER, type PlanStagesInput } from './stages';
import { renderedSite, type SiteVariant } from './testing/rendered-site';

const base: SiteVariant = { site: 'dc1' };

function stagesFor(
  after: Partial<SiteVariant> | undefined,
  opts: { from?: Partial<SiteVariant> | null; hostNetworking?: 'auto' | 'manual' } = {},
) {
  const before = opts.from === null ? undefined : renderedSite({ ...base, ...opts.from });
  const afterTree = after === undefined ? undefined : renderedSite({ ...base, ...after });
  const input: PlanStagesInput = {
    site: 'dc1',
    before,
    after: afterTree,
    changes: networkChanges('dc1', before, afterTree),
    ...(opts.hostNetworking ? { hostNetworking: opts.hostNetworking } : {}),
  };
  return planStages(input);
}

const summary = (stages: ReturnType<typeof planStages>) => stages.map((s) => [s.name, s.command, s.approval]);

describe('planStages: which stages a change runs, in the guide order', () => {
  it('a moved VIP: containers, haproxy-install, verify; no host networking (no host_vars changed)', () => {
    const stages = stagesFor({ externalVip: '203.0.113.141' });
    expect(summary(stages)).toEqual([
      [
        'containers',
        'openstack-ansible playbooks/lxc-containers-create.yml --limit haproxy,lxc_hosts',
        'site',
      ],
      ['haproxy', 'openstack-ansible playbooks/haproxy-install.yml', 'site'],
      ['verify', 'osa-gitops verify dc1', 'site'],
    ]);
    expect(stages[1]!.why).toContain('external-vip-moved');
  });

  it('a changed VLAN: host networking on exactly the hosts whose host_vars changed, with its own approval', () => {
    const stages = stagesFor({ vlanId: 41 });
    expect(summary(stages)).toEqual([
      [
        'host-networking',
        'openstack-ansible playbooks/openstack-hosts-setup.yml --limit infra1,infra2 --tags openstack_hosts-systemd',
        'host-networking',
      ],
      [
        'containers',
        'openstack-ansible playbooks/lxc-containers-create.yml --limit haproxy,lxc_hosts',
        'site',
      ],
      ['verify', 'osa-gitops verify dc1', 'site'],
    ]);
    expect(stages[0]!.hosts).toEqual(['infra1', 'infra2']);
    expect(stages[0]!.why).toContain('networkctl delete');
    expect(stages[0]!.approval).toBe('host-networking');
  });

  it('a host added to haproxy: host networking on the new host only, then containers and haproxy-install', () => {
    const stages = stagesFor({ haproxyHosts: ['infra1', 'infra2', 'infra3'] });
    expect(stages.map((s) => s.name)).toEqual(['host-networking', 'containers', 'haproxy', 'verify']);
    expect(stages[0]!.hosts).toEqual(['infra3']);
    expect(stages[0]!.argv).toEqual([
      'openstack-ansible',
      'playbooks/openstack-hosts-setup.yml',
      '--limit',
      'infra3',
      '--tags',
      'openstack_hosts-systemd',
    ]);
    expect(stages[2]!.why).toContain('haproxy-host-added');
  });

  it('a new site: every stage, host networking on all its hosts, in order', () => {
    const stages = stagesFor({}, { from: null });
    expect(stages.map((s) => s.name)).toEqual([...STAGE_ORDER]);
    expect(stages[0]!.hosts).toEqual(['infra1', 'infra2']);
    expect(stages[0]!.why).toContain('a new site');
  });

  it("a site with hostNetworking 'manual': the stage is listed as manual, the rest unchanged", () => {
    const stages = stagesFor({}, { from: null, hostNetworking: 'manual' });
    expect(stages.map((s) => [s.name, s.approval])).toEqual([
      ['host-networking', 'manual'],
      ['containers', 'site'],
      ['haproxy', 'site'],
      ['verify', 'site'],
    ]);
    expect(describeApproval('dc1', stages[0]!)).toContain("'manual'");
  });

  it('nothing changed: containers and verify only (a re-deploy checks what is live)', () => {
    expect(stagesFor({}).map((s) => s.name)).toEqual(['containers', 'verify']);
  });

  it('a removed site runs nothing', () => {
    expect(stagesFor(undefined)).toEqual([]);
  });

  it('any change to the haproxy variables file runs haproxy-install, even one no kind explains', () => {
    const before = renderedSite(base);
    const after = new Map(before);
    after.set(
      'user_variables_haproxy_lxc.yml',
      `${before.get('user_variables_haproxy_lxc.yml')}haproxy_x: 1\n`,
    );
    const stages = planStages({ site: 'dc1', before, after, changes: networkChanges('dc1', before, after) });
    expect(stages.map((s) => s.name)).toEqual(['containers', 'haproxy', 'verify']);
  });
});
