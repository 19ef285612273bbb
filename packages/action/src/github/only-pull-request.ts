import type { GitHubClient } from './client.js';
import type { PullRequest } from './pull-request.js';

/**
 * The one open PR whose head is `sha`, asked of GitHub (`GET /commits/{sha}/pulls`), or why there
 * is none to trust. A workflow_run job must not take a PR number from an artifact the PR's own
 * code wrote: two PRs can share a head commit (one opened into a base branch with a modified
 * action), so a commit with more than one open PR is refused rather than guessed.
 */
export async function onlyOpenPullRequestFor(
  client: GitHubClient,
  sha: string,
): Promise<
  { readonly ok: true; readonly pr: PullRequest } | { readonly ok: false; readonly reason: string }
> {
  const prs = await client.paginate<PullRequest>(client.repoPath(`/commits/${sha}/pulls`), {
    query: { per_page: 100 },
    permission: 'pull-requests: read',
  });
  const open = prs.filter((p) => p.state === 'open' && p.head.sha === sha);
  if (open.length === 1) return { ok: true, pr: open[0]! };
  return {
    ok: false,
    reason:
      open.length === 0
        ? `no open pull request has ${sha.slice(0, 12)} as its head (it moved on, or was closed)`
        : `${open.length} open pull requests (#${open.map((p) => p.number).join(', #')}) share the head ${sha.slice(0, 12)}; refusing to pick one`,
  };
}
