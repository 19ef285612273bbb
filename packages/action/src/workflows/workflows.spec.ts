import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PACKAGE_DIR } from '../build/bundle.js';

const ROOT = path.resolve(PACKAGE_DIR, '../..');
const WORKFLOWS = path.join(ROOT, '.github/workflows');
const files = fs
  .readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

/**
 * Third-party actions and the commit each is pinned to. Verified against the actions' own
 * repositories (the tag's commit, `git rev-parse <tag>^{commit}`); docs/github.md lists them.
 * Bumping one means changing it here and in every workflow, together.
 */
const PINS: Readonly<Record<string, { sha: string; version: string }>> = {
  'actions/checkout': { sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1' },
  'actions/setup-node': { sha: '820762786026740c76f36085b0efc47a31fe5020', version: 'v7.0.0' },
  'actions/upload-artifact': { sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', version: 'v7.0.0' },
  'actions/download-artifact': { sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', version: 'v8.0.1' },
  'actions/create-github-app-token': { sha: '1b10c78c7865c340bc4f6099eb2f838309f1e8c3', version: 'v3.1.1' },
};

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  permissions?: unknown;
  steps?: Step[];
  concurrency?: { group?: string; 'cancel-in-progress'?: unknown };
  environment?: unknown;
  'runs-on'?: unknown;
  strategy?: { matrix?: unknown };
  needs?: unknown;
  if?: string;
  outputs?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown> | string | string[];
  permissions?: unknown;
  jobs: Record<string, Job>;
}

function load(file: string): { text: string; wf: Workflow } {
  const text = fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');
  return { text, wf: parse(text) as Workflow };
}

function triggers(wf: Workflow): string[] {
  return typeof wf.on === 'string' ? [wf.on] : Array.isArray(wf.on) ? wf.on : Object.keys(wf.on);
}

function steps(wf: Workflow): Step[] {
  return Object.values(wf.jobs).flatMap((j) => j.steps ?? []);
}

describe.each(files)('%s', (file) => {
  const { text, wf } = load(file);

  it('sets permissions on the workflow and on every job', () => {
    expect(wf.permissions, 'workflow-level permissions').toBeDefined();
    for (const [name, job] of Object.entries(wf.jobs)) expect(job.permissions, `job ${name}`).toBeDefined();
  });

  it('never uses pull_request_target', () => {
    expect(triggers(wf)).not.toContain('pull_request_target');
    expect(text).not.toMatch(/pull_request_target/);
  });

  it('pins every third-party action to a full commit with its version in a comment', () => {
    for (const line of text.split('\n').filter((l) => /^\s*-?\s*uses:/.test(l))) {
      const m = /uses:\s*([^\s@#]+)(?:@(\S+))?\s*(?:#\s*(\S+))?/.exec(line)!;
      const [, action, ref, comment] = m;
      if (action!.startsWith('./')) continue;
      expect(ref, line).toMatch(/^[0-9a-f]{40}$/);
      expect(PINS[action!], `${action} is not in the verified pin table`).toBeDefined();
      expect({ ref, comment }, line).toEqual({ ref: PINS[action!]!.sha, comment: PINS[action!]!.version });
    }
  });

  it('does not persist checkout credentials', () => {
    for (const s of steps(wf).filter((s) => s.uses?.startsWith('actions/checkout@'))) {
      expect(s.with?.['persist-credentials']).toBe(false);
    }
  });

  it('keeps ${{ }} expressions out of run scripts (template injection)', () => {
    for (const s of steps(wf)) if (s.run) expect(s.run).not.toContain('${{');
  });
});

describe('workflow roles', () => {
  it('pull-request: read-only, no secrets, uploads the report', () => {
    const { text, wf } = load('pull-request.yml');
    expect(triggers(wf)).toEqual(['pull_request']);
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.validate!.permissions).toEqual({ contents: 'read' });
    expect(text).not.toMatch(/secrets\./);
    const action = steps(wf).find((s) => s.uses === './packages/action')!;
    expect(action.with).toMatchObject({ mode: 'validate' });
    expect(action.with).not.toHaveProperty('token');
    expect(steps(wf).some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
  });

  it('pr-comment: workflow_run only, writes comments, never runs PR code', () => {
    const { wf } = load('pr-comment.yml');
    expect(wf.on).toEqual({ workflow_run: { workflows: ['pull-request'], types: ['completed'] } });
    expect(wf.jobs.comment!.permissions).toEqual({
      actions: 'read',
      contents: 'read',
      'pull-requests': 'write',
    });
    const all = steps(wf);
    // No shell steps (no install, no build) and no checkout of the PR's head.
    expect(all.filter((s) => s.run)).toEqual([]);
    for (const s of all.filter((s) => s.uses?.startsWith('actions/checkout@'))) {
      expect(s.with).not.toHaveProperty('ref');
      expect(s.with).not.toHaveProperty('repository');
    }
    expect(all.find((s) => s.uses === './packages/action')!.with).toMatchObject({ mode: 'comment' });
  });

  it('propose: the render job runs branch code read-only, with no App token and no secrets', () => {
    const { text, wf } = load('propose.yml');
    expect(Object.keys(wf.jobs)).toEqual(['render']);
    expect((wf.on as { push: { 'branches-ignore': string[] } }).push['branches-ignore']).toContain(
      'osa-gitops/render/**',
    );
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.render!.permissions).toEqual({ contents: 'read' });
    expect(text).not.toMatch(/secrets\./);
    expect(text).not.toMatch(/create-github-app-token/);
    const action = steps(wf).find((s) => s.uses === './packages/action')!;
    expect(action.with).toMatchObject({ mode: 'render' });
    expect(action.with).not.toHaveProperty('token');
    const upload = steps(wf).find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with).toMatchObject({ name: 'osa-gitops-render' });
  });

  it('propose-publish: workflow_run, default branch only, no repository code, the App token', () => {
    const { wf } = load('propose-publish.yml');
    // workflow_run: GitHub runs this file as it is on the default branch, never a branch's copy.
    expect(wf.on).toEqual({ workflow_run: { workflows: ['propose'], types: ['completed'] } });
    const publish = wf.jobs.publish!;
    expect(Object.keys(wf.jobs)).toEqual(['publish']);
    expect(publish.permissions).toEqual({ actions: 'read', contents: 'read' });
    expect(publish.environment).toBe('osa-gitops-publish');
    const all = publish.steps!;
    const checkouts = all.filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkouts).toHaveLength(1);
    expect(checkouts[0]!.with).toEqual({
      'persist-credentials': false,
      'sparse-checkout': 'packages/action',
    });
    // The one shell step checks a variable; nothing installs, builds or runs repository code.
    for (const s of all.filter((s) => s.run)) {
      expect(s.run).not.toMatch(/\b(npm|npx|node|yarn|pnpm|make|bash|sh)\b|\.\/|packages\//);
    }
    expect(all.filter((s) => s.run)).toHaveLength(1);
    const action = all.find((s) => s.uses === './packages/action')!;
    expect(action.with).toMatchObject({
      mode: 'publish',
      token: '${{ steps.app-token.outputs.token }}',
      'source-branch': '${{ github.event.workflow_run.head_branch }}',
      'source-sha': '${{ github.event.workflow_run.head_sha }}',
    });
    const download = all.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with).toMatchObject({
      name: 'osa-gitops-render',
      'run-id': '${{ github.event.workflow_run.id }}',
    });
  });

  it('only the publish job holds the App token or any secret', () => {
    const holders = files.flatMap((file) =>
      Object.entries(load(file).wf.jobs)
        .filter(([, job]) =>
          (job.steps ?? []).some(
            (s) =>
              s.uses?.startsWith('actions/create-github-app-token@') ||
              JSON.stringify(s).includes('secrets.'),
          ),
        )
        .map(([name]) => `${file}:${name}`),
    );
    expect(holders).toEqual(['deploy.yml:revert', 'propose-publish.yml:publish']);
  });

  it('deploy: plan → matrix per site on its runner, environment per site, never cancelled', () => {
    const { wf } = load('deploy.yml');
    expect((wf.on as { push: { branches: string[] } }).push.branches).toEqual(['main']);
    const deploy = wf.jobs.deploy!;
    expect(deploy.needs).toEqual(['plan', 'approve-host-networking', 'approve-metal-cutover']);
    expect(deploy.if).toBe(
      "${{ !cancelled() && needs.plan.outputs.has-sites == 'true' && needs.approve-host-networking.result != 'failure' && needs.approve-metal-cutover.result != 'failure' }}",
    );
    expect(deploy.strategy?.matrix).toBe('${{ fromJSON(needs.plan.outputs.matrix) }}');
    expect(deploy['runs-on']).toEqual(['self-hosted', '${{ matrix.runner }}']);
    expect(deploy.environment).toBe('${{ matrix.site }}');
    expect(deploy.concurrency).toEqual({ group: 'deploy-${{ matrix.site }}', 'cancel-in-progress': false });
    const checkout = deploy.steps!.find((s) => s.uses?.startsWith('actions/checkout@'))!;
    expect(checkout.with?.ref).toBe('${{ needs.plan.outputs.commit }}');
    const run = deploy.steps!.find((s) => s.run?.includes(' deploy '))!;
    // Every stage and verify in one command, so in one job under one lock; the summary gets the
    // stage table and the checks.
    expect(run.run).toBe(
      'node packages/cli/bin/osa-gitops.cjs deploy "$SITE" --commit "$COMMIT" --deadline 100m --timeout 60m --planned-host-networking "$PLANNED" --summary "$GITHUB_STEP_SUMMARY" --outcome "$OUTCOME/$SITE.json" ${HOST_NETWORKING:+--host-networking "$HOST_NETWORKING"} ${METAL_CUTOVER:+--metal-cutover "$METAL_CUTOVER"}',
    );
    // One deadline for the whole deploy, well before the job's: the rest of the job's minutes are
    // for checkout and install before it and for restoring after a stage it stopped. Each
    // playbook's own --timeout is inside it.
    const jobMinutes = (deploy as { 'timeout-minutes'?: number })['timeout-minutes']!;
    const deadline = Number(/--deadline (\d+)m/.exec(run.run!)![1]);
    expect(deadline).toBeLessThanOrEqual(jobMinutes - 15);
    expect(Number(/--timeout (\d+)m/.exec(run.run!)![1])).toBeLessThanOrEqual(deadline);
    expect(run.env).toEqual({
      SITE: '${{ matrix.site }}',
      COMMIT: '${{ needs.plan.outputs.commit }}',
      HOST_NETWORKING:
        "${{ inputs.host-networking-done && 'done' || (matrix.hostNetworking == 'approve' && 'approved' || '') }}",
      PLANNED: '${{ matrix.hostNetworking }}',
      METAL_CUTOVER:
        "${{ inputs.metal-cutover == 'done' && 'done' || (inputs.metal-cutover == 'approved' && needs.approve-metal-cutover.result == 'success' && 'approved' || '') }}",
      OUTCOME: '${{ runner.temp }}/osa-gitops-outcome',
    });
    // The outcome goes up as an artifact also when the deploy failed (that is when it matters).
    const upload = deploy.steps!.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect((upload as { if?: string }).if).toBe('${{ !cancelled() }}');
    expect(upload.with).toMatchObject({
      name: 'osa-gitops-outcome-${{ matrix.site }}',
      path: '${{ runner.temp }}/osa-gitops-outcome',
      overwrite: true,
    });
    expect(deploy.steps!.indexOf(upload)).toBe(deploy.steps!.indexOf(run) + 1);
  });

  it('deploy: the revert job runs only default-branch code with the App token, after the deploys', () => {
    const { wf } = load('deploy.yml');
    const revert = wf.jobs.revert!;
    expect(revert.needs).toEqual(['plan', 'deploy']);
    expect(revert.if).toBe(
      "${{ !cancelled() && github.ref == 'refs/heads/main' && (needs.deploy.result == 'failure' || needs.deploy.result == 'success') }}",
    );
    expect(revert['runs-on']).toBe('ubuntu-24.04');
    expect(revert.environment).toBe('osa-gitops-publish');
    expect(revert.permissions).toEqual({ actions: 'read', contents: 'read' });
    // No group: GitHub's would cancel a pending revert job (the mode orders runs by history).
    expect(revert.concurrency).toBeUndefined();
    const all = revert.steps!;
    const checkouts = all.filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkouts).toHaveLength(1);
    // No ref: the pushed commit of main, this workflow's own; only the action, nothing installed.
    expect(checkouts[0]!.with).toEqual({
      'persist-credentials': false,
      'sparse-checkout': 'packages/action',
    });
    for (const s of all.filter((s) => s.run)) {
      expect(s.run).not.toMatch(/\b(npm|npx|node|yarn|pnpm|make|bash|sh)\b|\.\/|packages\//);
    }
    expect(all.filter((s) => s.run)).toHaveLength(1);
    const token = all.find((s) => s.uses?.startsWith('actions/create-github-app-token@'))!;
    expect(token.with).toMatchObject({ 'permission-contents': 'write', 'permission-pull-requests': 'write' });
    const download = all.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with).toMatchObject({
      pattern: 'osa-gitops-outcome-*',
      'merge-multiple': true,
      path: '${{ runner.temp }}/osa-gitops-outcome',
    });
    const action = all.find((s) => s.uses === './packages/action')!;
    expect(action.with).toEqual({
      mode: 'revert-pr',
      token: '${{ steps.app-token.outputs.token }}',
      'outcome-dir': '${{ runner.temp }}/osa-gitops-outcome',
    });
    expect(all.indexOf(action)).toBe(all.length - 1);
  });

  it('deploy: host networking has its own environment per site; the approval job touches nothing', () => {
    const { wf } = load('deploy.yml');
    const approve = wf.jobs['approve-host-networking']!;
    expect(approve.needs).toBe('plan');
    expect(approve.strategy?.matrix).toBe('${{ fromJSON(needs.plan.outputs.host-networking-matrix) }}');
    expect(approve.environment).toBe('${{ matrix.site }}-host-networking');
    expect(approve['runs-on']).toBe('ubuntu-24.04');
    expect(approve.permissions).toEqual({});
    // No checkout, no action, no secret: approving runs no code of the repository.
    expect(approve.steps!.every((s) => s.uses === undefined)).toBe(true);
    expect(JSON.stringify(approve)).not.toContain('secrets.');
    expect(wf.jobs.plan!.outputs).toMatchObject({
      'host-networking-matrix': '${{ steps.plan.outputs.host-networking-matrix }}',
      'has-host-networking': '${{ steps.plan.outputs.has-host-networking }}',
    });
  });

  it('deploy: the metal cut-over has its own environment per site, asked for only on a dispatch; the approval job touches nothing', () => {
    const { wf } = load('deploy.yml');
    const approve = wf.jobs['approve-metal-cutover']!;
    expect(approve.needs).toBe('plan');
    expect(approve.if).toBe("${{ needs.plan.outputs.has-metal-cutover == 'true' }}");
    expect(approve.strategy?.matrix).toBe('${{ fromJSON(needs.plan.outputs.metal-cutover-matrix) }}');
    expect(approve.environment).toBe('${{ matrix.site }}-metal-cutover');
    expect(approve.permissions).toEqual({});
    expect(approve.steps!.every((s) => s.uses === undefined)).toBe(true);
    expect(JSON.stringify(approve)).not.toContain('secrets.');
    const dispatch = (wf.on as { workflow_dispatch: { inputs: Record<string, { options?: string[] }> } })
      .workflow_dispatch.inputs;
    expect(dispatch['metal-cutover']!.options).toEqual(['none', 'approved', 'done']);
    const plan = wf.jobs.plan!.steps!.find((s) => s.uses === './packages/action')!;
    expect(plan.with).toMatchObject({ 'metal-cutover': '${{ inputs.metal-cutover }}' });
    expect(wf.jobs.plan!.outputs).toMatchObject({
      'metal-cutover-matrix': '${{ steps.plan.outputs.metal-cutover-matrix }}',
      'has-metal-cutover': '${{ steps.plan.outputs.has-metal-cutover }}',
    });
  });

  it('deploy: the plan job may read environments (actions: read) and nothing more', () => {
    const { wf } = load('deploy.yml');
    expect(wf.jobs.plan!.permissions).toEqual({ actions: 'read', contents: 'read' });
  });

  it('installs with --ignore-scripts everywhere (npm 10 ignores an allow-list of install scripts)', () => {
    const installs = [
      ...files.flatMap((f) =>
        steps(load(f).wf)
          .flatMap((st) => (st.run ?? '').split('\n'))
          .filter((l) => /\bnpm (ci|install|i)\b/.test(l))
          .map((l) => [f, l.trim()] as const),
      ),
      ...fs
        .readFileSync(path.join(ROOT, '.ci/run'), 'utf8')
        .split('\n')
        .filter((l) => /^\s*npm (ci|install|i)\b/.test(l))
        .map((l) => ['.ci/run', l.trim()] as const),
    ];
    expect(installs.length).toBeGreaterThanOrEqual(6);
    for (const [file, line] of installs) expect(line, file).toMatch(/^npm ci --ignore-scripts\b/);
  });

  it('no concurrency group anywhere cancels a deploy', () => {
    for (const file of files) {
      for (const [name, job] of Object.entries(load(file).wf.jobs)) {
        if (job.concurrency?.group?.startsWith('deploy-')) {
          expect(job.concurrency['cancel-in-progress'], `${file} ${name}`).toBe(false);
        }
      }
    }
  });

  /**
   * GitHub keeps one running and one pending job per concurrency group, and a job that queues
   * cancels the pending one (cancel-in-progress: false only spares the running one). So a deploy
   * may share its group only with later deploys of the same site (which deploy a later commit of
   * main, containing its change): every job of every workflow whose group can evaluate to a
   * deploy job's group, for any site, must be that deploy job. Groups are compared as their
   * templates with every `${{ }}` made a wildcard, so a group written differently but able to
   * match (`deploy-${{ inputs.x }}`) counts too.
   */
  it('no job shares a concurrency group with a deploy job (a pending deploy is never cancelled)', () => {
    const groups = files.flatMap((file) =>
      Object.entries(load(file).wf.jobs).flatMap(([name, job]) => {
        const group = typeof job.concurrency === 'string' ? job.concurrency : job.concurrency?.group;
        return group === undefined ? [] : [{ at: `${file}:${name}`, group }];
      }),
    );
    const deploys = groups.filter((g) => g.at === 'deploy.yml:deploy');
    expect(deploys).toHaveLength(1);
    const pattern = (g: string): RegExp =>
      new RegExp(
        `^${g
          .split(/\$\{\{[^}]*\}\}/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
        'i',
      );
    const example = (g: string): string => g.replace(/\$\{\{[^}]*\}\}/g, 'x');
    for (const d of deploys) {
      for (const other of groups.filter((g) => g.at !== d.at)) {
        const overlap =
          pattern(d.group).test(example(other.group)) || pattern(other.group).test(example(d.group));
        expect(overlap, `${other.at} (${other.group}) can share ${d.at}'s group ${d.group}`).toBe(false);
      }
    }
    // The revert job is one per run for all sites: a group would let a third run cancel a pending one.
    expect(load('deploy.yml').wf.jobs.revert!.concurrency).toBeUndefined();
  });
});

// The schema check of @action-validator/core (GitHub's workflow/action JSON schemas, Node 20
// compatible WebAssembly; a pinned devDependency, so a missing install fails here, not skips).
const validator = createRequire(import.meta.url)('@action-validator/core') as {
  validateWorkflow(src: string): { errors: unknown[] };
  validateAction(src: string): { errors: unknown[] };
};

describe('runner-side workflows (docs/runner-insight.md)', () => {
  it('drift: scheduled, read-only jobs on the site runners, only the last job writes issues', () => {
    const { text, wf } = load('drift.yml');
    expect(triggers(wf).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.drift!.permissions).toEqual({ contents: 'read' });
    expect(wf.jobs.drift!['runs-on']).toEqual(['self-hosted', '${{ matrix.runner }}']);
    // No group shared with the deploy (it could cancel a pending deploy); drift reads the config
    // dir under the deploy host's own lock.
    expect(wf.jobs.drift!.concurrency).toBeUndefined();
    expect(wf.jobs.issues!.permissions).toEqual({ actions: 'read', contents: 'read', issues: 'write' });
    expect(JSON.stringify(wf.jobs.issues!['runs-on'])).not.toContain('self-hosted');
    expect(steps({ ...wf, jobs: { issues: wf.jobs.issues! } }).filter((s) => s.run)).toEqual([]);
    const modes = steps(wf)
      .filter((s) => s.uses === './packages/action')
      .map((s) => s.with?.mode);
    // runner-plan: no API call, no environment read (the job's token has contents: read only).
    expect(modes).toEqual(['runner-plan', 'drift-issues']);
    expect(wf.jobs.plan!.permissions).toEqual({ contents: 'read' });
    expect(text).toMatch(/osa-gitops\.cjs drift "\$SITE" --json/);
    expect(text).not.toMatch(/secrets\./);
  });

  it('preview: opt-in workflow_run; PR tree only as a sparse checkout of data; never runs PR code', () => {
    const { text, wf } = load('preview.yml');
    expect(wf.on).toEqual({ workflow_run: { workflows: ['pull-request'], types: ['completed'] } });
    expect(String((wf.jobs.plan as { if?: string }).if)).toContain("vars.OSA_GITOPS_PREVIEW == 'true'");
    expect(wf.jobs.preview!.permissions).toEqual({ contents: 'read' });
    expect(wf.jobs.preview!.concurrency).toBeUndefined();
    expect(wf.jobs.comment!.permissions).toEqual({
      actions: 'read',
      contents: 'read',
      'pull-requests': 'write',
    });
    // The site runner checks out only the default branch (the code that runs) and gets the PR's
    // trees as an artifact the plan job wrote from git objects: it fetches nothing of the PR, so
    // a fork PR (whose head checkout v7 refuses in workflow_run) is previewed like any other.
    const all = wf.jobs.preview!.steps ?? [];
    const checkouts = all.filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkouts).toHaveLength(1);
    expect(checkouts[0]!.with).toEqual({ 'persist-credentials': false });
    expect(JSON.stringify(wf.jobs.preview)).not.toMatch(/head_sha|head_repository|refs\/pull/);
    const download = all.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with).toMatchObject({ name: 'osa-gitops-pr-trees' });
    expect(download.with).not.toHaveProperty('run-id');
    const planUpload = (wf.jobs.plan!.steps ?? []).find((s) =>
      s.uses?.startsWith('actions/upload-artifact@'),
    )!;
    expect(planUpload.with).toMatchObject({ name: 'osa-gitops-pr-trees' });
    const runs = all.filter((s) => s.run).map((s) => s.run!);
    expect(runs.join('\n')).toMatch(
      /osa-gitops\.cjs preview "\$SITE" \\\n\s+--tree "\$TREES\/environments\/\$SITE\/openstack_deploy"/,
    );
    const modes = steps(wf)
      .filter((s) => s.uses === './packages/action')
      .map((s) => s.with?.mode);
    expect(modes).toEqual(['preview-plan', 'preview-comment']);
    expect(text).not.toMatch(/secrets\./);
  });
});

describe('@action-validator/core schema', () => {
  it.each(files)('%s is a valid workflow', (file) => {
    expect(validator.validateWorkflow(load(file).text).errors).toEqual([]);
  });

  it('action.yml is a valid action', () => {
    // The validator's schema (0.6.0) predates `node24`; everything else is checked as written.
    const text = fs
      .readFileSync(path.join(PACKAGE_DIR, 'action.yml'), 'utf8')
      .replace('using: node24', 'using: node20');
    expect(validator.validateAction(text).errors).toEqual([]);
  });
});
