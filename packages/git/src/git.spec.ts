import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Git, GitCommandError, UnknownRefError } from './index';

const TOKEN = 'ghs_gitPackageSpecToken_0123456789';

let tmp: string;
let repo: string;
let first: string;

/** Plain git in `dir`, isolated from the machine's config by HOME (the fixture's own). */
function sh(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: gitEnv() });
}
function gitEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: tmp, GIT_CONFIG_NOSYSTEM: '1' };
}

beforeEach(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'osa-gitops-git-')));
  // simple-git strips GIT_CONFIG_GLOBAL from its children, so HOME is what isolates the config.
  vi.stubEnv('HOME', tmp);
  await fs.writeFile(path.join(tmp, '.gitconfig'), '[user]\n\tname = fixture\n\temail = f@example.com\n');
  repo = path.join(tmp, 'repo');
  await fs.mkdir(path.join(repo, 'sub'), { recursive: true });
  sh(repo, 'init', '-q', '-b', 'main');
  await fs.writeFile(path.join(repo, 'a.txt'), 'a\n');
  sh(repo, 'add', '.');
  sh(repo, 'commit', '-q', '-m', 'first');
  first = sh(repo, 'rev-parse', 'HEAD').trim();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('Git', () => {
  it('opens the top level of the work tree that holds a directory, and refuses one outside any', async () => {
    expect((await Git.open(path.join(repo, 'sub'))).dir).toBe(repo);
    const outside = path.join(tmp, 'plain');
    await fs.mkdir(outside);
    await expect(Git.open(outside)).rejects.toThrow(`${outside} is not inside a git work tree`);
  });

  it('resolves refs to commits; unknown refs and option-like refs are UnknownRefError', async () => {
    const git = Git.at(repo);
    expect(await git.resolveCommit('main')).toBe(first);
    expect(await git.resolveCommit('HEAD')).toBe(first);
    for (const ref of ['no-such-ref', '--output=/tmp/x', 'HEAD~5']) {
      await expect(git.resolveCommit(ref)).rejects.toBeInstanceOf(UnknownRefError);
    }
    expect(await git.hasCommit(first)).toBe(true);
    expect(await git.hasCommit('0'.repeat(40))).toBe(false);
  });

  it('throws GitCommandError naming the verb, and logs every command', async () => {
    const seen: string[] = [];
    const git = Git.at(repo, { log: (c) => seen.push(c) });
    const err = await git.run(['cat-file', '-p', 'nope']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitCommandError);
    expect((err as Error).message).toMatch(/^git cat-file failed: fatal: /);
    expect(seen).toEqual(['git cat-file -p nope']);
  });

  it('commits as the given identity for that one command, leaving .git/config alone', async () => {
    const git = Git.at(repo);
    const before = await fs.readFile(path.join(repo, '.git', 'config'), 'utf8');
    await fs.writeFile(path.join(repo, 'b.txt'), 'b\n');
    await git.run(['add', 'b.txt']);
    await git.run(['commit', '-q', '-m', 'as bot'], { identity: { name: 'bot', email: 'bot@example.com' } });
    expect(sh(repo, 'log', '-1', '--format=%an <%ae>').trim()).toBe('bot <bot@example.com>');
    expect(await fs.readFile(path.join(repo, '.git', 'config'), 'utf8')).toBe(before);
    expect(await git.changedPaths(first, 'HEAD')).toEqual(['b.txt']);
  });

  it('hands the token to that one command as environment config, never to .git/config or argv', async () => {
    const seen: string[] = [];
    const git = Git.at(repo, { log: (c) => seen.push(c) });
    sh(repo, 'remote', 'add', 'origin', 'https://git.example/octo/sites.git');
    const scoped = await git.run(['config', '--get-all', 'http.https://git.example/.extraheader'], {
      token: TOKEN,
    });
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    // The empty first value resets a header actions/checkout may have persisted.
    expect(scoped.split('\n')).toEqual(['', `AUTHORIZATION: basic ${basic}`, '']);
    // Without the token the key is unset (git exits 1 silently, simple-git resolves with '').
    expect(await git.run(['config', '--get-all', 'http.https://git.example/.extraheader'])).toBe('');
    expect(await fs.readFile(path.join(repo, '.git', 'config'), 'utf8')).not.toContain(basic);
    expect(seen.join('\n')).not.toContain(TOKEN);
    expect(seen.join('\n')).not.toContain(basic);
  });

  it('redacts the token from a failing command', async () => {
    const err: unknown = await Git.at(repo)
      .run(['show', TOKEN], { token: TOKEN })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitCommandError);
    expect((err as Error).message).toContain('***');
    expect((err as Error).message).not.toContain(TOKEN);
  });

  it('stages into another index file without touching the checkout index', async () => {
    const git = Git.at(repo);
    const index = path.join(tmp, 'other-index');
    await fs.writeFile(path.join(repo, 'c.txt'), 'c\n');
    await git.run(['read-tree', 'HEAD'], { indexFile: index });
    await git.run(['add', 'c.txt'], { indexFile: index });
    expect(await git.run(['ls-files'], { indexFile: index })).toBe('a.txt\nc.txt\n');
    expect(await git.run(['ls-files'])).toBe('a.txt\n');
    expect(await git.dirtyPaths()).toEqual(['c.txt']);
  });

  it('reads several blobs back to back with one show', async () => {
    await fs.writeFile(path.join(repo, 'sub', 'd.txt'), 'dd\n');
    sh(repo, 'add', '.');
    sh(repo, 'commit', '-q', '-m', 'd');
    const buf = await Git.at(repo).showBuffer(['HEAD:a.txt', 'HEAD:sub/d.txt']);
    expect(buf.toString('utf8')).toBe('a\ndd\n');
  });
});
