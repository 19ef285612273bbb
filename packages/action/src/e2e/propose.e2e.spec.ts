import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../test-utils/fake-github.js';
import { startGitHttpServer, type GitHttpServer } from '../test-utils/git-fixture.js';
import { runAction, visibleLog, type ActionRun } from '../test-utils/run-action.js';
import {
  createWorkspaceFixture,
  siteSource,
  type WorkspaceFixture,
} from '../test-utils/workspace-fixture.js';

const TOKEN = 'ghs_e2eProposeSecret_0123456789abcdef';
const REPO = 'octo/sites';
const SOURCE = 'feature-vip';
const BOT = `osa-gitops/render/${SOURCE}`;

let fx: WorkspaceFixture;
let gh: FakeGitHub;
let httpGit: GitHttpServer;
let checkouts = 0;

beforeEach(async () => {
  fx = await createWorkspaceFixture(2);
  gh = await startFakeGitHub({ token: TOKEN, repository: REPO });
  httpGit = await startGitHttpServer(fx, TOKEN);
  await fx.git(fx.dev, 'checkout', '--quiet', '-b', SOURCE, fx.mainSha);
});
afterEach(async () => {
  await gh.close();
  await httpGit.close();
  await fx.cleanup();
});

/** Commit a definition change on the source branch without rendering, and push it. */
async function pushDefinitionChange(vipHost: number): Promise<string> {
  await fx.write({
    'environments/site-1/environment.ts': siteSource('site-1', 1, { externalVipHost: vipHost }),
  });
  const sha = await fx.commit(`site-1: external VIP .${vipHost}`);
  await fx.push(`HEAD:refs/heads/${SOURCE}`);
  return sha;
}

/** actions/checkout of the pushed branch (depth 1, origin over HTTP), then the action. */
async function propose(sha: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  const dir = await fx.checkout(`push-${++checkouts}`, `refs/heads/${SOURCE}`, {
    remoteUrl: `${httpGit.url}/origin.git`,
  });
  const run = await runAction({
    cwd: dir,
    tmp: fx.root,
    event: { ref: `refs/heads/${SOURCE}`, before: fx.mainSha, after: sha },
    env: {
      ...fx.env,
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: REPO,
      GITHUB_REF: `refs/heads/${SOURCE}`,
      GITHUB_SHA: sha,
      GITHUB_EVENT_NAME: 'push',
    },
    inputs: { mode: 'propose', token: TOKEN, ...inputs },
  });
  expect(await fs.readFile(path.join(dir, '.git/config'), 'utf8')).not.toContain(TOKEN);
  return run;
}

async function remoteBranch(name: string): Promise<string | undefined> {
  const out = await fx.git(fx.origin, 'for-each-ref', '--format=%(objectname)', `refs/heads/${name}`);
  return out.trim() || undefined;
}

function expectNoTokenLeak(run: ActionRun): void {
  expect(visibleLog(run)).not.toContain(TOKEN);
  expect(run.summary).not.toContain(TOKEN);
  for (const p of gh.pulls) expect(p.body).not.toContain(TOKEN);
}

describe('propose', () => {
  it('opens one PR, updates it on the next push, closes it when nothing is left', async () => {
    const first = await pushDefinitionChange(11);
    const created = await propose(first);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.outputs).toMatchObject({ operation: 'created', 'pull-request-number': '1', branch: BOT });
    const botSha = await remoteBranch(BOT);
    expect(botSha).toBe(created.outputs['head-sha']);
    expect((await fx.git(fx.origin, 'rev-parse', `${botSha}^`)).trim()).toBe(first);
    expect(await fx.git(fx.origin, 'diff', '--name-only', first, botSha!)).toMatch(
      /^environments\/site-1\/openstack_deploy\//,
    );
    expect(gh.pulls).toEqual([
      expect.objectContaining({
        number: 1,
        state: 'open',
        head: expect.objectContaining({ ref: BOT }),
        base: { ref: SOURCE },
      }),
    ]);
    expect(gh.pulls[0]!.body).toContain('172.16.1.11');
    expect(gh.pulls[0]!.body).toContain('regenerated and force-pushed');
    // The push carried the token as basic auth; GitHub calls as a bearer token.
    const basic = `basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`.toLowerCase();
    expect(httpGit.auth.map((a) => a?.toLowerCase())).toContain(basic);
    expectNoTokenLeak(created);

    const second = await pushDefinitionChange(13);
    const updated = await propose(second);
    expect(updated.code).toBe(0);
    expect(updated.outputs).toMatchObject({ operation: 'updated', 'pull-request-number': '1' });
    expect(gh.pulls).toHaveLength(1);
    expect(gh.pulls[0]!.body).toContain('172.16.1.13');
    expect((await fx.git(fx.origin, 'rev-parse', `${BOT}^`)).trim()).toBe(second);

    // Merge the render into the source branch: the branch now carries fresh trees.
    await fx.git(fx.dev, 'fetch', '--quiet', 'origin', BOT);
    await fx.git(fx.dev, 'merge', '--quiet', '--ff-only', 'FETCH_HEAD');
    const merged = (await fx.git(fx.dev, 'rev-parse', 'HEAD')).trim();
    await fx.push(`HEAD:refs/heads/${SOURCE}`);
    const closed = await propose(merged);
    expect(closed.code).toBe(0);
    expect(closed.outputs).toMatchObject({ operation: 'closed', 'pull-request-number': '1', 'head-sha': '' });
    expect(gh.pulls[0]).toMatchObject({ state: 'closed' });
    expect(gh.pulls[0]!.body).toContain('nothing left to propose');
    expect(await remoteBranch(BOT)).toBeUndefined();

    const again = await propose(merged);
    expect(again.outputs).toMatchObject({ operation: 'none', 'pull-request-number': '' });
    expect(gh.pulls).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it("fails with GitHub's 422 message and leaves no token behind", async () => {
    const sha = await pushDefinitionChange(11);
    gh.fail({
      method: 'POST',
      path: /\/pulls$/,
      status: 422,
      body: { message: 'Validation Failed', errors: [{ code: 'invalid', field: 'base' }] },
    });
    const run = await propose(sha);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::GitHub API refused POST /repos/octo/sites/pulls (422 validation failed: Validation Failed; invalid (base)).',
    );
    expectNoTokenLeak(run);
  });

  it('fails the push clearly when the token cannot push, without echoing it', async () => {
    const sha = await pushDefinitionChange(11);
    const run = await propose(sha, { token: 'ghs_readOnlyToken_zzzzzzzzzzzzzzzz' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::git push failed: /);
    expect(visibleLog(run)).not.toContain('ghs_readOnlyToken_zzzzzzzzzzzzzzzz');
    expect(gh.pulls).toHaveLength(0);
  });

  it('refuses to render invalid definitions and leaves the PR alone', async () => {
    await fx.write({
      'environments/site-2/environment.ts': siteSource('site-2', 2, { externalVip: '192.0.2.1' }),
    });
    const sha = await fx.commit('broken');
    await fx.push(`HEAD:refs/heads/${SOURCE}`);
    const run = await propose(sha);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error title=osa-gitops VIP_OUTSIDE_NETWORK (site-2),file=environments/site-2/environment.ts,line=22,col=13::haproxy.vips.external:',
    );
    expect(run.stdout).toContain(`::error::Cannot render ${SOURCE}: 1 definition error(s)`);
    expect(gh.requests).toHaveLength(0);
    expect(await remoteBranch(BOT)).toBeUndefined();
  });
});
