import { describe, expect, it } from 'vitest';
import { EnvironmentSchema, type EnvironmentInput } from '@osa-gitops/core';
import { renderEnvironment } from '@osa-gitops/render';
import guideLab from '../../../../environments/guide-lab/environment';
import dcEast from '../../../../environments/dc-east/environment';
import { buildReport } from './build-report';
import { formatReportMarkdown } from './format-markdown';
import { formatReportText } from './format-text';
import { networkdFileChanges } from './networkd-files';
import { reportToJson } from './report-json';

const render = (input: EnvironmentInput) => renderEnvironment(EnvironmentSchema.parse(input));
function edited(input: EnvironmentInput, edit: (d: EnvironmentInput) => void): EnvironmentInput {
  const copy = structuredClone(input);
  edit(copy);
  return copy;
}

/** The site's change summaries in every form the plan takes: text, PR Markdown, JSON. */
function planForms(
  site: string,
  before: ReturnType<typeof render> | undefined,
  after: ReturnType<typeof render>,
) {
  const report = buildReport([{ site, before, after }], { base: 'main', head: 'HEAD' });
  const json = reportToJson(report).sites[0]!.changes.filter((c) => c.kind === 'networkd-files');
  return { text: formatReportText(report), markdown: formatReportMarkdown(report), json };
}

describe('networkd files the plan names per host', () => {
  it('a site migrated from the guide’s hand-made files: each host’s old files are written over', () => {
    const after = render(guideLab);
    const changes = networkdFileChanges(undefined, after);
    expect(changes.map((c) => c.host)).toEqual(['infra1', 'infra2', 'infra3']);
    for (const c of changes) {
      expect(c.takenOver).toEqual([
        '05-general-bond0.link',
        '05-general-bond0.netdev',
        '05-general-bond0.network',
        '05-generic-ens3.link',
        '05-generic-ens3.network',
        '05-generic-ens6.link',
        '05-generic-ens6.network',
        '10-openstack-vlan-public-api.link',
        '10-openstack-vlan-public-api.netdev',
        '10-openstack-vlan-public-api.network',
        '11-openstack-br-public-api.link',
        '11-openstack-br-public-api.netdev',
        '11-openstack-br-public-api.network',
      ]);
      expect(c.removed).toEqual([]);
      expect(c.leftBehind).toEqual([]);
    }
    const { text, markdown, json } = planForms('guide-lab', undefined, after);
    expect(json.map((c) => c.subject)).toEqual(['infra1', 'infra2', 'infra3']);
    for (const host of ['infra1', 'infra2', 'infra3']) {
      const line = `networkd files on ${host}: writes over 05-general-bond0.link, 05-general-bond0.netdev`;
      expect(text).toContain(line);
      expect(markdown).toContain(line);
    }
  });

  it('a VLAN dropped: the role’s cleanup removes its .netdev and .network, its .link stays', () => {
    const before = render(dcEast);
    const after = render(edited(dcEast, (d) => d.hostNetworking!.vlans!.pop()));
    const changes = networkdFileChanges(before, after);
    // Only the hosts with bond members have host_vars (the computes' networking is their own).
    expect(changes.map((c) => c.host)).toEqual(['east-infra1', 'east-infra2', 'east-infra3']);
    for (const c of changes) {
      expect(c).toMatchObject({
        takenOver: [],
        removed: [
          '10-osa-gitops-vlan-vxlan.netdev',
          '10-osa-gitops-vlan-vxlan.network',
          '11-osa-gitops-br-vxlan.netdev',
          '11-osa-gitops-br-vxlan.network',
        ],
        leftBehind: ['10-osa-gitops-vlan-vxlan.link', '11-osa-gitops-br-vxlan.link'],
      });
    }
    const { text, markdown, json } = planForms('dc-east', before, after);
    const line =
      "networkd files on east-infra1: removes 10-osa-gitops-vlan-vxlan.netdev, 10-osa-gitops-vlan-vxlan.network, 11-osa-gitops-br-vxlan.netdev, 11-osa-gitops-br-vxlan.network (the role's cleanup of our prefix); leaves 10-osa-gitops-vlan-vxlan.link, 11-osa-gitops-br-vxlan.link on the host: delete by hand";
    expect(text).toContain(line);
    expect(markdown).toContain(line);
    expect(json.find((c) => c.subject === 'east-infra1')?.summary).toBe(line);
  });

  it('a name no longer taken over: the old file is left behind, never deleted', () => {
    const before = render(guideLab);
    const after = render(edited(guideLab, (d) => delete d.hostNetworking!.networkdFilenames!['bond0']));
    const changes = networkdFileChanges(before, after);
    expect(changes.map((c) => c.host)).toEqual(['infra1', 'infra2', 'infra3']);
    for (const c of changes) {
      // Ours now (05-osa-gitops-bond0.*) is written fresh, not over anything.
      expect(c).toEqual({
        host: c.host,
        takenOver: [],
        removed: [],
        leftBehind: ['05-general-bond0.link', '05-general-bond0.netdev', '05-general-bond0.network'],
      });
    }
  });

  it('nothing when the files stay the same', () => {
    const tree = render(dcEast);
    expect(networkdFileChanges(tree, tree)).toEqual([]);
  });
});
