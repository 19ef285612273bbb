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

const CONTAINERS = 'openstack-ansible playbooks/lxc-containers-create.yml --limit haproxy,lxc_hosts';
const HAPROXY = 'openstack-ansible playbooks/haproxy-install.yml --skip-tags keepalived';
/** The guide's hosts are shared-infra and repo-infra hosts: repo, galera and rabbitmq frontends. */
const FRONTENDS =
  'openstack-ansible playbooks/repo-install.yml playbooks/galera-install.yml playbooks/rabbitmq-install.yml --tags haproxy-service-config';
const TRUSTED = 'openstack-ansible playbooks/galera-install.yml --tags galera_server-config';
const KEEPALIVED = 'openstack-ansible playbooks/haproxy-install.yml --tags keepalived';
const VERIFY = 'osa-gitops verify dc1';

describe("planStages: which stages a change runs, in OSA's order for a HAProxy host", () => {
  it('a moved VIP (binds by interface): HAProxy without keepalived, then keepalived; no frontends, no trusted proxies', () => {
    const stages = stagesFor({ externalVip: '203.0.113.141' });
    expect(summary(stages)).toEqual([
      ['containers', CONTAINERS, 'site'],
      ['haproxy', HAPROXY, 'site'],
      ['keepalived', KEEPALIVED, 'site'],
      ['verify', VERIFY, 'site'],
    ]);
    expect(stages[1]!.why).toContain('external-vip-moved');
    expect(stages[2]!.why).toContain('once every backend is configured');
  });

  it('a moved VIP when HAProxy binds by address: the service frontends too (each conf.d fragment has the bind)', () => {
    const stages = stagesFor(
      { externalVip: '203.0.113.141', bind: 'address' },
      { from: { bind: 'address' } },
    );
    expect(stages.map((s) => s.command)).toEqual([CONTAINERS, HAPROXY, FRONTENDS, KEEPALIVED, VERIFY]);
    expect(stages[2]!.why).toContain('a VIP moved and HAProxy binds by address');
  });

  it('a bind-mode change: HAProxy, the frontends, keepalived', () => {
    const stages = stagesFor({ bind: 'address' });
    expect(stages.map((s) => s.name)).toEqual(['containers', 'haproxy', 'frontends', 'keepalived', 'verify']);
    expect(stages[2]!.why).toContain('bind-mode-changed');
  });

  it('a new router id or gateway: keepalived only (the gateway is its ping address)', () => {
    expect(stagesFor({ externalRouterId: 20 }).map((s) => s.command)).toEqual([
      CONTAINERS,
      KEEPALIVED,
      VERIFY,
    ]);
    expect(stagesFor({ gateway: '203.0.113.130' }).map((s) => s.name)).toEqual([
      'containers',
      'keepalived',
      'verify',
    ]);
  });

  it('a changed VLAN: host networking on exactly the hosts whose host_vars changed, with its own approval', () => {
    const stages = stagesFor({ vlanId: 41 });
    expect(summary(stages)).toEqual([
      [
        'host-networking',
        'openstack-ansible playbooks/openstack-hosts-setup.yml --limit infra1,infra2 --tags openstack_hosts-systemd',
        'host-networking',
      ],
      ['containers', CONTAINERS, 'site'],
      ['verify', VERIFY, 'site'],
    ]);
    expect(stages[0]!.hosts).toEqual(['infra1', 'infra2']);
    expect(stages[0]!.why).toContain('networkctl delete');
    // Not "only the systemd part": the whole systemd_networkd role runs under the tag.
    expect(stages[0]!.why).toContain('initramfs');
  });

  it('a host added to haproxy: every HAProxy stage in order, galera trusts the new container', () => {
    const stages = stagesFor({ haproxyHosts: ['infra1', 'infra2', 'infra3'] });
    expect(stages.map((s) => s.command)).toEqual([
      'openstack-ansible playbooks/openstack-hosts-setup.yml --limit infra3 --tags openstack_hosts-systemd',
      CONTAINERS,
      HAPROXY,
      FRONTENDS,
      TRUSTED,
      KEEPALIVED,
      VERIFY,
    ]);
    expect(stages[0]!.hosts).toEqual(['infra3']);
    expect(stages[4]!.why).toContain('port 9200');
    expect(stages[4]!.why).toContain('haproxy-host-added');
  });

  it('a new site: every stage in order, with a cut-over that runs only if the hosts run HAProxy on metal', () => {
    const stages = stagesFor({}, { from: null });
    expect(stages.map((s) => s.name)).toEqual([...STAGE_ORDER]);
    expect(stages[0]!.hosts).toEqual(['infra1', 'infra2']);
    expect(stages[0]!.why).toContain('a new site');
    const cutover = stages.find((s) => s.name === 'metal-cutover')!;
    expect(cutover).toMatchObject({
      approval: 'metal-cutover',
      conditional: true,
      hosts: ['infra1', 'infra2'],
    });
    expect(cutover.why).toContain('only if');
    expect(describeApproval('dc1', cutover)).toContain('--metal-cutover approved');
  });

  it('a new site whose deploy host has no metal HAProxy: no cut-over', () => {
    const after = renderedSite(base);
    const stages = planStages({
      site: 'dc1',
      after,
      changes: networkChanges('dc1', undefined, after),
      metalHaproxy: [],
    });
    expect(stages.map((s) => s.name)).not.toContain('metal-cutover');
  });

  it('metal instances still in the haproxy group: they are left out until the cut-over, which comes before keepalived', () => {
    const after = renderedSite(base);
    const stages = planStages({
      site: 'dc1',
      before: after,
      after,
      changes: [],
      metalHaproxy: ['infra1', 'infra2'],
    });
    expect(stages.map((s) => s.command)).toEqual([
      CONTAINERS,
      'openstack-ansible playbooks/haproxy-install.yml --limit haproxy:!infra1:!infra2 --skip-tags keepalived',
      'openstack-ansible playbooks/repo-install.yml playbooks/galera-install.yml playbooks/rabbitmq-install.yml --limit all:!infra1:!infra2 --tags haproxy-service-config',
      TRUSTED,
      'openstack-ansible osa-gitops-metal-cutover.yml -e {"osa_gitops_metal_hosts":["infra1","infra2"]}',
      KEEPALIVED,
      VERIFY,
    ]);
    const cutover = stages[4]!;
    expect(cutover).toMatchObject({ approval: 'metal-cutover', hosts: ['infra1', 'infra2'] });
    expect(cutover.conditional).toBeUndefined();
    expect(cutover.why).toContain('inventory-manage.py -r');
    expect(cutover.why).toContain('interrupted');
  });

  it('an earlier deploy prepared the cut-over and stopped before it: the cut-over and keepalived only', () => {
    const after = renderedSite(base);
    const stages = planStages({
      site: 'dc1',
      before: after,
      after,
      changes: [],
      metalHaproxy: ['infra1', 'infra2'],
      cutoverPrepared: true,
    });
    expect(stages.map((s) => s.name)).toEqual(['containers', 'metal-cutover', 'keepalived', 'verify']);
  });

  it("the host's inventory adds the playbooks of services this tool does not render (conf.d hosts)", () => {
    const after = renderedSite(base);
    const stages = planStages({
      site: 'dc1',
      before: after,
      after,
      changes: networkChanges('dc1', after, renderedSite({ ...base, bind: 'address' })),
      inventoryGroups: ['keystone_all', 'nova_all'],
    });
    expect(stages.find((s) => s.name === 'frontends')!.argv).toEqual([
      'openstack-ansible',
      'playbooks/repo-install.yml',
      'playbooks/galera-install.yml',
      'playbooks/rabbitmq-install.yml',
      'playbooks/os-keystone-install.yml',
      'playbooks/os-nova-install.yml',
      '--tags',
      'haproxy-service-config',
    ]);
  });

  it("a site with hostNetworking 'manual': the stage is listed as manual, the rest unchanged", () => {
    const stages = stagesFor({}, { from: null, hostNetworking: 'manual' });
    expect(stages[0]).toMatchObject({ name: 'host-networking', approval: 'manual' });
    expect(stages.slice(1).every((s) => s.approval !== 'manual')).toBe(true);
    expect(describeApproval('dc1', stages[0]!)).toContain("'manual'");
  });

  it('nothing changed: containers and verify only (a re-deploy checks what is live)', () => {
    expect(stagesFor({}).map((s) => s.name)).toEqual(['containers', 'verify']);
  });

  it('a removed site runs nothing', () => {
    expect(stagesFor(undefined)).toEqual([]);
  });

  it('a change to the haproxy variables file no kind explains: HAProxy, frontends and keepalived', () => {
    const before = renderedSite(base);
    const after = new Map(before);
    after.set(
      'user_variables_haproxy_lxc.yml',
      `${before.get('user_variables_haproxy_lxc.yml')}haproxy_x: 1\n`,
    );
    const stages = planStages({ site: 'dc1', before, after, changes: networkChanges('dc1', before, after) });
    expect(stages.map((s) => s.name)).toEqual(['containers', 'haproxy', 'frontends', 'keepalived', 'verify']);
    expect(stages[1]!.why).toContain('user_variables_haproxy_lxc.yml changed');
  });
});
