import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPORT_MARKER } from '@osa-gitops/report';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeReportArtifact } from '../report/artifact.js';
import { startFakeGitHub, type FakeGitHub } from '../test-utils/fake-github.js';
import { BUNDLE, runAction, visibleLog, type ActionRun } from '../test-utils/run-action.js';

const TOKEN = 'ghs_e2eCommentSecret_0123456789abcdef';
const REPO = 'octo/sites';
const HEAD = 'a'.repeat(40);

let gh: FakeGitHub;
let tmp: string;
let reportDir: string;

beforeEach(async () => {
  gh = await startFakeGitHub({ token: TOKEN, repository: REPO, maxPerPage: 2 });
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'osa-comment-')));
  reportDir = path.join(tmp, 'artifact');
  gh.addPull({ number: 7, head: { ref: 'feature', sha: HEAD, repo: { full_name: REPO } } });
  // Other people's comments, so the marker search has to page through them.
  gh.comments.set(
    7,
    Array.from({ length: 5 }, (_, i) => ({
      id: 100 + i,
      body: `human ${i}`,
      user: { login: 'h', type: 'User' },
    })),
  );
});
afterEach(async () => {
  await gh.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function artifact(markdown: string, meta: Partial<{ pullRequest: number; headSha: string }> = {}) {
  await writeReportArtifact(reportDir, {
    markdown,
    data: {},
    meta: { schemaVersion: 1, pullRequest: 7, headSha: HEAD, ok: true, affected: [], ...meta },
  });
}

function comment(
  options: { event?: unknown; inputs?: Record<string, string>; bundle?: string; cwd?: string } = {},
) {
  return runAction({
    cwd: options.cwd ?? tmp,
    tmp,
    bundle: options.bundle,
    event: options.event ?? {
      workflow_run: {
        id: 1,
        event: 'pull_request',
        head_sha: HEAD,
        head_branch: 'feature',
        head_repository: { owner: { login: 'octo' } },
        conclusion: 'success',
      },
    },
    env: {
      PATH: process.env.PATH,
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: REPO,
      GITHUB_EVENT_NAME: 'workflow_run',
    },
    inputs: { mode: 'comment', token: TOKEN, 'report-dir': reportDir, ...options.inputs },
  });
}

function ours(): { id: number; body: string }[] {
  return (gh.comments.get(7) ?? []).filter((c) => c.body.startsWith(REPORT_MARKER));
}

/** The token must not appear anywhere a person or the PR can see. */
function expectNoTokenLeak(run: ActionRun): void {
  expect(visibleLog(run)).not.toContain(TOKEN);
  expect(run.summary).not.toContain(TOKEN);
  for (const c of gh.comments.get(7) ?? []) expect(c.body).not.toContain(TOKEN);
}

describe('comment', () => {
  it('creates the sticky comment once, then edits it in place', async () => {
    await artifact(`${REPORT_MARKER}\n## first report\n`);
    const first = await comment();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.outputs).toMatchObject({ operation: 'created', 'pull-request-number': '7' });
    expect(ours()).toHaveLength(1);

    await artifact(`${REPORT_MARKER}\n## second report\n`);
    const second = await comment();
    expect(second.code).toBe(0);
    expect(second.outputs).toMatchObject({ operation: 'updated', 'comment-id': first.outputs['comment-id'] });
    expect(ours()).toEqual([expect.objectContaining({ body: `${REPORT_MARKER}\n## second report\n` })]);
    expect(gh.comments.get(7)).toHaveLength(6);

    const third = await comment();
    expect(third.outputs.operation).toBe('unchanged');
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(gh.requests.every((r) => r.auth === `token ${TOKEN}`)).toBe(true);
    expect(first.stdout).toContain(`::add-mask::${TOKEN}`);
    expectNoTokenLeak(third);
  });

  it("leaves a user's forged marker comments alone, older and newer than the bot's", async () => {
    const forged = (id: number) => ({
      id,
      body: `${REPORT_MARKER}\nforged: approve this, it is fine`,
      user: { login: 'mallory', type: 'User' },
    });
    gh.comments.get(7)!.push(forged(50));
    await artifact(`${REPORT_MARKER}\n## real report\n`);
    const first = await comment();
    expect(first.code).toBe(0);
    expect(first.outputs.operation).toBe('created');
    gh.comments.get(7)!.push(forged(5000));

    await artifact(`${REPORT_MARKER}\n## second report\n`);
    const second = await comment();
    expect(second.outputs).toMatchObject({ operation: 'updated', 'comment-id': first.outputs['comment-id'] });
    expect(
      gh.comments
        .get(7)!
        .filter((c) => c.user.login === 'mallory' && c.id >= 50)
        .map((c) => c.body),
    ).toEqual([
      `${REPORT_MARKER}\nforged: approve this, it is fine`,
      `${REPORT_MARKER}\nforged: approve this, it is fine`,
    ]);
    expect(
      gh.requests.filter((r) => r.method === 'PATCH' || r.method === 'DELETE').map((r) => r.path),
    ).toEqual([`/repos/octo/sites/issues/comments/${first.outputs['comment-id']}`]);
  });

  it('refuses a report whose commit is not the one the triggering run validated', async () => {
    await artifact('forged', { headSha: 'b'.repeat(40) });
    const run = await comment();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::The report was made for bbbbbbbbbbbb but the triggering run was for aaaaaaaaaaaa',
    );
    expect(gh.requests).toHaveLength(0);
  });

  it('refuses without a workflow_run event: the artifact alone would name the PR and its commit', async () => {
    await artifact(`${REPORT_MARKER}\n## report\n`);
    // As if the mode were run straight from the pull_request workflow: no trusted head commit.
    const run = await comment({
      event: {
        pull_request: {
          number: 7,
          base: { sha: 'b'.repeat(40), ref: 'main' },
          head: { sha: HEAD, ref: 'feature' },
        },
      },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::comment needs the workflow_run event of the validate run');
    expect(run.stdout).toContain('refusing to post.');
    expect(gh.requests).toHaveLength(0);
    expect(ours()).toHaveLength(0);
  });

  it('refuses a triggering run that was not for a pull_request', async () => {
    await artifact(`${REPORT_MARKER}\n## report\n`);
    const run = await comment({
      event: { workflow_run: { id: 1, event: 'push', head_sha: HEAD, conclusion: 'success' } },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::The triggering run was for a "push" event, not a pull_request');
    expect(gh.requests).toHaveLength(0);
  });

  it('does not post to a PR whose head is another commit (a report aimed at someone else)', async () => {
    gh.addPull({ number: 8, head: { ref: 'other', sha: 'c'.repeat(40), repo: { full_name: REPO } } });
    await artifact('aimed at #8', { pullRequest: 8 });
    const run = await comment();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "::error::The report names PR #8, but the run's commit is the head of PR #7; refusing to post it.",
    );
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /repos/octo/sites/pulls']);
    expect(gh.requests[0]!.query).toMatchObject({ state: 'open', head: 'octo:feature' });
  });

  it('skips, without error, a report whose PR has moved on to a newer commit', async () => {
    gh.pulls[0]!.head.sha = 'd'.repeat(40);
    await artifact(`${REPORT_MARKER}\n## old report\n`);
    const run = await comment();
    expect(run.code).toBe(0);
    expect(run.outputs.operation).toBe('skipped');
    expect(run.stdout).toContain(`PR #7 has moved on to ${'d'.repeat(12)}`);
    expect(ours()).toEqual([]);
  });

  it('refuses when a second open PR has the same head (the forged-report attack, issue 16)', async () => {
    // The attacker opens a PR from the victim's head branch into a base whose action writes a
    // report naming the victim's PR #7; both PRs' head is the run's commit.
    gh.addPull({
      number: 9,
      head: { ref: 'feature', sha: HEAD, repo: { full_name: REPO } },
      base: { ref: 'release-with-modified-action' },
    });
    await artifact(`${REPORT_MARKER}\nforged: all green\n`);
    const run = await comment();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::' + 'a'.repeat(12) + ' is the head of 2 open PRs (#7, #9)');
    expect(ours()).toEqual([]);
    expect(gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('posts on a fork PR, found by the fork owner and branch of the run', async () => {
    gh.pulls.splice(0);
    gh.addPull({ number: 7, head: { ref: 'feature', sha: HEAD, repo: { full_name: 'mallory/sites' } } });
    // Same branch name in this repository, at another commit: not this run's PR.
    gh.addPull({ number: 5, head: { ref: 'feature', sha: 'c'.repeat(40), repo: { full_name: REPO } } });
    await artifact(`${REPORT_MARKER}\n## fork report\n`);
    const run = await comment({
      event: {
        workflow_run: {
          id: 1,
          event: 'pull_request',
          head_sha: HEAD,
          head_branch: 'feature',
          head_repository: { owner: { login: 'mallory' } },
          conclusion: 'success',
        },
      },
    });
    expect(run.code).toBe(0);
    expect(run.outputs.operation).toBe('created');
    expect(gh.requests[0]!.query).toMatchObject({ head: 'mallory:feature' });
    expect(ours()).toHaveLength(1);
  });

  it('refuses a workflow_run event without its head branch or repository', async () => {
    await artifact(`${REPORT_MARKER}\n## report\n`);
    const run = await comment({
      event: { workflow_run: { id: 1, event: 'pull_request', head_sha: HEAD, conclusion: 'success' } },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::The workflow_run event names no head branch or head repository');
    expect(gh.requests).toEqual([]);
  });

  it('neutralises a forged marker and caps an oversized report to the budget', async () => {
    const huge = `intro ${REPORT_MARKER} inside\n\`\`\`diff\n${'+ line of a very long diff\n'.repeat(10_000)}`;
    await artifact(huge);
    const run = await comment({ inputs: { budget: '20000' } });
    expect(run.code).toBe(0);
    const [c] = ours();
    expect(c!.body.length).toBeLessThanOrEqual(20_000);
    expect(c!.body.split(REPORT_MARKER)).toHaveLength(2);
    // The cut closed the open fence, so the notice renders as text.
    expect(c!.body).toMatch(/\n```\n\nReport shortened to fit the comment size limit/);
  });

  it('fails with the missing permission named on 403, without leaking the token', async () => {
    await artifact(`report mentioning nothing secret`);
    gh.fail({
      method: 'POST',
      path: /\/issues\/7\/comments$/,
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    const run = await comment();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::GitHub API denied POST /repos/octo/sites/issues/7/comments (403: Resource not accessible by integration). The token needs the "pull-requests: write" permission',
    );
    expectNoTokenLeak(run);
  });

  it("reports GitHub's message on 422", async () => {
    await artifact('x');
    gh.fail({
      method: 'POST',
      path: /\/issues\/7\/comments$/,
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ code: 'custom', field: 'body', message: 'body is too long' }],
      },
    });
    const run = await comment();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('(422 validation failed: Validation Failed; body is too long)');
    expectNoTokenLeak(run);
  });

  // The bundle waits GitHub's real backoff (1 s before the first retry); giving up after the
  // retry budget is covered by the client's own spec, where waits are scaled down.
  it('retries 5xx and succeeds', async () => {
    await artifact('x');
    gh.fail({ method: 'GET', path: /\/issues\/7\/comments$/, status: 502 });
    const ok = await comment();
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(
      'GitHub API GET /repos/octo/sites/issues/7/comments: 502; retrying (attempt 2).',
    );
    expectNoTokenLeak(ok);
  });

  it('runs from the bundle alone (the comment job installs nothing)', async () => {
    const isolated = path.join(tmp, 'isolated');
    await fs.mkdir(isolated);
    await fs.writeFile(path.join(isolated, 'package.json'), '{"type":"module"}\n');
    await fs.copyFile(BUNDLE, path.join(isolated, 'index.js'));
    await artifact(`${REPORT_MARKER}\nfrom an isolated bundle\n`);
    const run = await comment({ bundle: path.join(isolated, 'index.js'), cwd: isolated });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.operation).toBe('created');
  });

  it('explains a missing artifact', async () => {
    const run = await comment();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::The report artifact has no meta.json (looked in ${reportDir}).`);
  });
});
