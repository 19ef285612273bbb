import * as fs from 'node:fs';
import { z } from 'zod';

const sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'a commit id');

export const PullRequestEvent = z.object({
  pull_request: z.object({
    number: z.number().int().positive(),
    base: z.object({ sha, ref: z.string() }),
    head: z.object({ sha, ref: z.string() }),
  }),
});
export type PullRequestEvent = z.infer<typeof PullRequestEvent>;

export const PushEvent = z.object({
  before: sha,
  after: sha,
  ref: z.string(),
});
export type PushEvent = z.infer<typeof PushEvent>;

export const WorkflowRunEvent = z.object({
  workflow_run: z.object({
    id: z.number().int(),
    event: z.string(),
    head_sha: sha,
    /** The branch and the repository (a fork's, for fork PRs) the run was for. */
    head_branch: z.string().nullable().optional(),
    head_repository: z
      .object({ owner: z.object({ login: z.string() }) })
      .nullable()
      .optional(),
    conclusion: z.string().nullable().optional(),
  }),
});
export type WorkflowRunEvent = z.infer<typeof WorkflowRunEvent>;

/** All zeros: the `before` of a push that created the branch. */
export const NULL_SHA = /^0+$/;

/**
 * The event payload at GITHUB_EVENT_PATH, checked against the fields a mode relies on. Returns
 * undefined when there is no payload or it is another event's shape, so modes can fall back to
 * explicit inputs (manual runs, tests).
 */
export function readEvent<T>(schema: z.ZodType<T>, eventPath: string | undefined): T | undefined {
  if (!eventPath || !fs.existsSync(eventPath)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(eventPath, 'utf8'));
  } catch (err) {
    throw new Error(`The event payload at GITHUB_EVENT_PATH is not JSON.`, { cause: err });
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
