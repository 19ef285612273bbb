import * as path from 'node:path';
import { z } from 'zod';

export const MODES = [
  'validate',
  'render',
  'publish',
  'propose',
  'deploy-plan',
  'runner-plan',
  'comment',
  'preview-plan',
  'preview-comment',
  'drift-issues',
  'revert-pr',
] as const;
export type Mode = (typeof MODES)[number];

/** GitHub's hard limit for an issue/PR comment or PR body, in characters. */
export const GITHUB_BODY_LIMIT = 65_536;

/** Everything the action needs, parsed once; modes never read inputs or env themselves. */
export interface ActionConfig {
  readonly mode: Mode;
  /** '' when not given (validate and deploy-plan need no token unless they must fetch). */
  readonly token: string;
  /** Absolute; the repository checkout (or a folder inside it). */
  readonly workingDirectory: string;
  readonly baseRef?: string;
  readonly headRef?: string;
  /** Maximum characters of a comment or PR body. */
  readonly budget: number;
  /** Absolute; where validate writes the report and comment reads it. */
  readonly reportDir: string;
  readonly sourceBranch?: string;
  readonly botBranchPrefix: string;
  readonly committer: { readonly name: string; readonly email: string };
  /** deploy-plan override, runner-plan choice: `all` or explicit site names. */
  readonly sites?: 'all' | readonly string[];
  /**
   * deploy-plan, dispatch only: the metal cut-over of the chosen sites was approved for this run
   * (`approved`: their `<site>-metal-cutover` environments must exist with reviewers) or done by
   * hand (`done`).
   */
  readonly metalCutover?: 'approved' | 'done';
  readonly prNumber?: number;
  /** Absolute; where render writes the rendered-trees artifact and publish reads it. */
  readonly renderDir: string;
  /** publish: the commit the render job checked out, from a trusted source (not the artifact). */
  readonly sourceSha?: string;
  /** comment: the login whose comments count as ours (and only when GitHub says it is a Bot). */
  readonly commentAuthor: string;
  /** Absolute; preview-plan writes the PR's rendered trees (data) there for the runners. */
  readonly prTreeDir: string;
  /** Absolute; preview-comment reads the runners' `<site>.md` previews from it. */
  readonly previewDir: string;
  /** Absolute; drift-issues reads the runners' `<site>.json` drift reports from it. */
  readonly driftDir: string;
  /** Absolute; revert-pr reads the deploy jobs' `<site>.json` outcomes (`deploy --outcome`) from it. */
  readonly outcomeDir: string;
  readonly github: GitHubEnv;
}

export interface GitHubEnv {
  /** `owner/name`; '' outside Actions. */
  readonly repository: string;
  readonly apiUrl: string;
  readonly serverUrl: string;
  readonly eventName: string;
  readonly eventPath?: string;
  readonly sha?: string;
  /** `refs/heads/x` etc. */
  readonly ref?: string;
  readonly runId?: string;
}

/** Thrown for a bad input: the message names the input and what it accepts. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const optional = z
  .string()
  .transform((s) => s.trim())
  .transform((s) => (s === '' ? undefined : s));
const gitRef = optional.refine(
  (s) => s === undefined || (!s.startsWith('-') && !/[\s~^:?*[\\]/.test(s.replace(/\^\{commit\}$/, ''))),
  {
    message: 'must be a branch, tag or commit id (no spaces, no leading "-")',
  },
);
const siteName = /^[a-z0-9][a-z0-9-]*$/;

/** An optional whole-number input within bounds ('' → undefined). */
function wholeNumber(min: number, max: number, why: string) {
  return optional.transform((s, ctx) => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!/^\d+$/.test(s) || n < min || n > max) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a whole number from ${min} to ${max}${why ? ` ${why}` : ''}`,
      });
      return z.NEVER;
    }
    return n;
  });
}

const Inputs = z.object({
  mode: z.enum(MODES, { message: `must be one of ${MODES.join(', ')}` }),
  token: z.string(),
  'working-directory': z.string().transform((s) => s.trim() || '.'),
  'base-ref': gitRef,
  'head-ref': gitRef,
  budget: wholeNumber(1000, GITHUB_BODY_LIMIT, `(GitHub's comment limit is ${GITHUB_BODY_LIMIT})`),
  'report-dir': z.string().transform((s) => s.trim() || 'osa-gitops-report'),
  'source-branch': gitRef,
  'bot-branch-prefix': z
    .string()
    .transform((s) => s.trim() || 'osa-gitops/render/')
    .refine((s) => s.endsWith('/') && !s.startsWith('/') && !/[\s~^:?*[\\]|\.\./.test(s), {
      message: 'must be a branch name prefix ending in "/"',
    }),
  'committer-name': z.string().transform((s) => s.trim() || 'osa-gitops[bot]'),
  'committer-email': z
    .string()
    .transform((s) => s.trim() || 'osa-gitops[bot]@users.noreply.github.com')
    .refine((s) => /^[^\s<>@]+@[^\s<>@]+$/.test(s), { message: 'must be an e-mail address' }),
  sites: optional.refine(
    (s) =>
      s === undefined ||
      s === 'all' ||
      s
        .split(/[\s,]+/)
        .filter(Boolean)
        .every((x) => siteName.test(x)),
    { message: 'must be "all" or site names separated by commas' },
  ),
  'metal-cutover': z
    .string()
    .transform((s) => s.trim())
    .refine((s) => s === '' || s === 'none' || s === 'approved' || s === 'done', {
      message: 'must be none, approved or done',
    }),
  'pr-number': wholeNumber(1, Number.MAX_SAFE_INTEGER, ''),
  'render-dir': z.string().transform((s) => s.trim() || 'osa-gitops-render'),
  'source-sha': optional.refine((s) => s === undefined || /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(s), {
    message: 'must be a full commit id (40 or 64 lowercase hex digits)',
  }),
  'comment-author': z
    .string()
    .transform((s) => s.trim() || 'github-actions[bot]')
    .refine((s) => /^[A-Za-z0-9][A-Za-z0-9-]*(\[bot\])?$/.test(s), {
      message: 'must be a GitHub login (e.g. github-actions[bot])',
    }),
  'preview-dir': z.string().transform((s) => s.trim() || 'osa-gitops-preview'),
  'pr-tree-dir': z.string().transform((s) => s.trim() || 'osa-gitops-pr-trees'),
  'drift-dir': z.string().transform((s) => s.trim() || 'osa-gitops-drift'),
  'outcome-dir': z.string().transform((s) => s.trim() || 'osa-gitops-outcome'),
});

export type InputName = keyof z.input<typeof Inputs>;
export const INPUT_NAMES = Object.keys(Inputs.shape) as InputName[];

/**
 * Parse inputs (as `core.getInput` returns them) and the runner's GITHUB_* variables. All
 * problems are reported together, each naming its input; values are never echoed, so a token
 * pasted into the wrong input does not end up in the log.
 */
export function parseConfig(
  read: (name: InputName) => string,
  env: Readonly<Record<string, string | undefined>>,
): ActionConfig {
  const raw = Object.fromEntries(INPUT_NAMES.map((n) => [n, read(n)]));
  const parsed = Inputs.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `Input '${String(i.path[0])}' ${i.message}.`);
    throw new InputError(lines.join('\n'));
  }
  const i = parsed.data;
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const workingDirectory = path.resolve(workspace, i['working-directory']);
  const github: GitHubEnv = {
    repository: env.GITHUB_REPOSITORY ?? '',
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ...(env.GITHUB_EVENT_PATH ? { eventPath: env.GITHUB_EVENT_PATH } : {}),
    ...(env.GITHUB_SHA ? { sha: env.GITHUB_SHA } : {}),
    ...(env.GITHUB_REF ? { ref: env.GITHUB_REF } : {}),
    ...(env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {}),
  };
  const needsApi = (
    ['propose', 'publish', 'comment', 'preview-plan', 'preview-comment', 'drift-issues', 'revert-pr'] as const
  ).some((m) => m === i.mode);
  if (needsApi && !i.token) throw new InputError(`Input 'token' is required for mode '${i.mode}'.`);
  if (needsApi && !/^[^/\s]+\/[^/\s]+$/.test(github.repository)) {
    throw new InputError(`GITHUB_REPOSITORY must be set to owner/name for mode '${i.mode}'.`);
  }
  const sites =
    i.sites === undefined ? undefined : i.sites === 'all' ? 'all' : i.sites.split(/[\s,]+/).filter(Boolean);
  return {
    mode: i.mode,
    token: i.token,
    workingDirectory,
    ...(i['base-ref'] ? { baseRef: i['base-ref'] } : {}),
    ...(i['head-ref'] ? { headRef: i['head-ref'] } : {}),
    budget: i.budget ?? 60_000,
    reportDir: path.resolve(workingDirectory, i['report-dir']),
    ...(i['source-branch'] ? { sourceBranch: i['source-branch'] } : {}),
    botBranchPrefix: i['bot-branch-prefix'],
    committer: { name: i['committer-name'], email: i['committer-email'] },
    ...(sites ? { sites } : {}),
    ...(i['metal-cutover'] === 'approved' || i['metal-cutover'] === 'done'
      ? { metalCutover: i['metal-cutover'] }
      : {}),
    ...(i['pr-number'] ? { prNumber: i['pr-number'] } : {}),
    renderDir: path.resolve(workingDirectory, i['render-dir']),
    ...(i['source-sha'] ? { sourceSha: i['source-sha'] } : {}),
    commentAuthor: i['comment-author'],
    previewDir: path.resolve(workingDirectory, i['preview-dir']),
    prTreeDir: path.resolve(workingDirectory, i['pr-tree-dir']),
    driftDir: path.resolve(workingDirectory, i['drift-dir']),
    outcomeDir: path.resolve(workingDirectory, i['outcome-dir']),
    github,
  };
}
