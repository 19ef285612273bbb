import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { FakeGitHub, TokenPermissions } from '../fake-github.js';
import { parseOutputFile } from '../run-action.js';
import { condition, interpolate, type ExpressionContext, type StatusFunctions } from './expressions.js';
import type { AuthGitServer } from './git-server.js';

/** The repository these tests live in: its workflows, committed bundle, runner hook and node_modules. */
export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../..');
export const WORKFLOWS_DIR = path.join(REPO_ROOT, '.github/workflows');

/**
 * The real actions/checkout at the version the workflows pin: ACTIONS_CHECKOUT_SRC, which `.ci/run`
 * and the upstream sources' env.sh set to the pinned copy; undefined when it is not set or not there
 * (the tests that need it then skip).
 */
export function checkoutActionDir(): string | undefined {
  const dir = process.env.ACTIONS_CHECKOUT_SRC;
  return dir && existsSync(path.join(dir, 'dist/index.js')) ? dir : undefined;
}

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: unknown;
  'continue-on-error'?: unknown;
}
export interface Job {
  name?: string;
  needs?: string | string[];
  if?: unknown;
  strategy?: { matrix?: unknown };
  'runs-on'?: unknown;
  environment?: unknown;
  permissions?: Record<string, string> | string;
  concurrency?: { group?: string; 'cancel-in-progress'?: unknown } | string;
  'timeout-minutes'?: number;
  outputs?: Record<string, string>;
  env?: Record<string, unknown>;
  steps?: Step[];
}
export interface Workflow {
  name?: string;
  on: unknown;
  permissions?: unknown;
  env?: Record<string, unknown>;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

export function loadWorkflow(file: string): Workflow {
  return parse(readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8')) as Workflow;
}

export function workflowFiles(): string[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

/** A deploy host: what a self-hosted runner with a site's label has besides the job's checkout. */
export interface SelfHostedRunner {
  /** Prepended to PATH (the host's openstack-ansible wrapper, say). */
  readonly path?: readonly string[];
  /** The runner's `.env` (the job-started hook reads OSA_GITOPS_* from it). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface StepResult {
  readonly name: string;
  readonly outcome: 'success' | 'failure' | 'skipped';
  readonly outputs: Record<string, string>;
  readonly log: string;
}

export interface JobResult {
  readonly job: string;
  readonly matrix?: Record<string, unknown>;
  readonly result: 'success' | 'failure' | 'skipped';
  readonly outputs: Record<string, string>;
  readonly steps: StepResult[];
  /** Everything the steps printed, in order (for failure messages). */
  readonly log: string;
  /** GITHUB_STEP_SUMMARY of every step, joined. */
  readonly summary: string;
  /** The job's concurrency group, evaluated; undefined when it has none. */
  readonly concurrency?: string;
  /** The environment the job ran in, evaluated. */
  readonly environment?: string;
  /** The job's GITHUB_TOKEN (to look up its requests on the stand-ins). */
  readonly token?: string;
  readonly workspace?: string;
}

export interface RunResult {
  readonly jobs: Record<string, JobResult[]>;
  /** The first entry of a job, or of one of its matrix entries matching `matrix`. */
  job(id: string, matrix?: Record<string, unknown>): JobResult;
}

export interface RunOptions {
  readonly workflow: string;
  readonly eventName: string;
  readonly event: Record<string, unknown>;
  /** GITHUB_REF and GITHUB_SHA of the run (for workflow_run and schedule: the default branch's). */
  readonly ref: string;
  readonly sha: string;
  readonly runId: number;
  readonly inputs?: Record<string, unknown>;
  /** Only these jobs run (with their needs' results given in `needs`). */
  readonly only?: readonly string[];
  readonly needs?: Record<string, { result: string; outputs: Record<string, string> }>;
}

export interface HarnessOptions {
  readonly root: string;
  /** The git isolation environment (HOME, GIT_CONFIG_GLOBAL, …) of every process. */
  readonly env: NodeJS.ProcessEnv;
  readonly repository: string;
  readonly defaultBranch?: string;
  readonly git: AuthGitServer;
  readonly github: FakeGitHub;
  /** Repository variables (`vars`). */
  readonly vars?: Record<string, string>;
  /** Repository secrets. */
  readonly secrets?: Record<string, string>;
  /** GitHub environments by name: their secrets; a name not here does not exist. */
  readonly environments?: Record<string, { secrets?: Record<string, string>; reject?: boolean }>;
  /** The deploy hosts by runner label. */
  readonly runners?: Record<string, SelfHostedRunner>;
}

let tokens = 0;

/**
 * Runs this repository's workflow files as GitHub's runner does, job by job and step by step:
 * `if:` and `${{ }}` evaluated (expressions.ts), a matrix expanded, `needs` outputs and results
 * passed on, each job in a fresh workspace with its own GITHUB_TOKEN carrying exactly its
 * `permissions:` (on the GitHub API stand-in and on the git server, which needs credentials for
 * reads and writes, as a private repository does), self-hosted jobs behind the job-started hook.
 * Steps: `actions/checkout` is the real action (checkoutActionDir), `./packages/action` is the
 * bundle as the checkout left it, `run:` is `bash -e -o pipefail` in the workspace, and
 * `npm ci` links this repository's installed packages into the checkout instead of installing.
 * Stand-ins: setup-node (does nothing: the tests' node runs everything), upload-artifact and
 * download-artifact (folders kept per run), create-github-app-token (a token with the
 * `permission-*` it asked for).
 */
export class WorkflowHarness {
  /** Artifacts by run id, then name: the folder uploaded. */
  readonly artifacts = new Map<number, Map<string, string>>();
  /** Environments a job used that did not exist (GitHub creates those, unprotected). */
  readonly createdEnvironments: string[] = [];
  readonly #checkout: string;
  #shim: string | undefined;

  constructor(readonly options: HarnessOptions) {
    const dir = checkoutActionDir();
    if (!dir) throw new Error('actions/checkout is not available (ACTIONS_CHECKOUT_SRC)');
    this.#checkout = dir;
  }

  get defaultBranch(): string {
    return this.options.defaultBranch ?? 'main';
  }

  /** Run a whole workflow (or the jobs in `only`), in `needs` order. */
  async run(run: RunOptions): Promise<RunResult> {
    const wf = loadWorkflow(run.workflow);
    const results: Record<string, JobResult[]> = {};
    const needsOf = (job: Job): string[] =>
      job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
    const order = Object.keys(wf.jobs).filter((id) => !run.only || run.only.includes(id));
    const done = new Set<string>();
    while (done.size < order.length) {
      const ready = order.find(
        (id) => !done.has(id) && needsOf(wf.jobs[id]!).every((n) => done.has(n) || !order.includes(n)),
      );
      if (!ready) throw new Error(`cyclic needs in ${run.workflow}`);
      const job = wf.jobs[ready]!;
      const needs: Record<string, { result: string; outputs: Record<string, string> }> = {};
      for (const n of needsOf(job)) {
        const rs = results[n];
        needs[n] = rs ? aggregate(rs) : (run.needs?.[n] ?? { result: 'skipped', outputs: {} });
      }
      results[ready] = await this.runJobMatrix(wf, ready, run, needs);
      done.add(ready);
    }
    return {
      jobs: results,
      job(id, matrix) {
        const rs = results[id];
        if (!rs) throw new Error(`job ${id} did not run`);
        const found = matrix
          ? rs.find((r) => Object.entries(matrix).every(([k, v]) => r.matrix?.[k] === v))
          : rs[0];
        if (!found) throw new Error(`job ${id} has no entry ${JSON.stringify(matrix)}`);
        return found;
      },
    };
  }

  private async runJobMatrix(
    wf: Workflow,
    id: string,
    run: RunOptions,
    needs: Record<string, { result: string; outputs: Record<string, string> }>,
  ): Promise<JobResult[]> {
    const job = wf.jobs[id]!;
    const base = this.context(run, needs, undefined);
    const anyFailed = Object.values(needs).some((n) => n.result === 'failure');
    const allOk = Object.values(needs).every((n) => n.result === 'success');
    const status: StatusFunctions = {
      success: () => allOk,
      failure: () => anyFailed,
      cancelled: () => false,
      always: () => true,
    };
    if (!condition(job.if, base, status))
      return [{ job: id, result: 'skipped', outputs: {}, steps: [], log: '', summary: '' }];
    let entries: (Record<string, unknown> | undefined)[] = [undefined];
    if (job.strategy?.matrix !== undefined) {
      const m = interpolate(job.strategy.matrix, base) as { include?: Record<string, unknown>[] } & Record<
        string,
        unknown
      >;
      if (!m || typeof m !== 'object') throw new Error(`job ${id}: the matrix is not an object`);
      const include = m.include ?? [];
      const axes = Object.entries(m).filter(([k]) => k !== 'include' && k !== 'exclude');
      if (axes.length > 0) throw new Error('matrix axes other than include are not modelled');
      if (include.length === 0)
        throw new Error(`job ${id}: Matrix vector 'include' does not contain any values`);
      entries = include;
    }
    const out: JobResult[] = [];
    for (const matrix of entries) out.push(await this.runJob(wf, id, run, needs, matrix));
    return out;
  }

  private context(
    run: RunOptions,
    needs: Record<string, { result: string; outputs: Record<string, string> }>,
    matrix: Record<string, unknown> | undefined,
    extra: Record<string, unknown> = {},
  ): ExpressionContext {
    const { repository } = this.options;
    return {
      github: {
        repository,
        repository_owner: repository.split('/')[0],
        ref: run.ref,
        ref_name: run.ref.replace(/^refs\/(heads|tags)\//, ''),
        sha: run.sha,
        event_name: run.eventName,
        event: run.event,
        run_id: String(run.runId),
        server_url: this.options.git.url,
        api_url: this.options.github.url,
        ...((extra.github as object | undefined) ?? {}),
      },
      inputs: run.inputs ?? (run.event.inputs as Record<string, unknown> | undefined) ?? {},
      vars: this.options.vars ?? {},
      needs,
      matrix: matrix ?? {},
      strategy: {},
      ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'github')),
    };
  }

  private async runJob(
    wf: Workflow,
    id: string,
    run: RunOptions,
    needs: Record<string, { result: string; outputs: Record<string, string> }>,
    matrix: Record<string, unknown> | undefined,
  ): Promise<JobResult> {
    const job = wf.jobs[id]!;
    const jobDir = await fs.mkdtemp(path.join(this.options.root, `job-${id}-`));
    const workspace = path.join(jobDir, 'work', this.options.repository.split('/')[1]!);
    const temp = path.join(jobDir, 'temp');
    await fs.mkdir(workspace, { recursive: true });
    await fs.mkdir(temp, { recursive: true });
    const eventPath = path.join(jobDir, 'event.json');
    await fs.writeFile(eventPath, JSON.stringify(run.event));

    // The job's GITHUB_TOKEN: exactly its permissions (a job without a block gets the workflow's).
    const token = `ghs_job${++tokens}_${id.replace(/[^a-z0-9]/gi, '')}`;
    const permissions = normalisePermissions(job.permissions ?? wf.permissions);
    this.options.github.grant(token, permissions);
    if (permissions.contents === 'read' || permissions.contents === 'write')
      this.options.git.allow(token, permissions.contents, `GITHUB_TOKEN of ${id}`);

    let ctx = this.context(run, needs, matrix, {
      github: { token, workspace, job: id },
      runner: { temp, os: 'Linux' },
      env: {},
      steps: {},
    });
    const environment =
      job.environment === undefined ? undefined : String(interpolate(job.environment, ctx) ?? '');
    const envDef = environment ? this.options.environments?.[environment] : undefined;
    if (environment && !envDef) this.createdEnvironments.push(environment);
    const concurrency =
      job.concurrency === undefined
        ? undefined
        : String(
            interpolate(typeof job.concurrency === 'string' ? job.concurrency : job.concurrency.group, ctx),
          );
    const base: Omit<JobResult, 'result' | 'outputs' | 'steps' | 'log' | 'summary'> = {
      job: id,
      ...(matrix ? { matrix } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(environment ? { environment } : {}),
      token,
      workspace,
    };
    if (envDef?.reject) {
      return {
        ...base,
        result: 'failure',
        outputs: {},
        steps: [],
        log: `environment ${environment} rejected`,
        summary: '',
      };
    }
    const secrets = { ...(this.options.secrets ?? {}), ...(envDef?.secrets ?? {}), GITHUB_TOKEN: token };
    ctx = { ...ctx, secrets };

    // Where the job runs: a GitHub-hosted runner, or a site's deploy host (behind its hook).
    const runsOn = interpolate(job['runs-on'], ctx);
    const labels = (Array.isArray(runsOn) ? runsOn : [runsOn]).map(String);
    const selfHosted = labels.includes('self-hosted');
    const host = selfHosted ? this.options.runners?.[labels.find((l) => l !== 'self-hosted')!] : undefined;
    if (selfHosted && !host) throw new Error(`no self-hosted runner with labels ${labels.join(', ')}`);

    const githubEnv: NodeJS.ProcessEnv = {
      ...this.options.env,
      ...(host?.env ?? {}),
      PATH: [...(host?.path ?? []), await this.shim(), process.env.PATH].join(':'),
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_REPOSITORY: this.options.repository,
      GITHUB_SERVER_URL: this.options.git.url,
      GITHUB_API_URL: this.options.github.url,
      GITHUB_REF: run.ref,
      GITHUB_REF_NAME: run.ref.replace(/^refs\/(heads|tags)\//, ''),
      GITHUB_SHA: run.sha,
      GITHUB_EVENT_NAME: run.eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_RUN_ID: String(run.runId),
      GITHUB_JOB: id,
      GITHUB_WORKFLOW_REF: `${this.options.repository}/.github/workflows/${run.workflow}@refs/heads/${this.defaultBranch}`,
      RUNNER_TEMP: temp,
      NO_COLOR: '1',
    };

    let log = '';
    let summary = '';
    const steps: StepResult[] = [];
    const stepsCtx: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> =
      {};
    let failed = false;

    if (selfHosted) {
      // The runner's ACTIONS_RUNNER_HOOK_JOB_STARTED (docs/github.md, "Deploy runners").
      const hook = await sh(
        'bash',
        ['-e', path.join(REPO_ROOT, 'packages/action/runner-hooks/job-started.sh')],
        {
          cwd: workspace,
          env: githubEnv,
        },
      );
      log += hook.out;
      if (hook.code !== 0) {
        return { ...base, result: 'failure', outputs: {}, steps, log, summary };
      }
    }

    for (const [i, step] of (job.steps ?? []).entries()) {
      const name = step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${i + 1}`;
      ctx = { ...ctx, steps: stepsCtx, env: { ...(wf.env ?? {}), ...(job.env ?? {}) } };
      const status: StatusFunctions = {
        success: () => !failed,
        failure: () => failed,
        cancelled: () => false,
        always: () => true,
      };
      if (!condition(step.if, ctx, status)) {
        steps.push({ name, outcome: 'skipped', outputs: {}, log: '' });
        if (step.id) stepsCtx[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
        continue;
      }
      const stepEnv = Object.fromEntries(
        Object.entries({ ...(wf.env ?? {}), ...(job.env ?? {}), ...(step.env ?? {}) }).map(([k, v]) => [
          k,
          String(interpolate(v, ctx) ?? ''),
        ]),
      );
      const outputFile = path.join(jobDir, `output-${i}`);
      const summaryFile = path.join(jobDir, `summary-${i}`);
      await fs.writeFile(outputFile, '');
      await fs.writeFile(summaryFile, '');
      const env: NodeJS.ProcessEnv = {
        ...githubEnv,
        ...stepEnv,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
      };
      const withInputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(v, ctx)]),
      );
      let r: { code: number; out: string; outputs?: Record<string, string> };
      try {
        r = await this.step(step, withInputs, env, workspace, ctx, run);
      } catch (err) {
        r = { code: 1, out: `harness: ${(err as Error).stack ?? String(err)}\n` };
      }
      const outputs = { ...parseOutputFile(await fs.readFile(outputFile, 'utf8')), ...(r.outputs ?? {}) };
      const stepSummary = await fs.readFile(summaryFile, 'utf8');
      summary += stepSummary;
      log += `--- ${name} (exit ${r.code})\n${r.out}`;
      const outcome = r.code === 0 ? 'success' : 'failure';
      const continueOnError = Boolean(interpolate(step['continue-on-error'] ?? false, ctx));
      const conclusion = outcome === 'failure' && continueOnError ? 'success' : outcome;
      if (conclusion === 'failure') failed = true;
      steps.push({ name, outcome, outputs, log: r.out });
      if (step.id) stepsCtx[step.id] = { outputs, outcome, conclusion };
    }
    ctx = { ...ctx, steps: stepsCtx };
    const outputs = Object.fromEntries(
      Object.entries(job.outputs ?? {}).map(([k, v]) => [k, String(interpolate(v, ctx) ?? '')]),
    );
    return { ...base, result: failed ? 'failure' : 'success', outputs, steps, log, summary };
  }

  private async step(
    step: Step,
    inputs: Record<string, unknown>,
    env: NodeJS.ProcessEnv,
    workspace: string,
    ctx: ExpressionContext,
    run: RunOptions,
  ): Promise<{ code: number; out: string; outputs?: Record<string, string> }> {
    if (step.run !== undefined) {
      const script = String(interpolate(step.run, ctx));
      const file = path.join(
        String(env.RUNNER_TEMP),
        `step-${Date.now()}-${Math.random().toString(36).slice(2)}.sh`,
      );
      await fs.writeFile(file, script);
      return sh('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { cwd: workspace, env });
    }
    const uses = step.uses ?? '';
    const action = uses.split('@')[0]!;
    if (action === 'actions/checkout') {
      return this.node(
        path.join(this.#checkout, 'dist/index.js'),
        path.join(this.#checkout, 'action.yml'),
        inputs,
        env,
        workspace,
        ctx,
      );
    }
    if (action === './packages/action') {
      const dir = path.join(workspace, 'packages/action');
      if (!existsSync(path.join(dir, 'action.yml')))
        return {
          code: 1,
          out: `Can't find 'action.yml' under '${dir}'. Did you forget to run actions/checkout?\n`,
        };
      return this.node(
        path.join(dir, 'dist/index.js'),
        path.join(dir, 'action.yml'),
        inputs,
        env,
        workspace,
        ctx,
      );
    }
    if (action === 'actions/setup-node') return { code: 0, out: `setup-node: using ${process.version}\n` };
    if (action === 'actions/upload-artifact') return this.upload(inputs, run.runId);
    if (action === 'actions/download-artifact') return this.download(inputs, run.runId, env);
    if (action === 'actions/create-github-app-token') return this.appToken(inputs);
    throw new Error(`the harness has no stand-in for ${uses}`);
  }

  /** A JavaScript action as the runner runs it: INPUT_<NAME> for every input (defaults included). */
  private async node(
    main: string,
    actionYml: string,
    inputs: Record<string, unknown>,
    env: NodeJS.ProcessEnv,
    workspace: string,
    ctx: ExpressionContext,
  ): Promise<{ code: number; out: string }> {
    const meta = parse(await fs.readFile(actionYml, 'utf8')) as {
      inputs?: Record<string, { default?: unknown }>;
    };
    const childEnv: NodeJS.ProcessEnv = { ...env };
    for (const [name, def] of Object.entries(meta.inputs ?? {})) {
      const given = inputs[name];
      const value =
        given !== undefined
          ? given
          : def.default !== undefined && def.default !== null
            ? interpolate(def.default, ctx)
            : '';
      childEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] =
        value === null || value === undefined ? '' : String(value);
    }
    for (const name of Object.keys(inputs))
      if (!(name in (meta.inputs ?? {}))) throw new Error(`${actionYml} has no input '${name}'`);
    return sh(process.execPath, [main], { cwd: workspace, env: childEnv });
  }

  private async upload(
    inputs: Record<string, unknown>,
    runId: number,
  ): Promise<{ code: number; out: string }> {
    const name = String(inputs.name ?? 'artifact');
    const from = String(inputs.path);
    const files = existsSync(from) ? await listFiles(from) : [];
    if (files.length === 0) {
      const mode = String(inputs['if-no-files-found'] ?? 'warn');
      if (mode === 'error') return { code: 1, out: `No files were found with the provided path: ${from}.\n` };
      return {
        code: 0,
        out: `No files were found with the provided path: ${from}. No artifacts will be uploaded.\n`,
      };
    }
    const store = this.artifacts.get(runId) ?? new Map<string, string>();
    this.artifacts.set(runId, store);
    if (store.has(name) && String(inputs.overwrite) !== 'true')
      return { code: 1, out: `an artifact named ${name} exists already\n` };
    const to = path.join(this.options.root, 'artifacts', String(runId), name);
    await fs.rm(to, { recursive: true, force: true });
    await fs.cp(from, to, { recursive: true });
    store.set(name, to);
    return { code: 0, out: `uploaded ${files.length} file(s) as ${name}\n` };
  }

  private async download(
    inputs: Record<string, unknown>,
    runId: number,
    env: NodeJS.ProcessEnv,
  ): Promise<{ code: number; out: string }> {
    const from = inputs['run-id'] ? Number(inputs['run-id']) : runId;
    const store = this.artifacts.get(from) ?? new Map<string, string>();
    const dest = path.resolve(String(env.GITHUB_WORKSPACE), String(inputs.path ?? '.'));
    if (inputs.name) {
      const dir = store.get(String(inputs.name));
      if (!dir)
        return {
          code: 1,
          out: `Unable to download artifact(s): Artifact not found for name: ${String(inputs.name)}\n`,
        };
      await fs.cp(dir, dest, { recursive: true });
      return { code: 0, out: `downloaded ${String(inputs.name)}\n` };
    }
    const pattern = new RegExp(
      `^${String(inputs.pattern ?? '*')
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')}$`,
    );
    const names = [...store.keys()].filter((n) => pattern.test(n));
    for (const n of names) {
      const to = String(inputs['merge-multiple']) === 'true' ? dest : path.join(dest, n);
      await fs.cp(store.get(n)!, to, { recursive: true });
    }
    await fs.mkdir(dest, { recursive: true });
    return { code: 0, out: `downloaded ${names.length} artifact(s)\n` };
  }

  private async appToken(
    inputs: Record<string, unknown>,
  ): Promise<{ code: number; out: string; outputs: Record<string, string> }> {
    if (!inputs['client-id'] || !inputs['private-key'])
      return { code: 1, out: 'Input required and not supplied: client-id / private-key\n', outputs: {} };
    const token = `ghs_app${++tokens}`;
    const permissions: Record<string, 'read' | 'write'> = {};
    for (const [k, v] of Object.entries(inputs))
      if (k.startsWith('permission-'))
        permissions[k.slice('permission-'.length)] = v === 'write' ? 'write' : 'read';
    this.options.github.grant(token, permissions);
    if (permissions.contents) this.options.git.allow(token, permissions.contents, 'App token');
    return { code: 0, out: 'App token created\n', outputs: { token } };
  }

  /**
   * `npm ci` on the runner: instead of installing, link this repository's node_modules and its
   * packages (those the checkout does not have) into the job's checkout.
   */
  private async shim(): Promise<string> {
    if (this.#shim) return this.#shim;
    const dir = path.join(this.options.root, 'shim');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(
      path.join(dir, 'npm'),
      `#!/usr/bin/env bash
set -euo pipefail
[ "\${1:-}" = ci ] || { echo "npm stand-in: only 'npm ci' is modelled" >&2; exit 1; }
ln -sfn ${JSON.stringify(path.join(REPO_ROOT, 'node_modules'))} node_modules
mkdir -p packages
for p in ${JSON.stringify(path.join(REPO_ROOT, 'packages'))}/*/; do
  name=$(basename "$p")
  [ -e "packages/$name" ] || ln -s "\${p%/}" "packages/$name"
done
echo "npm ci (linked the test repository's install)"
`,
      { mode: 0o755 },
    );
    this.#shim = dir;
    return dir;
  }
}

function aggregate(rs: JobResult[]): { result: string; outputs: Record<string, string> } {
  const result = rs.some((r) => r.result === 'failure')
    ? 'failure'
    : rs.every((r) => r.result === 'skipped')
      ? 'skipped'
      : 'success';
  return { result, outputs: Object.assign({}, ...rs.map((r) => r.outputs)) as Record<string, string> };
}

/** `permissions:` as the token gets it: `{}` is none, `read-all`/`write-all`, or per scope. */
export function normalisePermissions(p: unknown): TokenPermissions {
  const scopes = ['actions', 'contents', 'issues', 'pull-requests', 'deployments', 'checks', 'statuses'];
  if (p === 'read-all') return Object.fromEntries(scopes.map((s) => [s, 'read']));
  if (p === 'write-all' || p === undefined) return Object.fromEntries(scopes.map((s) => [s, 'write']));
  return (p ?? {}) as TokenPermissions;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}

export function sh(
  cmd: string,
  args: readonly string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: 127, out: `${out}${err.message}\n` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out });
    });
  });
}
