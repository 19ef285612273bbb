import { describe, expect, it } from 'vitest';
import { toRenderedTree } from '@osa-gitops/core';
import {
  driftIssueMarker,
  driftToJson,
  formatDriftMarkdown,
  formatDriftText,
  judgeDrift,
  type JudgeDriftInput,
} from './index';

const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);
const tree = toRenderedTree([
  ['openstack_user_config.yml', 'cidr_networks: {}\n'],
  ['user_variables_haproxy_lxc.yml', 'haproxy_bind_external_lb_vip_interface: eth20\n'],
]);

function input(over: Partial<JudgeDriftInput> = {}): JudgeDriftInput {
  return {
    site: 'dc1',
    configDir: '/etc/openstack_deploy',
    deployed: { commit: C1, deployedAt: '2026-12-01T10:00:00.000Z' },
    deployedTree: tree,
    live: new Map(tree),
    shadowing: [],
    head: { commit: C1, label: 'main', tree },
    ...over,
  };
}

describe('judgeDrift', () => {
  it('finds no drift when every owned file is as deployed and main has nothing newer', () => {
    const r = judgeDrift(input());
    expect(r.drifting).toBe(false);
    expect(r.findings).toEqual([]);
    expect(formatDriftText(r)).toContain('no drift');
  });

  it('main moving on for other sites is not drift for this one', () => {
    expect(judgeDrift(input({ head: { commit: C2, label: 'main', tree } })).drifting).toBe(false);
  });

  it('reports a hand-edited and a deleted owned file, each by name', () => {
    const live = new Map<string, string | null>(tree);
    live.set('openstack_user_config.yml', 'cidr_networks: {container: 10.0.0.0/8}\n');
    live.set('user_variables_haproxy_lxc.yml', null);
    const r = judgeDrift(input({ live }));
    expect(r.findings.map((f) => [f.kind, f.file])).toEqual([
      ['edited', 'openstack_user_config.yml'],
      ['missing', 'user_variables_haproxy_lxc.yml'],
    ]);
    expect(r.drifting).toBe(true);
  });

  it('reports unowned files that shadow owned ones', () => {
    const r = judgeDrift(
      input({
        shadowing: [
          { file: 'user_variables_zz.yml', message: 'sets haproxy_bind_external_lb_vip_interface' },
        ],
      }),
    );
    expect(r.findings).toEqual([
      {
        kind: 'shadowed',
        file: 'user_variables_zz.yml',
        message: 'user_variables_zz.yml sets haproxy_bind_external_lb_vip_interface',
      },
    ]);
  });

  it('reports a pending deploy when main has a different tree for the site', () => {
    const newer = toRenderedTree([...tree, ['env.d/haproxy.yml', 'x\n']]);
    const r = judgeDrift(input({ head: { commit: C2, label: 'main', tree: newer } }));
    expect(r.findings.map((f) => f.kind)).toEqual(['behind']);
    expect(r.findings[0]!.message).toBe(
      'main (bbbbbbbbbbbb) has changes for dc1 that are not deployed (deployed aaaaaaaaaaaa)',
    );
    const onBranch = judgeDrift(input({ head: { commit: C2, label: 'fix-vip', tree: newer } }));
    expect(onBranch.findings[0]!.message).toMatch(/^fix-vip \(bbbbbbbbbbbb\) has changes for /);
  });

  it('reports a site removed from main whose files are still deployed', () => {
    expect(
      judgeDrift(input({ head: { commit: C2, label: 'main', tree: null } })).findings.map((f) => f.kind),
    ).toEqual(['removed-on-main']);
  });

  it('reports a config dir with no recorded deploy, and still its shadowing files', () => {
    const r = judgeDrift(
      input({
        deployed: null,
        deployedTree: null,
        shadowing: [{ file: 'conf.d/x.yml', message: 'redefines used_ips' }],
      }),
    );
    expect(r.findings.map((f) => f.kind)).toEqual(['never-deployed', 'shadowed']);
  });

  it('reports a recorded commit that the repository does not have', () => {
    const r = judgeDrift(input({ deployedTree: null }));
    expect(r.findings.map((f) => f.kind)).toEqual(['unknown-commit']);
    expect(judgeDrift(input({ deployed: { commit: null, deployedAt: 'x' } })).findings[0]!.message).toContain(
      'recorded no commit',
    );
  });

  it('renders a Markdown issue body with its marker, and JSON with a schema version', () => {
    const live = new Map<string, string | null>(tree);
    live.set('openstack_user_config.yml', 'changed\n');
    const r = judgeDrift(input({ live }));
    const md = formatDriftMarkdown(r);
    expect(md.startsWith(driftIssueMarker('dc1'))).toBe(true);
    expect(md).toContain('| edited by hand | `openstack_user_config.yml` |');
    expect(driftToJson(r)).toMatchObject({ schemaVersion: 1, site: 'dc1', drifting: true });
  });
});
