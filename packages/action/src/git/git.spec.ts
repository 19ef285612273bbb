import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createGitFixture,
  startGitHttpServer,
  type GitFixture,
  type GitHttpServer,
} from '../test-utils/git-fixture.js';
import { commitRenderedTrees, deleteBotBranch, pushBotBranch, resetBotBranch } from './bot-branch.js';
import { Git } from '@osa-gitops/git';

const TOKEN = 'ghs_gitSpecToken_abcdefghijklmnop';
const BOT = { name: 'osa-gitops-bot', email: 'bot@example.com' };
const owns = (p: string): boolean => /^environments\/[^/]+\/openstack_deploy\//.test(p);

let fx: GitFixture;
let httpGit: GitHttpServer;
let base: string;
let head: string;

beforeEach(async () => {
  fx = await createGitFixture();
  // simple-git strips GIT_CONFIG_GLOBAL from its children, so HOME is what isolates the config.
  vi.stubEnv('HOME', fx.env.HOME!);
  await fx.write({ 'environments/a/environment.ts': 'a1\n', 'README.md': 'x\n' });
  base = await fx.commit('base');
  await fx.push('HEAD:refs/heads/main');
  await fx.write({ 'environments/a/environment.ts': 'a2\n' });
  head = await fx.commit('change a');
  await fx.push('HEAD:refs/heads/feature');
  httpGit = await startGitHttpServer(fx, TOKEN);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await httpGit.close();
  await fx.cleanup();
});

describe('Git', () => {
  it('fetches a missing base commit into a depth-1 clone and lists changed paths', async () => {
    const dir = await fx.checkout('work', 'refs/heads/feature', { remoteUrl: `${httpGit.url}/origin.git` });
    const git = await Git.open(path.join(dir));
    expect(await git.hasCommit(base)).toBe(false);
    await git.ensureCommit(base);
    expect(await git.changedPaths(base, head)).toEqual(['environments/a/environment.ts']);
    await expect(git.ensureCommit('0'.repeat(40))).rejects.toThrow(/git fetch failed/);
  });

  it('pushes the bot branch with a command-scoped token that never lands in .git/config', async () => {
    const dir = await fx.checkout('work', 'refs/heads/feature', { remoteUrl: `${httpGit.url}/origin.git` });
    const git = await Git.open(dir);
    await resetBotBranch(git, 'osa-gitops/render/feature', head);
    await fs.mkdir(path.join(dir, 'environments/a/openstack_deploy'), { recursive: true });
    await fs.writeFile(path.join(dir, 'environments/a/openstack_deploy/x.yml'), 'x: 1\n');
    await fs.writeFile(path.join(dir, 'stray.txt'), 'not ours\n');
    const commit = await commitRenderedTrees(git, {
      branch: 'b',
      startPoint: head,
      owns,
      message: 'render',
      identity: BOT,
    });
    expect(commit?.files).toEqual(['environments/a/openstack_deploy/x.yml']);

    await pushBotBranch(git, 'osa-gitops/render/feature', TOKEN);
    const basic = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
    expect(httpGit.auth.filter((a) => a?.toLowerCase() === basic.toLowerCase()).length).toBeGreaterThan(0);
    expect(await fx.git(fx.origin, 'rev-parse', 'refs/heads/osa-gitops/render/feature')).toContain(
      commit!.sha,
    );
    expect(await fx.git(fx.origin, 'log', '-1', '--format=%an <%ae>', 'osa-gitops/render/feature')).toBe(
      'osa-gitops-bot <bot@example.com>\n',
    );
    const config = await fs.readFile(path.join(dir, '.git/config'), 'utf8');
    expect(config).not.toContain(TOKEN);
    expect(config).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));

    expect(await deleteBotBranch(git, 'osa-gitops/render/feature', TOKEN)).toBe(true);
    expect(await deleteBotBranch(git, 'osa-gitops/render/feature', TOKEN)).toBe(false);
  });

  it('returns undefined when the render changed nothing it owns', async () => {
    const dir = await fx.checkout('work', 'refs/heads/feature');
    const git = await Git.open(dir);
    await fs.writeFile(path.join(dir, 'stray.txt'), 'not ours\n');
    expect(
      await commitRenderedTrees(git, { branch: 'b', startPoint: head, owns, message: 'm', identity: BOT }),
    ).toBeUndefined();
  });

  it('fails a push with a wrong token without echoing it', async () => {
    const dir = await fx.checkout('work', 'refs/heads/feature', { remoteUrl: `${httpGit.url}/origin.git` });
    const git = await Git.open(dir);
    const wrong = 'ghs_wrongToken_zzzzzzzzzzzzzz';
    const err = await pushBotBranch(git, 'osa-gitops/render/feature', wrong).then(
      () => new Error('push unexpectedly succeeded'),
      (e: Error) => e,
    );
    expect(err.message).toMatch(/git push failed/);
    expect(err.message).not.toContain(wrong);
  });
});
