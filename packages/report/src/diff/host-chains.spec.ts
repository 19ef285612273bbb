import { describe, expect, it } from 'vitest';
import { type Environment, EnvironmentSchema, guideInput } from '@osa-gitops/core';
import { renderEnvironment } from '@osa-gitops/render';
import { chainSiteFromEnvironment } from '../explain/from-environment';
import { hostChains } from '../explain/host-chain';
import { buildReport } from './build-report';
import { formatReportMarkdown } from './format-markdown';
import { chainSiteFromTree } from './host-chains';
import { readYaml } from './yaml-reader';

/** The guide site with a bond that carries everything, hosts running glance and the OVN gateway. */
function bonded(storageBridge = 'br-storage'): Environment {
  const d = guideInput();
  Object.assign(d.hostNetworking, {
    vlans: [
      { id: 10, bridge: 'br-mgmt', address: 'host-ip', gateway: '172.29.236.1' },
      { id: 20, bridge: storageBridge },
      { id: 30, bridge: 'br-vxlan' },
    ],
    complete: true,
    externalBridges: undefined,
  });
  for (const h of Object.values(d.hosts)) h.groups = [...h.groups, 'os-infra_hosts', 'network-gateway_hosts'];
  d.hosts.compute1 = { ip: '172.29.236.21', groups: ['compute_hosts'] } as (typeof d.hosts)[string];
  return EnvironmentSchema.parse(d);
}

/**
 * Chains without the network labels (the definition and the rendered YAML number them
 * differently), groups sorted (the rendered config lists host groups alphabetically).
 */
function unlabelled(chains: ReturnType<typeof hostChains>) {
  return JSON.parse(
    JSON.stringify(chains, (k, v) => (k === 'network' ? undefined : k === 'groups' ? [...v].sort() : v)),
  );
}

describe('host chains in the PR report', () => {
  it('reads from the rendered tree exactly what the definition explains', () => {
    const env = bonded();
    const fromTree = hostChains(chainSiteFromTree(renderEnvironment(env), readYaml));
    const fromEnv = hostChains(chainSiteFromEnvironment(env));
    expect(fromEnv.flatMap((c) => c.bridges.map((b) => b.status))).not.toContain('missing');
    expect(fromTree.map((c) => c.host)).toEqual(['compute1', 'infra1', 'infra2', 'infra3']);
    expect(unlabelled(fromTree)).toEqual(unlabelled(fromEnv));
  });

  it('shows the chain of the hosts whose host_vars changed: a renamed bridge leaves the storage containers without one', () => {
    const before = renderEnvironment(bonded());
    const after = renderEnvironment(bonded('br-stor'));
    const report = buildReport([{ site: 'guide-lab', before, after }], { base: 'main', head: 'HEAD' });
    const site = report.sites[0]!;
    expect(site.hostChains!.map((c) => c.host)).toEqual(['infra1', 'infra2', 'infra3']);
    const storage = site.hostChains![0]!.bridges.find((b) => b.bridge === 'br-storage')!;
    expect(storage).toMatchObject({
      status: 'unverified',
      source: { kind: 'not-built' },
      uses: [{ members: ['glance_container'], interface: 'eth2' }],
    });

    const md = formatReportMarkdown(report);
    // Folded below the changes: the first screen is what a reviewer decides on.
    expect(md).toContain(
      '<details><summary>Host networking of 3 hosts whose host_vars changed: NIC → bond → VLAN → bridge → container interface → network/VIP</summary>',
    );
    expect(md.indexOf('**Deploys after merge**')).toBeLessThan(md.indexOf('Host networking of 3 hosts'));
    expect(md).toContain(
      '  br-storage (needed; not built by osa-gitops: declared outside the bond, or missing, see the validation issues)',
    );
    expect(md).toContain(
      '    → eth2 of glance_container → storage_address (storage 172.29.244.0/22), provider_networks[2]',
    );
    expect(md).toContain(
      '  ⚠ ens3 d2:25:83:e1:77:c8 + ens6 d2:25:83:e1:77:c9 → bond0 → vlan-stor (VLAN 20) → br-stor',
    );
    expect(md).toContain('→ br-mgmt 172.29.236.11/22 via 172.29.236.1');
    expect(md).toContain('internal VIP 172.29.236.9 on haproxy_container');
  });

  it('keeps the first screen of a new site to what a reviewer decides on (details folded)', () => {
    const report = buildReport(
      [
        {
          site: 'guide-lab',
          after: renderEnvironment(bonded()),
          deploy: { runnerLabel: 'osa-deploy-guide-lab' },
        },
      ],
      { base: 'main', head: 'HEAD' },
    );
    const md = formatReportMarkdown(report);
    const firstScreen = md.slice(0, md.indexOf('<details>'));
    // Measured: 6,110 characters before the diagram and host chains were folded, 1,520 after
    // (environments/dc-east as a new site); the rest is in <details>.
    expect(firstScreen.length).toBeLessThan(2_500);
    expect(firstScreen).toContain('site guide-lab added');
    expect(firstScreen).toContain('**Deploys after merge** on runner `osa-deploy-guide-lab`');
    expect(firstScreen).not.toContain('```mermaid');
    expect(firstScreen).not.toContain('→ bond0 →');
    expect(md).toContain('```mermaid');
    expect(md).toContain('→ bond0 →');
  });

  it('has no chain section when no host_vars changed', () => {
    const before = renderEnvironment(bonded());
    const d = bonded();
    const after = renderEnvironment({
      ...d,
      haproxy: { ...d.haproxy, vips: { ...d.haproxy.vips, external: '203.0.113.141' } },
    });
    const report = buildReport([{ site: 'guide-lab', before, after }], { base: 'main', head: 'HEAD' });
    expect(report.sites[0]!.hostChains).toBeUndefined();
    expect(formatReportMarkdown(report)).not.toContain('whose host_vars changed');
  });
});
