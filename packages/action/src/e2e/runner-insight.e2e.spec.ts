import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { toRenderedTree } from '@osa-gitops/core';
import { driftIssueMarker, driftToJson, judgeDrift } from '@osa-gitops/report';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PREVIEW_MARKER } from '../modes/preview-comment.js';
import { writeReportArtifact } from '../report/artifact.js';
import { startFakeGitHub, type FakeGitHub } from '../test-utils/fake-github.js';
import { runAction, visibleLog } from '../test-utils/run-action.js';

/**
 * The runner-side workflows' GitHub halves (drift.yml's issues job, preview.yml's plan and
 * comment jobs), as the bundled action in a child process against the GitHub stand-in.
 */
const TOKEN = 'ghs_e2eRunnerInsight_0123456789abcdef';
const REPO = 'octo/sites';
const HEAD = 'c'.repeat(40);
const REPO_ROOT = path.resolve(__dirname, '../../../..');

let gh: FakeGitHub;
let tmp: string;
beforeEach(async () => {
  gh = await startFakeGitHub({ token: TOKEN, repository: REPO, maxPerPage: 2 });
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'osa-runner-insight-')));
});
afterEach(async () => {
  await gh.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

function action(inputs: Record<string, string>, event?: unknown, cwd = tmp) {
  return runAction({
    cwd,
    tmp,
    event: event ?? {
      workflow_run: {
        id: 9,
        event: 'pull_request',
        head_sha: HEAD,
        conclusion: 'success',
        head_branch: 'feature',
        head_repository: { full_name: REPO, owner: { login: 'octo' } },
      },
    },
    env: {
      PATH: process.env.PATH,
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: REPO,
      GITHUB_EVENT_NAME: 'workflow_run',
    },
    inputs: { token: TOKEN, ...inputs },
  });
}

const tree = toRenderedTree([['openstack_user_config.yml', 'a: 1\n']]);
async function driftReport(site: string, edited: boolean): Promise<void> {
  const live = new Map<string, string | null>(tree);
  if (edited) live.set('openstack_user_config.yml', 'a: 2\n');
  const r = judgeDrift({
    site,
    configDir: '/etc/openstack_deploy',
    deployed: { commit: HEAD, deployedAt: '2026-12-01T00:00:00.000Z' },
    deployedTree: tree,
    live,
    shadowing: [],
    head: { commit: HEAD, label: 'main', tree },
  });
  await fs.mkdir(path.join(tmp, 'drift'), { recursive: true });
  await fs.writeFile(path.join(tmp, 'drift', `${site}.json`), JSON.stringify(driftToJson(r)));
}

describe('drift-issues', () => {
  it('opens one issue per drifting site, updates it in place, closes it when the drift is gone', async () => {
    await driftReport('dc-a', true);
    await driftReport('dc-b', false);
    const first = await action({ mode: 'drift-issues', 'drift-dir': path.join(tmp, 'drift') });
    expect(first.code, visibleLog(first)).toBe(0);
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]).toMatchObject({ state: 'open', labels: [{ name: 'osa-gitops-drift' }] });
    expect(gh.issues[0]!.body.startsWith(driftIssueMarker('dc-a'))).toBe(true);
    expect(first.outputs.drifting).toBe('["dc-a"]');

    // Someone else's issue with our marker is never ours to edit.
    gh.issues.push({ ...gh.issues[0]!, number: 500, user: { login: 'mallory', type: 'User' } });
    const again = await action({ mode: 'drift-issues', 'drift-dir': path.join(tmp, 'drift') });
    expect(again.code).toBe(0);
    expect(gh.issues.filter((i) => i.state === 'open')).toHaveLength(2);
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toEqual([]);

    await driftReport('dc-a', false);
    const fixed = await action({ mode: 'drift-issues', 'drift-dir': path.join(tmp, 'drift') });
    expect(fixed.code).toBe(0);
    const ours = gh.issues.find((i) => i.user.login === 'github-actions[bot]')!;
    expect(ours).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(gh.comments.get(ours.number)?.[0]?.body).toContain('No drift on dc-a any more');
    expect(gh.issues.find((i) => i.number === 500)!.state).toBe('open');
    expect(visibleLog(fixed)).not.toContain(TOKEN);
  });

  it('refuses a report whose file name is not its site, and one that is not a drift report', async () => {
    await driftReport('dc-a', true);
    await fs.rename(path.join(tmp, 'drift', 'dc-a.json'), path.join(tmp, 'drift', 'dc-b.json'));
    const r = await action({ mode: 'drift-issues', 'drift-dir': path.join(tmp, 'drift') });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('is for site dc-a');
    await fs.writeFile(path.join(tmp, 'drift', 'dc-b.json'), '{"schemaVersion": 1, "site": "dc-b"}');
    expect((await action({ mode: 'drift-issues', 'drift-dir': path.join(tmp, 'drift') })).code).toBe(1);
    expect(gh.issues).toEqual([]);
  });
});

describe('preview-plan and preview-comment', () => {
  async function report(meta: Partial<{ pullRequest: number; headSha: string; affected: string[] }> = {}) {
    await writeReportArtifact(path.join(tmp, 'report'), {
      markdown: '# report\n',
      data: {},
      meta: {
        schemaVersion: 1,
        pullRequest: 7,
        headSha: HEAD,
        ok: true,
        affected: ['guide-lab', 'new-site'],
        ...meta,
      },
    });
  }

  it("plans the affected sites the default branch defines, on their definitions' runners", async () => {
    gh.addPull({ number: 7, head: { ref: 'feature', sha: HEAD, repo: { full_name: REPO } } });
    await report();
    const r = await action({
      mode: 'preview-plan',
      'report-dir': path.join(tmp, 'report'),
      'working-directory': REPO_ROOT,
    });
    expect(r.code, visibleLog(r)).toBe(0);
    expect(r.stdout).toContain('new-site is not on the default branch yet');
    // guide-lab is planned, but this checkout has no origin serving refs/pull/7/head: without the
    // PR's trees there is nothing to preview, and the notice says why. The whole path, with a git
    // server and the site runners, is in workflows-as-run.e2e.spec.ts.
    expect(r.outputs['has-sites']).toBe('false');
    expect(r.stdout).toMatch(/the head of PR #7 could not be fetched from refs\/pull\/7\/head/);
  }, 120_000);

  it('previews nothing when two open PRs share the head, and refuses a report for another PR', async () => {
    gh.addPull({ number: 7, head: { ref: 'feature', sha: HEAD, repo: { full_name: REPO } } });
    gh.addPull({
      number: 8,
      head: { ref: 'feature', sha: HEAD, repo: { full_name: REPO } },
      base: { ref: 'evil' },
    });
    await report();
    const two = await action({
      mode: 'preview-plan',
      'report-dir': path.join(tmp, 'report'),
      'working-directory': REPO_ROOT,
    });
    expect(two.code).toBe(0);
    expect(two.outputs['has-sites']).toBe('false');
    expect(two.stdout).toContain('refusing to pick one');

    gh.pulls.splice(1, 1);
    await report({ pullRequest: 9 });
    const other = await action({
      mode: 'preview-plan',
      'report-dir': path.join(tmp, 'report'),
      'working-directory': REPO_ROOT,
    });
    expect(other.code).toBe(1);
  });

  it("posts the runners' previews as one sticky comment, only on the PR that still has that head", async () => {
    gh.addPull({ number: 7, head: { ref: 'feature', sha: HEAD, repo: { full_name: REPO } } });
    await fs.mkdir(path.join(tmp, 'preview'));
    await fs.writeFile(
      path.join(tmp, 'preview', 'guide-lab.md'),
      `#### Allocation preview: guide-lab\n\n${PREVIEW_MARKER}\n| added |\n`,
    );
    await fs.writeFile(path.join(tmp, 'preview', 'not a site.md'), 'ignored\n');
    const inputs = { mode: 'preview-comment', 'preview-dir': path.join(tmp, 'preview'), 'pr-number': '7' };
    const first = await action(inputs);
    expect(first.code, visibleLog(first)).toBe(0);
    const posted = gh.comments.get(7)!;
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body.startsWith(PREVIEW_MARKER)).toBe(true);
    expect(posted[0]!.body.split(PREVIEW_MARKER)).toHaveLength(2); // the forged marker is gone
    expect(posted[0]!.body).toContain('Allocation preview: guide-lab');
    expect(posted[0]!.body).not.toContain('ignored');
    expect((await action(inputs)).outputs.operation).toBe('unchanged');

    const wrong = await action({ ...inputs, 'pr-number': '8' });
    expect(wrong.code).toBe(0);
    expect(wrong.outputs.operation).toBe('skipped');
    expect(gh.comments.get(8)).toBeUndefined();
  });
});
