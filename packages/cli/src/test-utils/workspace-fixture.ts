import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { simpleGit } from 'simple-git';
import type { CliIo } from '../io';

/**
 * Test fixtures: a real temporary workspace (environments/<site>/environment.ts importing
 * `@osa-gitops/core`) inside a real git repository, and a fake CliIo that records output.
 */

export interface SiteSpec {
  readonly name: string;
  /** Second octet of the site's networks (keeps sites from overlapping). */
  readonly index: number;
  readonly externalVipHost?: number;
  readonly vlan?: number;
  readonly haproxyHosts?: number;
  readonly otherHosts?: number;
}

/** A small valid site definition: management + public network, N haproxy infra hosts. */
export function siteDefinition(s: SiteSpec): string {
  const i = s.index;
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  const hosts: string[] = [];
  const haproxy = s.haproxyHosts ?? 2;
  for (let k = 1; k <= haproxy + (s.otherHosts ?? 0); k++) {
    const groups = k <= haproxy ? `['shared-infra_hosts', 'haproxy_hosts']` : `['compute_hosts']`;
    hosts.push(
      `    '${s.name}-infra${k}': { ip: '10.${i}.0.${10 + k}', groups: ${groups}, ` +
        `bondMembers: { ens3: '02:00:00:${hex(i)}:${hex(k)}:01', ens6: '02:00:00:${hex(i)}:${hex(k)}:02' } },`,
    );
  }
  return `import { defineEnvironment } from '@osa-gitops/core';

export default defineEnvironment({
  name: '${s.name}',
  routingDomain: 'test',
  networks: { container: '10.${i}.0.0/22', public_api: '100.64.${i}.0/27' },
  reserved: { container: ['10.${i}.0.1-10.${i}.0.9'] },
  managementBridge: 'br-mgmt',
  providerNetworks: [
    {
      bridge: 'br-mgmt',
      containerInterface: 'eth1',
      containerType: 'veth',
      type: 'raw',
      ipFromQ: 'container',
      isManagementAddress: true,
      groupBinds: ['all_containers', 'hosts'],
    },
  ],
  hostNetworking: { bond: { name: 'bond0' }, externalBridges: [{ bridge: 'br-mgmt', address: 'host-ip' }] },
  hosts: {
${hosts.join('\n')}
  },
  haproxy: {
    publicNetwork: {
      cidrName: 'public_api',
      gateway: '100.64.${i}.1',
      vlan: ${s.vlan ?? 40},
      bond: 'bond0',
      bridge: 'br-public-api',
      containerInterface: 'eth20',
    },
    vips: { external: '100.64.${i}.${s.externalVipHost ?? 10}', internal: '10.${i}.0.10' },
    bind: 'interface',
  },
  deploy: { runnerLabel: 'osa-deploy-${s.name}' },
});
`;
}

export interface Workspace {
  readonly root: string;
  writeSite(spec: SiteSpec): Promise<void>;
  removeSite(name: string): Promise<void>;
  /** `git add -A` + commit inside the temp repo; returns the commit id. */
  commit(message: string): Promise<string>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A temp workspace with a git repository (`main`, local identity, no gc, no signing). */
export async function createWorkspace(): Promise<Workspace> {
  const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'osa-gitops-cli-')));
  await fs.mkdir(path.join(root, 'environments'), { recursive: true });
  const git = simpleGit({ baseDir: root });
  await git.raw(['init', '-q', '-b', 'main']);
  await git.addConfig('user.name', 'osa-gitops tests');
  await git.addConfig('user.email', 'tests@osa-gitops.invalid');
  // Git maintenance can race with fixture cleanup by touching pack files.
  await git.addConfig('gc.auto', '0');
  await git.addConfig('commit.gpgsign', 'false');
  return {
    root,
    async writeSite(spec) {
      const dir = path.join(root, 'environments', spec.name);
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, 'environment.ts'), siteDefinition(spec));
    },
    async removeSite(name) {
      await fs.rm(path.join(root, 'environments', name), { recursive: true, force: true });
    },
    async commit(message) {
      await git.raw(['add', '-A']);
      await git.raw(['commit', '-q', '--allow-empty', '-m', message]);
      return (await git.raw(['rev-parse', 'HEAD'])).trim();
    },
    async [Symbol.asyncDispose]() {
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

export interface FakeIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
  stdoutText(): string;
  stderrText(): string;
}

export function fakeIo(cwd: string, opts: { isTTY?: boolean; env?: Record<string, string> } = {}): FakeIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd,
    env: opts.env ?? {},
    isTTY: opts.isTTY ?? false,
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    stdoutText: () => out.join(''),
    stderrText: () => err.join(''),
  };
}
