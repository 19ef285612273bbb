import { compileWorkspace, writeSiteTree } from '@osa-gitops/cli';
import { createGitFixture, type GitFixture } from './git-fixture.js';

/**
 * Shared part of every fixture site. `publicVlan` is what the tests change to touch every site
 * at once (a change under `environments/_shared/` affects all sites).
 */
export function sharedSource(publicVlan = 41): string {
  return `import { definePartial } from '@osa-gitops/core';

export const publicVlan = ${publicVlan};

export const fleetBase = definePartial({
  managementBridge: 'br-mgmt',
  providerNetworks: [
    { bridge: 'br-mgmt', containerInterface: 'eth1', containerType: 'veth', type: 'raw', ipFromQ: 'container',
      isManagementAddress: true, groupBinds: ['all_containers', 'hosts'] },
    { bridge: 'br-vxlan', containerInterface: 'eth10', containerType: 'veth', type: 'vxlan', ipFromQ: 'tunnel',
      range: '1:1000', netName: 'vxlan', groupBinds: ['neutron_ovn_controller'] },
  ],
  hostNetworking: {
    bond: { name: 'bond0', mode: '802.3ad', transmitHashPolicy: 'layer3+4', lacpTransmitRate: 'fast', miiMonitor: '100ms' },
    externalBridges: [{ bridge: 'br-mgmt', address: 'host-ip' }],
  },
});
`;
}

export interface SiteOptions {
  /** Last octet of the external VIP in the site's public /27. @default 10 */
  readonly externalVipHost?: number;
  /** Override the external VIP entirely (e.g. outside the network, to make it invalid). */
  readonly externalVip?: string;
  /** The public VLAN id instead of the shared `publicVlan` (changes the haproxy hosts' host_vars). */
  readonly vlan?: number;
  /** The deploy host's folders (a workflow test points them into its temp dir). */
  readonly deploy?: { readonly configDir: string; readonly osaDir: string };
}

/**
 * A valid site `site-<n>`-style definition with its own address plan (10.<n>.0.0/16 inside,
 * 172.16.<n>.0/27 public) and routing domain, so any number of them pass the fleet rules.
 */
export function siteSource(name: string, n: number, options: SiteOptions = {}): string {
  const vip = options.externalVip ?? `172.16.${n}.${options.externalVipHost ?? 10}`;
  return `import { defineEnvironment } from '@osa-gitops/core';
import { fleetBase, publicVlan } from '../_shared/fleet';

export default defineEnvironment({
  ...fleetBase,
  name: '${name}',
  description: 'fixture site ${n}',
  routingDomain: 'rd-${n}',
  publicSegment: 'seg-${n}',
  networks: { container: '10.${n}.0.0/22', tunnel: '10.${n}.4.0/22', public_api: '172.16.${n}.0/27' },
  reserved: { container: ['10.${n}.0.1-10.${n}.0.30'], public_api: ['172.16.${n}.2-172.16.${n}.3'] },
  hosts: {
    '${name}-infra1': { ip: '10.${n}.0.11', groups: ['shared-infra_hosts', 'repo-infra_hosts', 'haproxy_hosts'],
      bondMembers: { ens3: '02:00:00:00:${hex(n)}:01', ens6: '02:00:00:00:${hex(n)}:02' } },
    '${name}-infra2': { ip: '10.${n}.0.12', groups: ['shared-infra_hosts', 'repo-infra_hosts', 'haproxy_hosts'],
      bondMembers: { ens3: '02:00:00:01:${hex(n)}:01', ens6: '02:00:00:01:${hex(n)}:02' } },
    '${name}-compute1': { ip: '10.${n}.0.21', groups: ['compute_hosts'] },
  },
  haproxy: {
    publicNetwork: { cidrName: 'public_api', gateway: '172.16.${n}.1', vlan: ${options.vlan ?? 'publicVlan'}, bond: 'bond0',
      bridge: 'br-public-api', containerInterface: 'eth20' },
    vips: { external: '${vip}', internal: '10.${n}.0.10' },
    bind: 'interface',
    keepalived: { externalRouterId: 10, internalRouterId: 11 },
  },
  deploy: { runnerLabel: 'osa-deploy-${name}', configDir: ${JSON.stringify(options.deploy?.configDir ?? '/etc/openstack_deploy')}, osaDir: ${JSON.stringify(options.deploy?.osaDir ?? '/opt/openstack-ansible')} },
});
`;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

export interface WorkspaceFixture extends GitFixture {
  /** Render every site of `dev/` with the CLI library and write the trees (like `osa-gitops render`). */
  render(): Promise<void>;
  /** The commit on origin's main after setup. */
  readonly mainSha: string;
}

/**
 * A repository with `sites` (named `site-<n>`, n from 1) and fresh committed trees on `main`,
 * pushed to origin. Tests branch off it in `dev/`.
 */
export async function createWorkspaceFixture(
  count: number,
  options: {
    /** Each site's options (its deploy folders, say). */
    readonly site?: (n: number, root: string) => SiteOptions;
    /** More files in the first commit (path → content). */
    readonly files?: Readonly<Record<string, string | Buffer>>;
  } = {},
): Promise<WorkspaceFixture> {
  const fx = await createGitFixture();
  const files: Record<string, string> = {
    'README.md': '# fixture\n',
    'environments/_shared/fleet.ts': sharedSource(),
  };
  for (let n = 1; n <= count; n++)
    files[`environments/site-${n}/environment.ts`] = siteSource(`site-${n}`, n, options.site?.(n, fx.root));
  for (const [rel, data] of Object.entries(options.files ?? {}))
    files[rel] = typeof data === 'string' ? data : data.toString('utf8');
  await fx.write(files);
  const render = async (): Promise<void> => {
    const compiled = await compileWorkspace(fx.dev);
    if (!compiled.ok) {
      const issues = [...compiled.sites.flatMap((s) => s.issues), ...compiled.fleetIssues];
      throw new Error(
        `fixture sites do not compile:\n${issues.map((i) => `${i.site} ${i.code} ${i.message}`).join('\n')}`,
      );
    }
    for (const s of compiled.sites) await writeSiteTree(fx.dev, s.site, s.tree!);
  };
  await render();
  const mainSha = await fx.commit('sites with rendered trees');
  await fx.push('HEAD:refs/heads/main');
  return { ...fx, render, mainSha };
}
