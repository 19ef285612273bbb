import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../test-utils/fake-github.js';
import { startGitHttpServer, type GitHttpServer } from '../test-utils/git-fixture.js';
import { BUNDLE, runAction, visibleLog, type ActionRun } from '../test-utils/run-action.js';
import {
  createWorkspaceFixture,
  siteSource,
  type WorkspaceFixture,
} from '../test-utils/workspace-fixture.js';

const TOKEN = 'ghs_e2ePublishSecret_0123456789abcdef';
const REPO = 'octo/sites';
const SOURCE = 'feature-vip';
const BOT = `osa-gitops/render/${SOURCE}`;

let fx: WorkspaceFixture;
let gh: FakeGitHub;
let httpGit: GitHttpServer;
let isolatedBundle: string;
let runs = 0;

beforeEach(async () => {
  fx = await createWorkspaceFixture(2);
  gh = await startFakeGitHub({ token: TOKEN, repository: REPO });
  httpGit = await startGitHttpServer(fx, TOKEN);
  await fx.git(fx.dev, 'checkout', '--quiet', '-b', SOURCE, fx.mainSha);
  // The publish job installs nothing: run it from a copy of the bundle with no node_modules near.
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

async function pushDefinitionChange(vipHost: number): Promise<string> {
  await fx.write({
    'environments/site-1/environment.ts': siteSource('site-1', 1, { externalVipHost: vipHost }),
  });
  const sha = await fx.commit(`site-1: external VIP .${vipHost}`);
  await fx.push(`HEAD:refs/heads/${SOURCE}`);
  return sha;
}

/** The render job: checkout of the pushed branch, the action in render mode, no token at all. */
async function render(sha: string): Promise<{ run: ActionRun; dir: string }> {
  const id = ++runs;
  const checkout = await fx.checkout(`render-${id}`, `refs/heads/${SOURCE}`, {
    remoteUrl: `${httpGit.url}/origin.git`,
  });
  const dir = path.join(fx.root, `render-artifact-${id}`);
  const requests = gh.requests.length;
  const pushes = httpGit.auth.length;
  const run = await runAction({
    cwd: checkout,
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
    inputs: { mode: 'render', 'source-branch': SOURCE, 'render-dir': dir },
  });
  // Nothing leaves the render job but the artifact: no API call, no git traffic.
  expect(gh.requests.length).toBe(requests);
  expect(httpGit.auth.length).toBe(pushes);
  return { run, dir };
}

/** The publish job: sparse checkout of the default branch only, the artifact, the App token. */
async function publish(dir: string, sourceSha: string): Promise<ActionRun> {
  const checkout = await fx.checkout(`publish-${++runs}`, 'refs/heads/main', {
    remoteUrl: `${httpGit.url}/origin.git`,
  });
  await fx.git(checkout, 'sparse-checkout', 'set', 'packages/action');
  const run = await runAction({
    cwd: checkout,
    tmp: fx.root,
    bundle: isolatedBundle,
    event: { workflow_run: { id: 1, event: 'push', head_sha: sourceSha, conclusion: 'success' } },
    env: {
      ...fx.env,
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: REPO,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_EVENT_NAME: 'workflow_run',
    },
    inputs: {
      mode: 'publish',
      token: TOKEN,
      'source-branch': SOURCE,
      'source-sha': sourceSha,
      'render-dir': dir,
    },
  });
  expect(await fs.readFile(path.join(checkout, '.git/config'), 'utf8')).not.toContain(TOKEN);
  expect(visibleLog(run)).not.toContain(TOKEN);
  return run;
}

async function remoteBranch(name: string): Promise<string | undefined> {
  const out = await fx.git(fx.origin, 'for-each-ref', '--format=%(objectname)', `refs/heads/${name}`);
  return out.trim() || undefined;
}

describe('render → publish', () => {
  it('creates the PR, updates it on the next push, closes it when nothing is left', async () => {
    const first = await pushDefinitionChange(11);
    const r1 = await render(first);
    expect(r1.run.stderr).toBe('');
    expect(r1.run.code).toBe(0);
    const meta = JSON.parse(await fs.readFile(path.join(r1.dir, 'meta.json'), 'utf8')) as {
      sourceSha: string;
      sites: string[];
      files: string[];
    };
    expect(meta).toMatchObject({ sourceSha: first, sites: ['site-1', 'site-2'] });
    expect(meta.files.every((f) => /^environments\/site-[12]\/openstack_deploy\//.test(f))).toBe(true);
    expect(await fs.readdir(r1.dir)).toEqual(['meta.json', 'trees']);

    const created = await publish(r1.dir, first);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.outputs).toMatchObject({ operation: 'created', 'pull-request-number': '1', branch: BOT });
    const botSha = await remoteBranch(BOT);
    expect(botSha).toBe(created.outputs['head-sha']);
    expect((await fx.git(fx.origin, 'rev-parse', `${botSha}^`)).trim()).toBe(first);
    const changed = (await fx.git(fx.origin, 'diff', '--name-only', first, botSha!)).trim().split('\n');
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((f) => f.startsWith('environments/site-1/openstack_deploy/'))).toBe(true);
    expect(
      await fx.git(fx.origin, 'grep', '-l', '172.16.1.11', botSha!, '--', 'environments/site-1'),
    ).toMatch(/openstack_deploy/);
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

    const second = await pushDefinitionChange(13);
    const r2 = await render(second);
    expect(r2.run.code).toBe(0);
    const updated = await publish(r2.dir, second);
    expect(updated.code).toBe(0);
    expect(updated.outputs).toMatchObject({ operation: 'updated', 'pull-request-number': '1' });
    expect(gh.pulls).toHaveLength(1);
    expect(gh.pulls[0]!.body).toContain('172.16.1.13');
    expect((await fx.git(fx.origin, 'rev-parse', `${BOT}^`)).trim()).toBe(second);

    // Merge the render PR: the branch now carries fresh trees, so nothing is left to propose.
    await fx.git(fx.dev, 'fetch', '--quiet', 'origin', BOT);
    await fx.git(fx.dev, 'merge', '--quiet', '--ff-only', 'FETCH_HEAD');
    const merged = (await fx.git(fx.dev, 'rev-parse', 'HEAD')).trim();
    await fx.push(`HEAD:refs/heads/${SOURCE}`);
    const r3 = await render(merged);
    expect(r3.run.code).toBe(0);
    const closed = await publish(r3.dir, merged);
    expect(closed.code).toBe(0);
    expect(closed.outputs).toMatchObject({ operation: 'closed', 'pull-request-number': '1', 'head-sha': '' });
    expect(gh.pulls[0]).toMatchObject({ state: 'closed' });
    expect(await remoteBranch(BOT)).toBeUndefined();

    const again = await publish(r3.dir, merged);
    expect(again.outputs).toMatchObject({ operation: 'none', 'pull-request-number': '' });
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('render refuses a committed symlink as openstack_deploy: nothing written outside, no artifact', async () => {
    // The attack of issue 16: the branch commits its site's rendered tree as a link to a folder
    // outside the checkout; a render that followed it would write and delete files there.
    const outside = path.join(fx.root, 'outside-tree');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'victim.yml'), 'victim: untouched\n');
    const tree = path.join(fx.dev, 'environments/site-1/openstack_deploy');
    await fs.rm(tree, { recursive: true });
    await fs.symlink(outside, tree);
    await fx.write({
      'environments/site-1/environment.ts': siteSource('site-1', 1, { externalVipHost: 12 }),
    });
    const sha = await fx.commit('site-1: tree as a link');
    await fx.push(`HEAD:refs/heads/${SOURCE}`);
    const { run, dir } = await render(sha);
    expect(run.code).toBe(1);
    expect(visibleLog(run)).toContain('environments/site-1/openstack_deploy');
    expect(visibleLog(run)).toMatch(/symbolic link/);
    expect(visibleLog(run)).not.toMatch(/unexpected error|node:internal/);
    expect(await fs.readdir(outside)).toEqual(['victim.yml']);
    expect(await fs.readFile(path.join(outside, 'victim.yml'), 'utf8')).toBe('victim: untouched\n');
    await expect(fs.stat(path.join(dir, 'meta.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  describe('refuses a hostile artifact and pushes nothing', () => {
    let sha: string;
    let good: string;
    let n = 0;

    beforeEach(async () => {
      sha = await pushDefinitionChange(11);
      const r = await render(sha);
      expect(r.run.code).toBe(0);
      good = r.dir;
    });

    /** A copy of the good artifact, changed by `mutate` (meta.json as an object, files on disk). */
    async function hostile(
      mutate: (
        meta: Record<string, unknown> & { files: string[]; sites: string[] },
        dir: string,
      ) => Promise<void> | void,
    ): Promise<string> {
      const dir = path.join(fx.root, `hostile-${++n}`);
      await fs.cp(good, dir, { recursive: true });
      const metaFile = path.join(dir, 'meta.json');
      const meta = JSON.parse(await fs.readFile(metaFile, 'utf8')) as Parameters<typeof mutate>[0];
      await mutate(meta, dir);
      await fs.writeFile(metaFile, JSON.stringify(meta));
      return dir;
    }

    async function expectRefused(dir: string, message: string, sourceSha = sha): Promise<void> {
      const run = await publish(dir, sourceSha);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`::error::${message}`);
      expect(await remoteBranch(BOT)).toBeUndefined();
      expect(gh.requests).toEqual([]);
      expect(gh.pulls).toEqual([]);
    }

    const inTree = (rel: string): string => `environments/site-1/openstack_deploy/${rel}`;

    it('a ../ path', async () => {
      const bad = inTree('../../../.github/workflows/evil.yml');
      const dir = await hostile((meta) => void meta.files.push(bad));
      await expectRefused(dir, `Refusing the render artifact: the path "${bad}" contains "..".`);
    });

    it('an absolute path', async () => {
      const dir = await hostile((meta) => void meta.files.push('/etc/cron.d/evil'));
      await expectRefused(dir, 'Refusing the render artifact: the path "/etc/cron.d/evil" is absolute.');
    });

    it('a symlink in place of a rendered file', async () => {
      let target = '';
      const dir = await hostile(async (meta, d) => {
        target = meta.files.find((f) => f.startsWith('environments/site-1/'))!;
        const abs = path.join(d, 'trees', target);
        await fs.rm(abs);
        await fs.symlink('/etc/passwd', abs);
      });
      await expectRefused(dir, `Refusing the render artifact: "${target}" is a symlink.`);
    });

    it('a file outside openstack_deploy (a definition), listed and on disk', async () => {
      const rel = 'environments/site-1/environment.ts';
      const dir = await hostile(async (meta, d) => {
        meta.files.push(rel);
        await fs.writeFile(path.join(d, 'trees', rel), 'export default {};\n');
      });
      await expectRefused(
        dir,
        `Refusing the render artifact: the path "${rel}" is outside environments/<site>/openstack_deploy/.`,
      );
    });

    it('a file on disk that meta.json does not list', async () => {
      const rel = inTree('user_smuggled.yml');
      const dir = await hostile(async (_meta, d) => {
        await fs.writeFile(path.join(d, 'trees', rel), 'x: 1\n');
      });
      await expectRefused(dir, `Refusing the render artifact: "${rel}" is on disk but not in meta.json.`);
    });

    it('a tree for a site the source commit does not define', async () => {
      const rel = 'environments/site-9/openstack_deploy/user_variables.yml';
      const dir = await hostile(async (meta, d) => {
        meta.sites.push('site-9');
        meta.files.push(rel);
        await fs.mkdir(path.dirname(path.join(d, 'trees', rel)), { recursive: true });
        await fs.writeFile(path.join(d, 'trees', rel), 'x: 1\n');
      });
      const run = await publish(dir, sha);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`has no environments/site-9/environment.ts.`);
      expect(await remoteBranch(BOT)).toBeUndefined();
      expect(gh.requests).toEqual([]);
    });

    it('a forged meta commit (not the run head)', async () => {
      const dir = await hostile((meta) => void (meta.sourceSha = fx.mainSha));
      await expectRefused(
        dir,
        `Refusing the render artifact: it was rendered from ${fx.mainSha.slice(0, 12)}, but this run is for ${sha.slice(0, 12)}.`,
      );
    });

    it('a commit that is not the source branch tip', async () => {
      const dir = await hostile((meta) => void (meta.sourceSha = fx.mainSha));
      await expectRefused(
        dir,
        `Refusing the render artifact: ${fx.mainSha.slice(0, 12)} is not the tip of ${SOURCE} on origin (${sha.slice(0, 12)}).`,
        fx.mainSha,
      );
    });
  });
});
