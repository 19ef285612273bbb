import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../test-utils/fake-github.js';
import { GitHubApiError } from './api-error.js';
import { GitHubClient } from './client.js';
import { closePullRequest, createOrUpdatePullRequest } from './pull-request.js';
import { upsertStickyComment } from './sticky-comment.js';

const TOKEN = 'ghs_clientSpecToken0123456789';
const REPO = 'octo/sites';
const MARKER = '<!-- test-marker -->';
const BOT = 'github-actions[bot]';

let gh: FakeGitHub;
let client: GitHubClient;
const logs: string[] = [];

beforeEach(async () => {
  gh = await startFakeGitHub({ token: TOKEN, repository: REPO, maxPerPage: 2 });
  logs.length = 0;
  // Waits scaled from seconds to milliseconds and no write pacing, so retries run at test speed.
  client = new GitHubClient({
    token: TOKEN,
    baseUrl: gh.url,
    repository: REPO,
    retryBaseMs: 1,
    pacing: { writeMs: 0, notificationMs: 0 },
    log: (m) => logs.push(m),
  });
});
afterEach(() => gh.close());

describe('GitHubClient', () => {
  it('follows Link pagination and sends the token in the Authorization header', async () => {
    gh.comments.set(
      7,
      Array.from({ length: 5 }, (_, i) => ({ id: i + 1, body: `c${i}`, user: { login: 'u', type: 'User' } })),
    );
    const all = await client.paginate<{ id: number }>(client.repoPath('/issues/7/comments'));
    expect(all.map((c) => c.id)).toEqual([1, 2, 3, 4, 5]);
    expect(gh.requests).toHaveLength(3);
    expect(gh.requests.every((r) => r.auth === `token ${TOKEN}`)).toBe(true);
  });

  it('keeps a GHES path prefix in the base URL', async () => {
    const ghes = new GitHubClient({ token: TOKEN, baseUrl: `${gh.url}/api/v3`, repository: REPO });
    await expect(ghes.request('GET', ghes.repoPath('/pulls/1'))).rejects.toThrow(/404/);
    expect(gh.requests[0]?.path).toBe('/api/v3/repos/octo/sites/pulls/1');
  });

  it('names the missing permission on 403 and never echoes the token', async () => {
    gh.fail({
      path: /comments$/,
      method: 'POST',
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    const err = await upsertStickyComment(client, {
      issueNumber: 3,
      marker: MARKER,
      author: BOT,
      body: 'x',
    }).catch((e) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect(err.status).toBe(403);
    expect(err.message).toContain('Resource not accessible by integration');
    expect(err.message).toContain('"pull-requests: write"');
    expect(err.message).not.toContain(TOKEN);
  });

  it("includes GitHub's validation message on 422", async () => {
    gh.fail({
      path: /\/pulls$/,
      method: 'POST',
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ resource: 'PullRequest', code: 'invalid', field: 'head' }],
      },
    });
    await expect(createOrUpdatePullRequest(client, 'bot', 'main', { title: 't', body: 'b' })).rejects.toThrow(
      /POST \/repos\/octo\/sites\/pulls \(422 validation failed: Validation Failed; invalid \(head\)\)/,
    );
  });

  it('retries 5xx', async () => {
    gh.fail({ path: /\/pulls\/1$/, status: 502, times: 2 });
    gh.addPull({ number: 1, head: { ref: 'b', sha: 'abc', repo: { full_name: REPO } } });
    const pr = await client.request<{ number: number }>('GET', client.repoPath('/pulls/1'));
    expect(pr.number).toBe(1);
    expect(gh.requests).toHaveLength(3);
    expect(logs).toEqual([
      'GitHub API GET /repos/octo/sites/pulls/1: 502; retrying (attempt 2).',
      'GitHub API GET /repos/octo/sites/pulls/1: 502; retrying (attempt 3).',
    ]);
  });

  it('gives up after the retry budget with a clear 5xx message', async () => {
    gh.fail({ path: /\/pulls\/1$/, status: 503, times: 10, body: { message: 'Service Unavailable' } });
    await expect(client.request('GET', client.repoPath('/pulls/1'))).rejects.toThrow(
      'GitHub API GET /repos/octo/sites/pulls/1 failed with 503: Service Unavailable after 4 attempt(s)',
    );
    expect(gh.requests).toHaveLength(4);
  });

  it('waits out a secondary rate limit, then reports it if it persists', async () => {
    gh.addPull({ number: 1, head: { ref: 'b', sha: 'abc', repo: { full_name: REPO } } });
    gh.fail({
      path: /\/pulls\/1$/,
      status: 403,
      headers: { 'retry-after': '3' },
      body: { message: 'You have exceeded a secondary rate limit' },
    });
    await expect(client.request('GET', client.repoPath('/pulls/1'))).resolves.toMatchObject({ number: 1 });
    expect(logs).toEqual([
      'GitHub API secondary rate limit on GET /repos/octo/sites/pulls/1; retrying in 3 ms (attempt 2).',
      'GitHub API GET /repos/octo/sites/pulls/1: 403; retrying (attempt 2).',
    ]);
    gh.fail({ path: /\/pulls\/1$/, status: 429, times: 9, headers: { 'retry-after': '1' } });
    await expect(client.request('GET', client.repoPath('/pulls/1'))).rejects.toThrow(
      'GitHub API rate limit hit on GET /repos/octo/sites/pulls/1 (429: injected 429) after 4 attempt(s). Re-run the job later.',
    );
  });

  it('waits for the primary rate limit to reset, then stops after the retry budget', async () => {
    gh.addPull({ number: 1, head: { ref: 'b', sha: 'abc', repo: { full_name: REPO } } });
    const exhausted = {
      path: /\/pulls\/1$/,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) },
      body: { message: 'API rate limit exceeded for installation' },
    };
    gh.fail(exhausted);
    await expect(client.request('GET', client.repoPath('/pulls/1'))).resolves.toMatchObject({ number: 1 });
    expect(gh.requests).toHaveLength(2);
    gh.fail({ ...exhausted, times: 9 });
    await expect(client.request('GET', client.repoPath('/pulls/1'))).rejects.toThrow(
      'GitHub API rate limit hit on GET /repos/octo/sites/pulls/1 (403: API rate limit exceeded for installation) after 4 attempt(s). Re-run the job later.',
    );
    expect(logs.at(-1)).toBe('GitHub API rate limit on GET /repos/octo/sites/pulls/1.');
  });

  it('sends JSON bodies and the API version header', async () => {
    await client.request('POST', client.repoPath('/issues/4/comments'), { body: { body: 'hi' } });
    expect(gh.requests[0]).toMatchObject({ method: 'POST', body: { body: 'hi' } });
    expect(gh.comments.get(4)?.[0]?.body).toBe('hi');
  });

  it('does not retry 4xx', async () => {
    await expect(client.request('GET', client.repoPath('/pulls/99'))).rejects.toThrow(/not found \(404/);
    expect(gh.requests).toHaveLength(1);
  });

  it('reports an unreachable API after retrying', async () => {
    await gh.close();
    await expect(client.request('GET', client.repoPath('/pulls/1'))).rejects.toThrow(
      /Could not reach the GitHub API at http:\/\/127\.0\.0\.1:\d+ for GET \/repos\/octo\/sites\/pulls\/1 after 4 attempt\(s\): ECONNREFUSED/,
    );
    expect(logs[0]).toBe('GitHub API GET /repos/octo/sites/pulls/1: ECONNREFUSED; retrying (attempt 2).');
    gh = await startFakeGitHub({ token: TOKEN, repository: REPO });
  });

  it('refuses to follow a next-page link to another host', async () => {
    gh.fail({
      path: /comments$/,
      status: 200,
      body: [],
      headers: { link: '<https://evil.example/x?page=2>; rel="next"' },
    });
    await expect(client.paginate(client.repoPath('/issues/1/comments'))).rejects.toThrow(
      /refusing to follow/,
    );
  });
});

describe('upsertStickyComment', () => {
  it('creates once, then edits in place, and deletes duplicates', async () => {
    const first = await upsertStickyComment(client, {
      issueNumber: 5,
      marker: MARKER,
      author: BOT,
      body: 'one',
    });
    expect(first.operation).toBe('created');
    const second = await upsertStickyComment(client, {
      issueNumber: 5,
      marker: MARKER,
      author: BOT,
      body: 'two',
    });
    expect(second).toMatchObject({ operation: 'updated', id: first.id });
    const third = await upsertStickyComment(client, {
      issueNumber: 5,
      marker: MARKER,
      author: BOT,
      body: 'two',
    });
    expect(third.operation).toBe('unchanged');
    expect(gh.comments.get(5)).toEqual([expect.objectContaining({ id: first.id, body: `${MARKER}\ntwo` })]);

    // A duplicate from an older run and a human reply quoting the marker.
    gh.comments
      .get(5)!
      .push(
        { id: 5000, body: `${MARKER}\nold`, user: { login: BOT, type: 'Bot' } },
        { id: 5001, body: `> ${MARKER}\nquoted`, user: { login: 'human', type: 'User' } },
      );
    const fourth = await upsertStickyComment(client, {
      issueNumber: 5,
      marker: MARKER,
      author: BOT,
      body: 'three',
    });
    expect(fourth).toMatchObject({ operation: 'updated', id: first.id, deleted: [5000] });
    expect(gh.comments.get(5)!.map((c) => c.id)).toEqual([first.id, 5001]);
  });

  it('ignores marker comments by anyone but the bot identity, older or newer than ours', async () => {
    const forged = (id: number, login: string, type = 'User') => ({
      id,
      body: `${MARKER}\nforged by ${login}`,
      user: { login, type },
    });
    // Before the bot ever commented: a user plants the marker. The bot must not adopt it.
    gh.comments.set(6, [forged(10, 'mallory')]);
    const created = await upsertStickyComment(client, {
      issueNumber: 6,
      marker: MARKER,
      author: BOT,
      body: 'real',
    });
    expect(created.operation).toBe('created');
    expect(created.id).not.toBe(10);
    // After: a newer forged comment, one by another bot, and one claiming the bot's login as a User.
    gh.comments
      .get(6)!
      .push(forged(9000, 'mallory'), forged(9001, 'other-app[bot]', 'Bot'), forged(9002, BOT, 'User'));
    const updated = await upsertStickyComment(client, {
      issueNumber: 6,
      marker: MARKER,
      author: BOT,
      body: 'next',
    });
    expect(updated).toMatchObject({ operation: 'updated', id: created.id, deleted: [] });
    expect(gh.comments.get(6)!.map((c) => [c.id, c.body])).toEqual([
      [10, `${MARKER}\nforged by mallory`],
      [created.id, `${MARKER}\nnext`],
      [9000, `${MARKER}\nforged by mallory`],
      [9001, `${MARKER}\nforged by other-app[bot]`],
      [9002, `${MARKER}\nforged by ${BOT}`],
    ]);
    const touched = gh.requests
      .filter((r) => r.method === 'PATCH' || r.method === 'DELETE')
      .map((r) => r.path);
    expect(touched).toEqual([`/repos/octo/sites/issues/comments/${created.id}`]);

    // A custom author (an App's bot login) is honoured the same way.
    const app = await upsertStickyComment(client, {
      issueNumber: 6,
      marker: MARKER,
      author: 'other-app[bot]',
      body: 'app',
    });
    expect(app).toMatchObject({ operation: 'updated', id: 9001 });
  });
});

describe('pull requests', () => {
  it('creates, then updates the PR found by head branch; closes it', async () => {
    const a = await createOrUpdatePullRequest(client, 'osa-gitops/render/f', 'f', {
      title: 'T1',
      body: 'B1',
    });
    expect(a.operation).toBe('created');
    const b = await createOrUpdatePullRequest(client, 'osa-gitops/render/f', 'f', {
      title: 'T2',
      body: 'B2',
    });
    expect(b).toMatchObject({
      operation: 'updated',
      pullRequest: { number: a.pullRequest.number, title: 'T2' },
    });
    expect(gh.pulls).toHaveLength(1);
    const listed = gh.requests.find((r) => r.method === 'GET' && r.path.endsWith('/pulls'));
    expect(listed?.query).toMatchObject({ state: 'open', head: 'octo:osa-gitops/render/f', base: 'f' });
    const closed = await closePullRequest(client, 'osa-gitops/render/f', 'f', 'nothing left');
    expect(closed?.state).toBe('closed');
    expect(await closePullRequest(client, 'osa-gitops/render/f', 'f', 'again')).toBeUndefined();
  });
});
