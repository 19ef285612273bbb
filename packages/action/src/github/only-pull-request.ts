import type { WorkflowRunEvent } from '../event.js';
import type { GitHubClient } from './client.js';
import { listOpenPullRequestsFromHead, type PullRequest } from './pull-request.js';

/**
 * The one open PR whose head is the workflow run's commit, asked of GitHub by the run's head
 * (`owner:branch`, which also finds fork PRs), or why there is none to trust. A workflow_run job
 * must not take a PR number from an artifact the PR's own code wrote: two PRs can share a head
 * commit (one opened into a base branch with a modified action), so a commit with more than one
 * open PR is refused rather than guessed.
 */
export async function onlyOpenPullRequestFor(
  client: GitHubClient,
  event: WorkflowRunEvent,
): Promise<
  { readonly ok: true; readonly pr: PullRequest } | { readonly ok: false; readonly reason: string }
> {
  const sha = event.workflow_run.head_sha;
  const branch = event.workflow_run.head_branch;
  const owner = event.workflow_run.head_repository?.owner.login;
  if (!branch || !owner)
    return { ok: false, reason: 'the workflow_run event names no head branch or head repository' };
  const open = (await listOpenPullRequestsFromHead(client, owner, branch)).filter((p) => p.head.sha === sha);
  if (open.length === 1) return { ok: true, pr: open[0]! };
  return {
    ok: false,
    reason:
      open.length === 0
        ? `no open pull request from ${owner}:${branch} has ${sha.slice(0, 12)} as its head (it moved on, or was closed)`
        : `${open.length} open pull requests (#${open.map((p) => p.number).join(', #')}) share the head ${sha.slice(0, 12)}; refusing to pick one`,
  };
}
