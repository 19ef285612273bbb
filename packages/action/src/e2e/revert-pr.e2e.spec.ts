import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../test-utils/fake-github.js';
import { startGitHttpServer, type GitHttpServer } from '../test-utils/git-fixture.js';
import { BUNDLE, runAction, visibleLog, type ActionRun } from '../test-utils/run-action.js';
import {
  createWorkspaceFixture,
  sharedSource,
  siteSource,
  type WorkspaceFixture,
} from '../test-utils/workspace-fixture.js';

const TOKEN = 'ghs_e2eRevertSecret_0123456789abcdef';
const REPO = 'octo/sites';

let fx: WorkspaceFixture;
let gh: FakeGitHub;
let httpGit: GitHttpServer;
let isolatedBundle: string;
let runs = 0;

beforeEach(async () => {
  fx = await createWorkspaceFixture(3);
  gh = await startFakeGitHub({ token: TOKEN, repository: REPO });
  httpGit = await startGitHttpServer(fx, TOKEN);
  // The revert job installs nothing: run it from a copy of the bundle with no node_modules near.
  const isolated = path.join(fx.root, 'isolated');
  await fs.mkdir(isolated);
  await fs.writeFile(path.join(isolated, 'package.json'), '{"type":"module"}\n');
  isolatedBundle = path.join(isolated, 'index.js');
  await fs.copyFile(BUNDLE, isolatedBundle);
});
afterEach(async () => {
  await gh.close();
  await httpGit.close();
  await fx.cleanup();
});

/** Merge a change of one site's external VIP to main (definition and rendered tree). */
async function mergeVip(site: string, n: number, vipHost: number): Promise<string> {
  await fx.write({
    [`environments/${site}/environment.ts`]: siteSource(site, n, { externalVipHost: vipHost }),
  });
  await fx.render();
  const sha = await fx.commit(`${site}: external VIP .${vipHost}`);
  await fx.push('HEAD:refs/heads/main');
  return sha;
}

interface Outcome {
  readonly commit: string;
  readonly verified: string | null;
  /** undefined: verify did not judge. */
  readonly ok?: boolean;
}

/** What `osa-gitops deploy --outcome` leaves for one site (the deploy job's artifact, merged). */
async function writeOutcomes(outcomes: Record<string, Outcome>): Promise<string> {
  const dir = path.join(fx.root, `outcomes-${++runs}`);
  await fs.mkdir(dir);
  for (const [site, o] of Object.entries(outcomes)) {
    const checks = [
      {
        id: 'container-running',
        subject: `${site}-infra1`,
        status: 'pass',
        expected: 'running',
        found: 'running',
      },
      {
        id: 'vip-held',
        subject: 'external VIP',
        status: o.ok === false ? 'fail' : 'pass',
        expected: 'held by exactly one container',
        found: o.ok === false ? `held by ${site}-infra1_haproxy and ${site}-infra2_haproxy` : 'held by one',
      },
      ...(o.ok === false
        ? [
            {
              id: 'frontend-serves',
              subject: 'external VIP 203.0.113.140:5000',
              status: 'fail',
              expected: 'a TCP connection from the deploy host succeeds (keystone_service, TLS)',
              found: 'connection failed: ECONNREFUSED',
              instance: `${site}-infra1_haproxy`,
              vip: '203.0.113.140',
              port: 5000,
            },
          ]
        : []),
    ];
    const verify =
      o.ok === undefined
        ? null
        : {
            schemaVersion: 1,
            site,
            ok: o.ok,
            counts: { pass: o.ok ? 2 : 1, fail: o.ok ? 0 : 2, 'not-applicable': 0 },
            checks,
          };
    const report = {
      schemaVersion: 1,
      command: 'deploy',
      site,
      commit: o.commit,
      configDir: '/etc/openstack_deploy',
      dryRun: false,
      steps: ['locked', 'synced'],
      stages: [],
      verify,
      lastVerifiedCommit: o.verified,
      exitCode: o.ok === undefined ? 2 : o.ok ? 0 : 90,
      ok: o.ok === true,
      error: null,
    };
    await fs.writeFile(path.join(dir, `${site}.json`), JSON.stringify(report, null, 2));
  }
  return dir;
}

/** The revert job: sparse checkout of main as pushed, the outcomes, the App token. */
async function revert(dir: string): Promise<ActionRun> {
  const checkout = await fx.checkout(`revert-${++runs}`, 'refs/heads/main', {
    remoteUrl: `${httpGit.url}/origin.git`,
  });
  await fx.git(checkout, 'sparse-checkout', 'set', 'packages/action');
  const run = await runAction({
    cwd: checkout,
    tmp: fx.root,
    bundle: isolatedBundle,
    event: { ref: 'refs/heads/main', before: fx.mainSha, after: fx.mainSha },
    env: {
      ...fx.env,
      GITHUB_API_URL: gh.url,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_REPOSITORY: REPO,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_RUN_ID: '4242',
    },
    inputs: { mode: 'revert-pr', token: TOKEN, 'outcome-dir': dir },
  });
  expect(await fs.readFile(path.join(checkout, '.git/config'), 'utf8')).not.toContain(TOKEN);
  expect(visibleLog(run)).not.toContain(TOKEN);
  return run;
}

async function originGit(...args: string[]): Promise<string> {
  return (await fx.git(fx.origin, ...args)).trim();
}

describe('revert-pr', { timeout: 180_000 }, () => {
  it('opens one PR per failing site back to its verified commit, on top of main as it is now', async () => {
    const verified = fx.mainSha;
    const failed = await mergeVip('site-1', 1, 11);
    // Another site merged after the failed deploy: the revert must keep it.
    const later = await mergeVip('site-2', 2, 22);
    const dir = await writeOutcomes({
      'site-1': { commit: failed, verified, ok: false },
      // A first deploy: nothing verified yet, so nothing to revert to.
      'site-2': { commit: later, verified: null, ok: false },
      'site-3': { commit: later, verified: later, ok: true },
    });
    const run = await revert(dir);
    expect(run.code).toBe(0);
    expect(gh.pulls).toHaveLength(1);
    const pr = gh.pulls[0]!;
    expect(pr).toMatchObject({
      number: 1,
      state: 'open',
      head: { ref: 'osa-gitops/revert/site-1' },
      base: { ref: 'main' },
    });
    expect(pr.title).toBe(`osa-gitops: revert site-1 to ${verified.slice(0, 12)} (verification failed)`);
    expect(pr.body).toContain(`back to \`${verified}\``);
    expect(pr.body).toContain('held by site-1-infra1\\_haproxy and site-1-infra2\\_haproxy');
    // Each failed check names the instance, the VIP and the port in the findings.
    expect(pr.body).toContain(
      '| ❌ FAIL | frontend-serves | external VIP 203.0.113.140:5000 | site-1-infra1\\_haproxy | 203.0.113.140 | 5000 | connection failed: ECONNREFUSED |',
    );
    expect(pr.body).toContain('https://github.example/octo/sites/actions/runs/4242');
    expect(pr.body).toContain('Nothing merges it automatically');

    // The revert commit: main's tip as parent, site-1's folder exactly as verified, the rest as main has it.
    const head = await originGit('rev-parse', 'refs/heads/osa-gitops/revert/site-1');
    expect(await originGit('rev-parse', `${head}^`)).toBe(later);
    expect(await originGit('diff', '--name-only', verified, head, '--', 'environments/site-1')).toBe('');
    expect(await originGit('diff', '--name-only', later, head, '--', 'environments/site-2')).toBe('');
    const changed = (await originGit('diff', '--name-only', later, head)).split('\n');
    expect(changed).toContain('environments/site-1/environment.ts');
    expect(changed.some((f) => f.startsWith('environments/site-1/openstack_deploy/'))).toBe(true);
    expect(changed.every((f) => f.startsWith('environments/site-1/'))).toBe(true);
    expect(
      await originGit('grep', '-c', '172.16.1.10', head, '--', 'environments/site-1/environment.ts'),
    ).toMatch(/:1$/);

    expect(JSON.parse(run.outputs.reverts!)).toEqual([{ site: 'site-1', number: 1, operation: 'created' }]);
    expect(run.summary).toContain(
      '| `site-2` | none | no verified commit recorded on its deploy host yet (first deploy)',
    );
    // Only pull-request calls; nothing merges.
    expect(gh.requests.some((r) => r.path.includes('/merge'))).toBe(false);
  });

  it('updates the same PR on the next failure, and closes it once the site verifies again', async () => {
    const verified = fx.mainSha;
    const failed = await mergeVip('site-1', 1, 11);
    const first = await revert(await writeOutcomes({ 'site-1': { commit: failed, verified, ok: false } }));
    expect(first.outputs.reverts).toBe('[{"site":"site-1","number":1,"operation":"created"}]');

    // main moves on (another site), and site-1 fails verify again at the same commit.
    const later = await mergeVip('site-3', 3, 13);
    const second = await revert(await writeOutcomes({ 'site-1': { commit: failed, verified, ok: false } }));
    expect(second.code).toBe(0);
    expect(second.outputs.reverts).toBe('[{"site":"site-1","number":1,"operation":"updated"}]');
    expect(gh.pulls).toHaveLength(1);
    expect(await originGit('rev-parse', 'refs/heads/osa-gitops/revert/site-1^')).toBe(later);

    // A fix of site-1 merged: the failed commit's site folder is not main's any more, so no revert.
    const fix = await mergeVip('site-1', 1, 12);
    const moved = await revert(await writeOutcomes({ 'site-1': { commit: failed, verified, ok: false } }));
    expect(moved.code).toBe(0);
    expect(moved.summary).toContain('changed on main since the failed');
    expect(gh.pulls[0]!.state).toBe('open');

    // Its deploy passes verify: the revert PR is closed, never merged.
    const passed = await revert(await writeOutcomes({ 'site-1': { commit: fix, verified: fix, ok: true } }));
    expect(passed.code).toBe(0);
    expect(passed.outputs.reverts).toBe('[{"site":"site-1","number":1,"operation":"closed"}]');
    expect(gh.pulls[0]).toMatchObject({ state: 'closed' });
    expect(await originGit('for-each-ref', 'refs/heads/osa-gitops/revert/')).toBe('');
    expect(gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls'))).toHaveLength(1);
  });

  it('lists shared files that changed since the verified commit, and does not revert them', async () => {
    const verified = fx.mainSha;
    await fx.write({
      'environments/_shared/fleet.ts': sharedSource(42),
      'environments/site-1/environment.ts': siteSource('site-1', 1, { externalVipHost: 11 }),
    });
    await fx.render();
    const failed = await fx.commit('new public VLAN for every site, and site-1 VIP .11');
    await fx.push('HEAD:refs/heads/main');
    const run = await revert(await writeOutcomes({ 'site-1': { commit: failed, verified, ok: false } }));
    expect(run.code).toBe(0);
    const body = gh.pulls[0]!.body;
    expect(body).toContain('**Not reverted:** 1 file(s)');
    expect(body).toContain('- `environments/_shared/fleet.ts`');
    const head = await originGit('rev-parse', 'refs/heads/osa-gitops/revert/site-1');
    // Only site-1's folder is back; the shared module stays as main has it.
    expect(await originGit('diff', '--name-only', failed, head, '--', 'environments/_shared')).toBe('');
    expect(await originGit('diff', '--name-only', verified, head, '--', 'environments/site-1')).toBe('');
  });

  it('refuses a verified commit that main never had, and malformed outcomes', async () => {
    await fx.git(fx.dev, 'checkout', '--quiet', '-b', 'elsewhere');
    const stray = await mergeVipOn('elsewhere', 'site-1', 1, 19);
    await fx.git(fx.dev, 'checkout', '--quiet', 'main');
    const failed = await mergeVip('site-1', 1, 11);
    const run = await revert(
      await writeOutcomes({ 'site-1': { commit: failed, verified: stray, ok: false } }),
    );
    expect(run.code, visibleLog(run)).toBe(1);
    expect(run.stdout).toContain(`site-1 (${stray.slice(0, 12)} is not on main)`);
    expect(gh.pulls).toEqual([]);

    const bad = path.join(fx.root, 'bad-outcomes');
    await fs.mkdir(bad);
    await fs.writeFile(
      path.join(bad, 'site-1.json'),
      JSON.stringify({
        schemaVersion: 1,
        command: 'deploy',
        site: '../site-1',
        commit: null,
        exitCode: 90,
        verify: null,
        lastVerifiedCommit: null,
      }),
    );
    const malformed = await revert(bad);
    expect(malformed.code).toBe(1);
    expect(malformed.stdout).toContain('The deploy outcome site-1.json is malformed: site');
    expect(gh.pulls).toEqual([]);
  });
});

async function mergeVipOn(branch: string, site: string, n: number, vipHost: number): Promise<string> {
  await fx.write({
    [`environments/${site}/environment.ts`]: siteSource(site, n, { externalVipHost: vipHost }),
  });
  await fx.render();
  const sha = await fx.commit(`${site}: external VIP .${vipHost} on ${branch}`);
  await fx.push(`HEAD:refs/heads/${branch}`);
  return sha;
}
