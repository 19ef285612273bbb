import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The deploy runners' job-started hook (packages/action/runner-hooks/job-started.sh), run as the
 * runner runs it (`bash -e <file>`) with crafted GITHUB_* variables and event files: only the
 * deploy job of deploy.yml on the default branch starts (issue 16, item 8).
 */
const HOOK = path.join(__dirname, '..', '..', 'runner-hooks', 'job-started.sh');
const REPO = 'octo/sites';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'osa-hook-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

let events = 0;
async function eventFile(payload: unknown): Promise<string> {
  const file = path.join(tmp, `event-${++events}.json`);
  await fs.writeFile(file, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return file;
}

async function runHook(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; out: string; err: string }> {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', HOOK], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...clean },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** What the runner sets for deploy.yml's deploy job after a push to main. */
async function deployJob(overrides: Record<string, string | undefined> = {}, payload?: unknown) {
  return {
    GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/deploy.yml@refs/heads/main`,
    GITHUB_REPOSITORY: REPO,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_JOB: 'deploy',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: await eventFile(
      payload ?? { repository: { full_name: REPO, default_branch: 'main' } },
    ),
    ...overrides,
  };
}

describe('runner-hooks/job-started.sh', () => {
  it('is executable and parses', async () => {
    const st = await fs.stat(HOOK);
    expect(st.mode & 0o111).not.toBe(0);
  });

  it('allows the deploy job of deploy.yml on the default branch (push and workflow_dispatch)', async () => {
    for (const event of ['push', 'workflow_dispatch']) {
      const r = await runHook(await deployJob({ GITHUB_EVENT_NAME: event }));
      expect(r.err, event).toBe('');
      expect(r.code, event).toBe(0);
      expect(r.out).toContain('allowed');
    }
  });

  it("allows drift.yml's drift job (schedule, manual) and preview.yml's preview job (workflow_run), nothing else of theirs", async () => {
    const wf = (name: string) => `${REPO}/.github/workflows/${name}@refs/heads/main`;
    for (const event of ['schedule', 'workflow_dispatch']) {
      const r = await runHook(
        await deployJob({
          GITHUB_WORKFLOW_REF: wf('drift.yml'),
          GITHUB_JOB: 'drift',
          GITHUB_EVENT_NAME: event,
        }),
      );
      expect(r.code, `${event}: ${r.err}`).toBe(0);
    }
    const preview = await runHook(
      await deployJob({
        GITHUB_WORKFLOW_REF: wf('preview.yml'),
        GITHUB_JOB: 'preview',
        GITHUB_EVENT_NAME: 'workflow_run',
      }),
    );
    expect(preview.code, preview.err).toBe(0);
    const refused: Record<string, string>[] = [
      { GITHUB_WORKFLOW_REF: wf('drift.yml'), GITHUB_JOB: 'issues', GITHUB_EVENT_NAME: 'schedule' },
      { GITHUB_WORKFLOW_REF: wf('drift.yml'), GITHUB_JOB: 'drift', GITHUB_EVENT_NAME: 'push' },
      { GITHUB_WORKFLOW_REF: wf('preview.yml'), GITHUB_JOB: 'preview', GITHUB_EVENT_NAME: 'pull_request' },
      { GITHUB_WORKFLOW_REF: wf('deploy.yml'), GITHUB_JOB: 'deploy', GITHUB_EVENT_NAME: 'workflow_run' },
      {
        GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/drift.yml@refs/heads/feature`,
        GITHUB_JOB: 'drift',
        GITHUB_EVENT_NAME: 'schedule',
      },
    ];
    for (const env of refused)
      expect((await runHook(await deployJob(env))).code, JSON.stringify(env)).toBe(1);
  });

  it('takes the default branch from OSA_GITOPS_DEFAULT_BRANCH when the payload names none (a scheduled run)', async () => {
    const env = {
      GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/drift.yml@refs/heads/main`,
      GITHUB_JOB: 'drift',
      GITHUB_EVENT_NAME: 'schedule',
    };
    expect((await runHook(await deployJob(env, { schedule: '23 5 * * *' }))).code).toBe(1);
    const ok = await runHook(
      await deployJob({ ...env, OSA_GITOPS_DEFAULT_BRANCH: 'main' }, { schedule: '23 5 * * *' }),
    );
    expect(ok.code, ok.err).toBe(0);
  });

  it('follows the default branch the event names (trunk, not main)', async () => {
    const trunk = { repository: { default_branch: 'trunk' } };
    const ok = await runHook(
      await deployJob(
        {
          GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/deploy.yml@refs/heads/trunk`,
          GITHUB_REF: 'refs/heads/trunk',
        },
        trunk,
      ),
    );
    expect(ok.code).toBe(0);
    const main = await runHook(await deployJob({}, trunk));
    expect(main.code).toBe(1);
  });

  const REFUSED: [string, Record<string, string | undefined>, RegExp][] = [
    [
      "a writer's branch workflow naming the deploy runner",
      {
        GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/evil.yml@refs/heads/feature`,
        GITHUB_REF: 'refs/heads/feature',
        GITHUB_JOB: 'deploy',
      },
      /the workflow .*evil\.yml@refs\/heads\/feature is not octo\/sites\/\.github\/workflows\/deploy\.yml@refs\/heads\/main/,
    ],
    [
      'deploy.yml as changed on a branch (workflow_dispatch from the branch)',
      {
        GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/deploy.yml@refs/heads/feature`,
        GITHUB_REF: 'refs/heads/feature',
        GITHUB_EVENT_NAME: 'workflow_dispatch',
      },
      /deploy\.yml@refs\/heads\/feature is not/,
    ],
    [
      'another workflow on main',
      { GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/ci.yml@refs/heads/main` },
      /ci\.yml@refs\/heads\/main is not/,
    ],
    [
      'deploy.yml at a tag named like the branch',
      {
        GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/deploy.yml@refs/tags/main`,
        GITHUB_REF: 'refs/tags/main',
      },
      /refs\/tags\/main is not/,
    ],
    [
      "another repository's deploy.yml",
      {
        GITHUB_WORKFLOW_REF: 'mallory/fork/.github/workflows/deploy.yml@refs/heads/main',
        GITHUB_REPOSITORY: 'mallory/fork',
        OSA_GITOPS_REPOSITORY: REPO,
      },
      /the repository mallory\/fork is not octo\/sites/,
    ],
    ['the plan job', { GITHUB_JOB: 'plan' }, /the job plan is not the deploy job/],
    [
      'a pull_request event',
      { GITHUB_EVENT_NAME: 'pull_request' },
      /the event pull_request does not run \S+deploy\.yml\S* on a deploy runner/,
    ],
    [
      'a ref other than the default branch',
      { GITHUB_REF: 'refs/heads/feature' },
      /the ref refs\/heads\/feature is not/,
    ],
    ['no GITHUB_WORKFLOW_REF', { GITHUB_WORKFLOW_REF: undefined }, /GITHUB_WORKFLOW_REF is not set/],
    ['no event payload', { GITHUB_EVENT_PATH: '/nonexistent/event.json' }, /no event payload/],
    [
      'a workflow command smuggled in a value',
      { GITHUB_JOB: 'x\n::add-mask::y' },
      /the job x\?::add-mask::y is not/,
    ],
  ];

  it.each(REFUSED)('refuses %s', async (_what, overrides, message) => {
    const r = await runHook(await deployJob(overrides));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/^osa-gitops runner hook: refusing this job on a deploy runner: /);
    expect(r.out).toBe('');
    expect(r.err.split('\n').filter((l) => l.startsWith('::'))).toEqual([]);
  });

  it('refuses an event payload without a default branch, or one that is not JSON', async () => {
    for (const payload of [{ repository: {} }, 'not json', { repository: { default_branch: 7 } }]) {
      const r = await runHook(await deployJob({}, payload));
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/names no default branch/);
    }
  });
});
