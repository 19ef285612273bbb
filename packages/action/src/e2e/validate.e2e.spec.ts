import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { REPORT_MARKER } from '@osa-gitops/report';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub } from '../test-utils/fake-github.js';
import { openPullRequest } from '../test-utils/pull-request-fixture.js';
import { runAction } from '../test-utils/run-action.js';
import {
  createWorkspaceFixture,
  sharedSource,
  siteSource,
  type WorkspaceFixture,
} from '../test-utils/workspace-fixture.js';

let fx: WorkspaceFixture;

beforeEach(async () => {
  fx = await createWorkspaceFixture(2);
});
afterEach(() => fx.cleanup());

async function validate(checkout: string, event: unknown, inputs: Record<string, string> = {}) {
  const reportDir = path.join(fx.root, `report-${path.basename(checkout)}`);
  const run = await runAction({
    cwd: checkout,
    tmp: fx.root,
    event,
    env: {
      ...fx.env,
      GITHUB_REPOSITORY: 'octo/sites',
      GITHUB_RUN_ID: '42',
      GITHUB_EVENT_NAME: 'pull_request',
    },
    // No token: validate must work with nothing but the checkout (fork PRs).
    inputs: { mode: 'validate', 'report-dir': reportDir, ...inputs },
  });
  const read = (f: string) => fs.readFile(path.join(reportDir, f), 'utf8');
  return { run, reportDir, read };
}

describe('validate', () => {
  it('passes a change whose trees were re-rendered, and hands the report over as files', async () => {
    const pr = await openPullRequest(fx, 7, async () => {
      await fx.write({
        'environments/site-1/environment.ts': siteSource('site-1', 1, { externalVipHost: 11 }),
      });
      await fx.render();
    });
    const { run, read } = await validate(pr.checkout, pr.event);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ ok: 'true', sites: '["site-1"]', 'deploy-sites': '["site-1"]' });

    const markdown = await read('report.md');
    expect(markdown.startsWith(`${REPORT_MARKER}\n## ✅ osa-gitops: validation passed`)).toBe(true);
    expect(markdown).toContain('172.16.1.11');
    expect(markdown).toContain('https://github.com/octo/sites/actions/runs/42');
    expect(JSON.parse(await read('meta.json'))).toEqual({
      schemaVersion: 1,
      pullRequest: 7,
      headSha: pr.headSha,
      ok: true,
      affected: ['site-1'],
    });
    expect(JSON.parse(await read('report.json'))).toMatchObject({
      schemaVersion: 1,
      plan: { deploy: [{ site: 'site-1', runnerLabel: 'osa-deploy-site-1' }] },
    });
    expect(run.summary).toContain('validation passed');
  });

  it('fails on a stale committed tree and annotates the stale file', async () => {
    const pr = await openPullRequest(fx, 8, async () => {
      await fx.write({
        'environments/site-2/environment.ts': siteSource('site-2', 2, { externalVipHost: 12 }),
      });
    });
    const { run, read } = await validate(pr.checkout, pr.event);
    expect(run.code).toBe(1);
    expect(run.outputs.ok).toBe('false');
    expect(run.stdout).toMatch(
      /::error title=osa-gitops stale rendered tree \(site-2\),file=environments\/site-2\/openstack_deploy\/[^:]+::The committed file is changed/,
    );
    expect(run.stdout).toContain('::error::osa-gitops validate failed: 0 error(s), ');
    const markdown = await read('report.md');
    expect(markdown).toContain('## ❌ osa-gitops: validation failed');
    expect(markdown).toContain('### Stale rendered trees');
    expect(markdown).toContain('node packages/cli/bin/osa-gitops.cjs render');
    // The plan below the verdict reads committed trees; it says they are stale, not "nothing deploys".
    expect(markdown).toContain(
      "> [!CAUTION]\n> STALE: 1 site's committed tree does not follow its definition.",
    );
    expect(markdown).toContain('- site-2: its definition renders differently from its committed tree');
    expect(markdown).not.toContain('No rendered tree changed: nothing deploys.');
    expect(JSON.parse(await read('report.json')).stale).toEqual([
      { site: 'site-2', evidence: 'render', files: expect.any(Array) },
    ]);
  });

  it('annotates definition errors on the definition file', async () => {
    const pr = await openPullRequest(fx, 9, async () => {
      await fx.write({
        'environments/site-1/environment.ts': siteSource('site-1', 1, { externalVip: '192.0.2.77' }),
      });
    });
    const { run, read } = await validate(pr.checkout, pr.event);
    expect(run.code).toBe(1);
    const annotation = run.stdout.match(
      /::error title=osa-gitops VIP_OUTSIDE_NETWORK \(site-1\),file=environments\/site-1\/environment\.ts,line=(\d+),col=(\d+)::haproxy\.vips\.external: /,
    );
    expect(annotation).not.toBeNull();
    // On the line and column of the `external` key in the definition.
    const source = siteSource('site-1', 1, { externalVip: '192.0.2.77' }).split('\n');
    const line = source[Number(annotation![1]) - 1]!;
    expect(line.slice(Number(annotation![2]) - 1)).toMatch(/^external\b/);
    expect(await read('report.md')).toContain('`VIP_OUTSIDE_NETWORK`');
  });

  it('says "nothing to deploy" when no site is touched', async () => {
    const pr = await openPullRequest(fx, 10, async () => {
      await fx.write({ 'README.md': '# fixture, reworded\n' });
    });
    const { run, read } = await validate(pr.checkout, pr.event);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ ok: 'true', sites: '[]', 'deploy-sites': '[]' });
    expect(await read('report.md')).toContain('## ✅ osa-gitops: no site changed — nothing to deploy');
  });

  it('re-validates a site importing a file from another site’s folder when that file changes', async () => {
    // On main: site-2 takes its public VLAN from a file in site-1's folder (issue 16, item 12).
    await fx.write({
      'environments/site-1/vlan.ts': 'export const publicVlan = 41;\n',
      'environments/site-2/environment.ts': siteSource('site-2', 2).replace(
        "import { fleetBase, publicVlan } from '../_shared/fleet';",
        "import { fleetBase } from '../_shared/fleet';\nimport { publicVlan } from '../site-1/vlan';",
      ),
    });
    await fx.render();
    fx = { ...fx, mainSha: await fx.commit('site-2 imports from site-1') };
    await fx.push('HEAD:refs/heads/main');

    const pr = await openPullRequest(fx, 12, async () => {
      await fx.write({ 'environments/site-1/vlan.ts': 'export const publicVlan = 42;\n' });
    });
    const { run, read } = await validate(pr.checkout, pr.event);
    // site-2's committed tree is now stale: found because site-2 was validated at all.
    expect(run.outputs.sites).toBe('["site-1","site-2"]');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error title=osa-gitops stale rendered tree \(site-2\),file=environments\/site-2\/openstack_deploy\//,
    );
    expect(await read('report.md')).toContain('### Stale rendered trees');
  });

  it('checks every site when a shared file changes, and keeps the report within the budget', async () => {
    await fx.cleanup();
    fx = await createWorkspaceFixture(12);
    const pr = await openPullRequest(fx, 11, async () => {
      await fx.write({ 'environments/_shared/fleet.ts': sharedSource(77) });
      await fx.render();
    });
    const { run, read, reportDir } = await validate(pr.checkout, pr.event, { budget: '3000' });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.outputs.sites!)).toHaveLength(12);
    const markdown = await read('report.md');
    expect(markdown.length).toBeLessThanOrEqual(3000);
    expect(markdown.startsWith(REPORT_MARKER)).toBe(true);
    // The job summary is not squeezed: it has every site's diff.
    expect(run.summary.length).toBeGreaterThan(markdown.length);
    expect(run.summary).toContain('site-12');

    // The hand-over: the comment job posts exactly this artifact, twice, as one comment.
    const token = 'ghs_validateToCommentSecret_0123456789';
    const gh = await startFakeGitHub({ token, repository: 'octo/sites' });
    try {
      gh.addPull({
        number: 11,
        head: { ref: 'feature-11', sha: pr.headSha, repo: { full_name: 'octo/sites' } },
      });
      const post = () =>
        runAction({
          cwd: fx.root,
          tmp: fx.root,
          event: {
            workflow_run: {
              id: 5,
              event: 'pull_request',
              head_sha: pr.headSha,
              head_branch: 'feature-11',
              head_repository: { owner: { login: 'octo' } },
              conclusion: 'success',
            },
          },
          env: { PATH: process.env.PATH, GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: 'octo/sites' },
          inputs: { mode: 'comment', token, 'report-dir': reportDir, budget: '3000' },
        });
      expect((await post()).outputs.operation).toBe('created');
      expect((await post()).outputs.operation).toBe('unchanged');
      const comments = gh.comments.get(11)!;
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toBe(markdown);
      expect(comments[0]!.body.length).toBeLessThanOrEqual(3000);
    } finally {
      await gh.close();
    }
  });

  it('fails clearly without a base to compare with', async () => {
    const pr = await openPullRequest(fx, 12, async () => {});
    const { run } = await validate(pr.checkout, undefined);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "::error::validate needs a base to compare with: run it on a pull_request event or set the 'base-ref' input.",
    );
  });
});
