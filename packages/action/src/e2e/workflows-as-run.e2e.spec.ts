import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkoutActionDir, type JobResult, type RunResult } from '../test-utils/workflow-harness/runner.js';
import {
  createWorkflowRepo,
  pushEvent,
  REPOSITORY,
  type WorkflowRepo,
} from '../test-utils/workflow-harness/repository.js';
import { siteSource } from '../test-utils/workspace-fixture.js';

/**
 * The workflows as GitHub runs them (issue 29): each job of the committed workflow files, step by
 * step, with the real actions/checkout v7.0.1, the committed action bundle, a private repository
 * (the git server wants credentials for every read and write), job tokens holding exactly their
 * `permissions:`, the GitHub API stand-in, and the sites' deploy hosts (stub openstack-ansible)
 * behind the runner hook. Skipped when the pinned checkout copy (../shared/upstream) is absent.
 */
const available = checkoutActionDir() !== undefined;
const PROTECTED = ['required_reviewers'];

let repo: WorkflowRepo;
let runId = 1000;

beforeEach(async () => {
  if (!available) return;
  repo = await createWorkflowRepo(2, {
    vars: { OSA_GITOPS_APP_CLIENT_ID: 'Iv1.fixture', OSA_GITOPS_PREVIEW: 'true' },
    environments: {
      'site-1': {},
      'site-2': {},
      'site-1-host-networking': {},
      'osa-gitops-publish': { secrets: { OSA_GITOPS_APP_PRIVATE_KEY: 'fixture-key' } },
    },
  });
  // site-2 has no host-networking environment: only a deploy that needs it may stop on that.
  for (const name of ['site-1', 'site-2', 'site-1-host-networking', 'osa-gitops-publish'])
    repo.github.environments.set(name, PROTECTED);
}, 120_000);
afterEach(async () => {
  if (available) await repo.close();
});

function explain(run: RunResult): string {
  return Object.values(run.jobs)
    .flat()
    .map((j) => `== ${j.job} ${JSON.stringify(j.matrix ?? {})}: ${j.result}\n${j.log.slice(-6000)}`)
    .join('\n');
}
function ok(job: JobResult, run: RunResult): void {
  expect(job.result, explain(run)).toBe('success');
}
const siteOptions = (site: string, extra = {}) => ({
  ...extra,
  deploy: { configDir: repo.hosts[site]!.configDir, osaDir: repo.hosts[site]!.osaDir },
});

/** Merge a change of site-<n>'s external VIP into main (definition + rendered tree). */
async function mergeVip(n: number, vipHost: number): Promise<{ before: string; after: string }> {
  const before = (await repo.git(repo.dev, 'rev-parse', 'HEAD')).trim();
  await repo.write({
    [`environments/site-${n}/environment.ts`]: siteSource(
      `site-${n}`,
      n,
      siteOptions(`site-${n}`, { externalVipHost: vipHost }),
    ),
  });
  await repo.render();
  const after = await repo.commit(`site-${n}: external VIP .${vipHost}`);
  await repo.push('HEAD:refs/heads/main');
  return { before, after };
}

function deployPush(before: string, after: string): Promise<RunResult> {
  return repo.harness.run({
    workflow: 'deploy.yml',
    eventName: 'push',
    event: pushEvent(before, after),
    ref: 'refs/heads/main',
    sha: after,
    runId: ++runId,
  });
}

function deployDispatch(sites: string, sha: string): Promise<RunResult> {
  return repo.harness.run({
    workflow: 'deploy.yml',
    eventName: 'workflow_dispatch',
    event: { ...pushEvent(sha, sha), inputs: { sites } },
    inputs: { sites, 'host-networking-done': false },
    ref: 'refs/heads/main',
    sha,
    runId: ++runId,
  });
}

const unauthorised = () => repo.gitServer.requests.filter((r) => r.status !== 200);

describe.skipIf(!available)('deploy.yml: merge → deploy-plan → deploy → revert', { timeout: 600_000 }, () => {
  it('a host whose config dir is behind the plan stops before any change and says how to get the approval; the dispatch asks it and deploys', async () => {
    const { before, after } = await mergeVip(1, 11);
    const first = await deployPush(before, after);
    ok(first.job('plan'), first);
    // The plan compares two commits of main: a VIP change needs no host networking...
    expect(JSON.parse(first.job('plan').outputs.matrix!)).toEqual({
      include: [{ site: 'site-1', runner: 'osa-deploy-site-1', hostNetworking: 'none' }],
    });
    expect(first.job('approve-host-networking').result).toBe('skipped');
    // ...but this host never had a deploy: it needs the stage, which nobody approved. Before
    // issue 29 it synced the files and stopped waiting (91); now nothing changes (92).
    const deploy = first.job('deploy', { site: 'site-1' });
    expect(deploy.result).toBe('failure');
    expect(deploy.steps.find((s) => s.name === 'Deploy')!.log).toMatch(/exit 92|foresaw no host-networking/);
    expect(deploy.log).toContain('--- Deploy (exit 92)');
    expect(deploy.summary).toMatch(/run the deploy workflow by hand with sites=site-1/);
    expect(await fs.readdir(repo.hosts['site-1']!.configDir)).not.toContain('openstack_user_config.yml');
    ok(first.job('revert'), first);

    // The dispatch the summary names: its plan asks the host-networking approval, then deploys.
    const second = await deployDispatch('site-1', after);
    ok(second.job('plan'), second);
    const approve = second.job('approve-host-networking', { site: 'site-1' });
    ok(approve, second);
    expect(approve.environment).toBe('site-1-host-networking');
    const deployed = second.job('deploy', { site: 'site-1' });
    // Every stage ran; the stub playbook gathers no facts, so verify fails (90), as on a host
    // whose containers did not answer.
    expect(deployed.log, explain(second)).toContain('--- Deploy (exit 90)');
    const args = await fs.readFile(repo.hosts['site-1']!.argsLog, 'utf8');
    expect(args).toMatch(/openstack-hosts-setup\.yml/);
    expect(args).toMatch(/lxc-containers-create\.yml/);
    ok(second.job('revert'), second);
    expect(repo.harness.createdEnvironments).toEqual([]);
    expect(unauthorised()).toEqual([]);
  });

  it('after a failed verify, the revert job opens the revert PR in a private repository', async () => {
    const verified = repo.mainSha;
    // The host is at main's first commit, and that commit passed verify there.
    const dispatch = await deployDispatch('site-1', verified);
    expect(dispatch.job('deploy', { site: 'site-1' }).log, explain(dispatch)).toContain(
      '--- Deploy (exit 90)',
    );
    await fs.writeFile(
      path.join(repo.hosts['site-1']!.configDir, '.osa-gitops/verified.json'),
      JSON.stringify({ site: 'site-1', commit: verified, verifiedAt: '2026-12-01T00:00:00.000Z' }),
    );
    const { before, after } = await mergeVip(1, 11);
    const run = await deployPush(before, after);
    expect(run.job('deploy', { site: 'site-1' }).log, explain(run)).toContain('--- Deploy (exit 90)');
    const revert = run.job('revert');
    // Before issue 29 the job's blobless sparse checkout fetched blobs without a token: 401.
    ok(revert, run);
    expect(JSON.parse(revert.steps.at(-1)!.outputs.reverts!)).toEqual([
      { site: 'site-1', number: expect.any(Number), operation: 'created' },
    ]);
    const pr = repo.github.pulls.find((p) => p.head.ref === 'osa-gitops/revert/site-1')!;
    expect(pr.title).toBe(`osa-gitops: revert site-1 to ${verified.slice(0, 12)} (verification failed)`);
    const tip = (await repo.git(repo.origin, 'rev-parse', 'refs/heads/osa-gitops/revert/site-1')).trim();
    const file = await repo.git(repo.origin, 'show', `${tip}:environments/site-1/environment.ts`);
    expect(file).toBe(await repo.git(repo.origin, 'show', `${verified}:environments/site-1/environment.ts`));
    expect(unauthorised()).toEqual([]);
  });
});

describe.skipIf(!available)('propose → publish in a private repository', { timeout: 600_000 }, () => {
  it('renders on the branch, and publish opens the render PR with the App token', async () => {
    await repo.git(repo.dev, 'checkout', '-q', '-b', 'feature');
    await repo.write({
      'environments/site-2/environment.ts': siteSource(
        'site-2',
        2,
        siteOptions('site-2', { externalVipHost: 22 }),
      ),
    });
    const head = await repo.commit('site-2: VIP .22, not rendered');
    await repo.push('HEAD:refs/heads/feature');
    const proposeId = ++runId;
    const propose = await tracked(
      repo.harness.run({
        workflow: 'propose.yml',
        eventName: 'push',
        event: pushEvent(repo.mainSha, head, 'refs/heads/feature'),
        ref: 'refs/heads/feature',
        sha: head,
        runId: proposeId,
      }),
      proposeId,
    );
    ok(propose.job('render'), propose);
    const publish = await repo.harness.run({
      workflow: 'propose-publish.yml',
      eventName: 'workflow_run',
      event: workflowRunEvent(propose, 'push', head, 'feature', REPOSITORY),
      ref: 'refs/heads/main',
      sha: repo.mainSha,
      runId: ++runId,
    });
    // Before issue 29: "Refusing the render artifact: … has no environments/site-2/environment.ts".
    ok(publish.job('publish'), publish);
    const pr = repo.github.pulls.find((p) => p.head.ref === 'osa-gitops/render/feature')!;
    expect(pr).toMatchObject({ state: 'open', base: { ref: 'feature' } });
    expect(unauthorised()).toEqual([]);
  });
});

function workflowRunEvent(
  run: RunResult,
  event: string,
  headSha: string,
  branch: string,
  headRepository: string,
): Record<string, unknown> {
  const fork = headRepository !== REPOSITORY;
  return {
    action: 'completed',
    workflow_run: {
      id: runIdOf(run),
      event,
      conclusion: Object.values(run.jobs)
        .flat()
        .every((j) => j.result !== 'failure')
        ? 'success'
        : 'failure',
      head_sha: headSha,
      head_branch: branch,
      head_commit: { id: headSha },
      head_repository: {
        id: fork ? 2 : 1,
        full_name: headRepository,
        owner: { login: headRepository.split('/')[0] },
      },
    },
    repository: { id: 1, full_name: REPOSITORY, default_branch: 'main', owner: { id: 10, login: 'octo' } },
  };
}
const runIds = new WeakMap<RunResult, number>();
function runIdOf(run: RunResult): number {
  return runIds.get(run)!;
}
async function tracked(p: Promise<RunResult>, id: number): Promise<RunResult> {
  const r = await p;
  runIds.set(r, id);
  return r;
}

describe.skipIf(!available)(
  'pull request: validate, comment, preview (same repository and fork)',
  { timeout: 600_000 },
  () => {
    for (const fork of [false, true]) {
      it(`${fork ? 'a fork' : 'a branch'} PR gets the report and an allocation preview from the site runner`, async () => {
        const number = fork ? 8 : 7;
        const owner = fork ? 'forker' : 'octo';
        const branch = `change-${number}`;
        await repo.git(repo.dev, 'checkout', '-q', '-b', branch, repo.mainSha);
        await repo.write({
          'environments/site-1/environment.ts': siteSource(
            'site-1',
            1,
            siteOptions('site-1', { externalVipHost: 12 }),
          ),
        });
        await repo.render();
        const head = await repo.commit(`PR ${number}`);
        // GitHub keeps every PR's head (a fork's too) and a test merge in the base repository.
        await repo.push(`HEAD:refs/pull/${number}/head`);
        if (!fork) await repo.push(`HEAD:refs/heads/${branch}`);
        await repo.git(repo.dev, 'checkout', '-q', '--detach', repo.mainSha);
        await repo.git(repo.dev, 'merge', '-q', '--no-ff', '-m', 'merge', head);
        const merge = (await repo.git(repo.dev, 'rev-parse', 'HEAD')).trim();
        await repo.push(`HEAD:refs/pull/${number}/merge`);
        repo.github.addPull({
          number,
          head: { ref: branch, sha: head, repo: { full_name: `${owner}/sites` } },
        });

        const validateId = ++runId;
        const validate = await tracked(
          repo.harness.run({
            workflow: 'pull-request.yml',
            eventName: 'pull_request',
            event: {
              action: 'synchronize',
              number,
              pull_request: {
                number,
                base: { sha: repo.mainSha, ref: 'main', repo: { id: 1, full_name: REPOSITORY } },
                head: { sha: head, ref: branch, repo: { id: fork ? 2 : 1, full_name: `${owner}/sites` } },
              },
              repository: {
                id: 1,
                full_name: REPOSITORY,
                default_branch: 'main',
                owner: { id: 10, login: 'octo' },
              },
            },
            ref: `refs/pull/${number}/merge`,
            sha: merge,
            runId: validateId,
          }),
          validateId,
        );
        ok(validate.job('validate'), validate);
        const trigger = workflowRunEvent(validate, 'pull_request', head, branch, `${owner}/sites`);

        const comment = await repo.harness.run({
          workflow: 'pr-comment.yml',
          eventName: 'workflow_run',
          event: trigger,
          ref: 'refs/heads/main',
          sha: repo.mainSha,
          runId: ++runId,
        });
        ok(comment.job('comment'), comment);
        expect(repo.github.comments.get(number)?.some((c) => c.body.includes('osa-gitops:report'))).toBe(
          true,
        );

        const preview = await repo.harness.run({
          workflow: 'preview.yml',
          eventName: 'workflow_run',
          event: trigger,
          ref: 'refs/heads/main',
          sha: repo.mainSha,
          runId: ++runId,
        });
        ok(preview.job('plan'), preview);
        // Before issue 29 a fork's head was refused by checkout v7 on the site runner.
        ok(preview.job('preview', { site: 'site-1' }), preview);
        ok(preview.job('comment'), preview);
        const posted = repo.github.comments
          .get(number)!
          .find((c) => c.body.includes('osa-gitops-allocation-preview'))!;
        expect(posted.body).toContain('site-1-infra1-haproxy-container-0badc0de');
        // The site runner fetched nothing of the PR: only the default branch.
        const runnerJob = preview.job('preview', { site: 'site-1' });
        expect(runnerJob.log).not.toMatch(/refs\/pull|forker/);
        expect(unauthorised()).toEqual([]);
      });
    }
  },
);

describe.skipIf(!available)('drift.yml', { timeout: 600_000 }, () => {
  it('runs with contents: read only, and a missing host-networking environment does not stop it', async () => {
    const run = await repo.harness.run({
      workflow: 'drift.yml',
      eventName: 'schedule',
      event: {
        schedule: '23 5 * * *',
        repository: {
          id: 1,
          full_name: REPOSITORY,
          default_branch: 'main',
          owner: { id: 10, login: 'octo' },
        },
      },
      ref: 'refs/heads/main',
      sha: repo.mainSha,
      runId: ++runId,
    });
    // Before issue 29 the plan read environments (403 with contents: read) and refused every site
    // because site-2-host-networking does not exist.
    ok(run.job('plan'), run);
    expect(JSON.parse(run.job('plan').outputs.matrix!).include).toHaveLength(2);
    for (const site of ['site-1', 'site-2']) ok(run.job('drift', { site }), run);
    ok(run.job('issues'), run);
    // Both hosts were never deployed: one drift issue each.
    expect(repo.github.issues.map((i) => i.title).sort()).toEqual([
      expect.stringContaining('site-1'),
      expect.stringContaining('site-2'),
    ]);
    const forbidden = repo.github.requests.filter((r) => r.auth?.includes(run.job('plan').token!));
    expect(forbidden).toEqual([]);
  });
});
