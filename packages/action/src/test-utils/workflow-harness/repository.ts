import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { startFakeGitHub, type FakeGitHub } from '../fake-github.js';
import { createWorkspaceFixture, type WorkspaceFixture } from '../workspace-fixture.js';
import { startAuthGitServer, type AuthGitServer } from './git-server.js';
import { REPO_ROOT, WorkflowHarness, type HarnessOptions, type SelfHostedRunner } from './runner.js';

export const REPOSITORY = 'octo/sites';
/** The token the tests themselves use on the API stand-in (all permissions). */
export const ADMIN_TOKEN = 'ghs_harnessAdmin_0123456789';

/** One site's deploy host: its OSA config dir and openstack-ansible checkout (the stub wrapper). */
export interface SiteHost {
  readonly configDir: string;
  readonly osaDir: string;
  /** Every openstack-ansible run's arguments, one a line (OSA_STUB_ARGS). */
  readonly argsLog: string;
}

export interface WorkflowRepo extends WorkspaceFixture {
  readonly gitServer: AuthGitServer;
  readonly github: FakeGitHub;
  readonly harness: WorkflowHarness;
  readonly hosts: Record<string, SiteHost>;
  close(): Promise<void>;
}

const GENERATOR_STAND_IN = (n: number): string => `import json, os
def generate(config, check, debug, environment):
    path = os.path.join(config, 'openstack_inventory.json')
    inv = json.load(open(path)) if os.path.exists(path) else {'_meta': {'hostvars': {}}}
    name = 'site-${n}-infra1-haproxy-container-0badc0de'
    inv['_meta']['hostvars'][name] = {'physical_host': 'site-${n}-infra1', 'component': 'haproxy',
        'properties': {'is_metal': False}, 'container_networks': {'public_api_address':
        {'address': '172.16.${n}.20', 'bridge': 'br-public-api', 'interface': 'eth20'}}}
    inv.setdefault('haproxy', {'hosts': []})['hosts'].append(name)
    with open(path, 'w') as f:
        json.dump(inv, f)
    return json.dumps(inv)
`;

const STUB_OSA = path.join(REPO_ROOT, 'packages/deployer/src/test-fixtures/stub-openstack-ansible');

/**
 * A private repository `octo/sites` as the workflows see it: `sites` fixture sites with fresh
 * trees and the committed action (`packages/action`: action.yml, package.json, dist/) on main,
 * served by the credential-checking git server and described by the GitHub API stand-in; and for
 * each site a deploy host (config dir, stub openstack-ansible on PATH) behind the runner label
 * `osa-deploy-site-<n>`.
 */
export async function createWorkflowRepo(
  sites: number,
  options: Omit<HarnessOptions, 'root' | 'env' | 'repository' | 'git' | 'github' | 'runners'> = {},
): Promise<WorkflowRepo> {
  const action = path.join(REPO_ROOT, 'packages/action');
  const files: Record<string, Buffer> = {};
  for (const rel of ['action.yml', 'package.json', 'dist/index.js'])
    files[`packages/action/${rel}`] = await fs.readFile(path.join(action, rel));
  const fx = await createWorkspaceFixture(sites, {
    site: (n, root) => ({
      deploy: {
        configDir: path.join(root, 'hosts', `site-${n}`, 'openstack_deploy'),
        osaDir: path.join(root, 'hosts', `site-${n}`, 'openstack-ansible'),
      },
    }),
    files,
  });
  const hosts: Record<string, SiteHost> = {};
  const runners: Record<string, SelfHostedRunner> = {};
  for (let n = 1; n <= sites; n++) {
    const dir = path.join(fx.root, 'hosts', `site-${n}`);
    const host: SiteHost = {
      configDir: path.join(dir, 'openstack_deploy'),
      osaDir: path.join(dir, 'openstack-ansible'),
      argsLog: path.join(dir, 'osa-args.log'),
    };
    await fs.mkdir(host.configDir, { recursive: true, mode: 0o755 });
    await fs.mkdir(path.join(host.osaDir, 'playbooks'), { recursive: true });
    await fs.writeFile(path.join(host.osaDir, 'playbooks/lxc-containers-create.yml'), '- hosts: all\n');
    // OSA's inventory generator, stood in (a real Python process): it adds one haproxy container.
    await fs.mkdir(path.join(host.osaDir, 'osa_toolkit'), { recursive: true });
    await fs.mkdir(path.join(host.osaDir, 'inventory/env.d'), { recursive: true });
    await fs.writeFile(path.join(host.osaDir, 'osa_toolkit/__init__.py'), '');
    await fs.writeFile(path.join(host.osaDir, 'osa_toolkit/generate.py'), GENERATOR_STAND_IN(n));
    const bin = path.join(dir, 'bin');
    await fs.mkdir(bin, { recursive: true });
    await fs.copyFile(STUB_OSA, path.join(bin, 'openstack-ansible'));
    await fs.chmod(path.join(bin, 'openstack-ansible'), 0o755);
    hosts[`site-${n}`] = host;
    runners[`osa-deploy-site-${n}`] = {
      path: [bin],
      env: { OSA_STUB_RECORD: path.join(dir, 'osa-runs.log'), OSA_STUB_ARGS: host.argsLog },
    };
  }
  // The server serves <root>/srv/<owner>/<name>; the fixture's bare origin is that repository.
  await fs.mkdir(path.join(fx.root, 'srv', 'octo'), { recursive: true });
  await fs.symlink(fx.origin, path.join(fx.root, 'srv', REPOSITORY));
  const git = await startAuthGitServer(path.join(fx.root, 'srv'), fx.env);
  const github = await startFakeGitHub({ token: ADMIN_TOKEN, repository: REPOSITORY });
  const harness = new WorkflowHarness({
    ...options,
    root: fx.root,
    env: fx.env,
    repository: REPOSITORY,
    git,
    github,
    runners,
  });
  return {
    ...fx,
    gitServer: git,
    github,
    harness,
    hosts,
    async close() {
      await github.close();
      await git.close();
      await fx.cleanup();
    },
  };
}

/** The push event GitHub sends for `before..after` on main (what deploy.yml gets). */
export function pushEvent(before: string, after: string, ref = 'refs/heads/main'): Record<string, unknown> {
  return {
    ref,
    before,
    after,
    repository: { id: 1, full_name: REPOSITORY, default_branch: 'main', owner: { id: 10, login: 'octo' } },
  };
}
