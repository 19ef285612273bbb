import { GitHubApiError } from './api-error.js';
import type { GitHubClient } from './client.js';

export interface PullRequest {
  readonly number: number;
  readonly state: 'open' | 'closed';
  readonly title: string;
  readonly body?: string | null;
  readonly html_url?: string;
  readonly head: {
    readonly ref: string;
    readonly sha: string;
    readonly repo?: { readonly full_name?: string } | null;
  };
  readonly base: { readonly ref: string; readonly sha?: string };
}

const WRITE = 'pull-requests: write';
const READ = 'pull-requests: read';

/**
 * The open PR whose head is `branch` in this repository (and whose base is `base`, when given).
 * Found by head branch, never by title: renaming the title must not orphan the PR (the
 * lesson release-please learned).
 */
export async function findOpenPullRequest(
  client: GitHubClient,
  branch: string,
  base?: string,
): Promise<PullRequest | undefined> {
  const prs = await client.paginate<PullRequest>(client.repoPath('/pulls'), {
    query: { state: 'open', head: `${client.owner}:${branch}`, base },
    permission: READ,
  });
  return prs.find((p) => p.head.ref === branch && (base === undefined || p.base.ref === base));
}

/**
 * The open PRs of this repository whose head is `owner:branch` (a fork's owner for fork PRs),
 * any base. GitHub's "pull requests of a commit" endpoint lists no fork PRs, so the comment mode
 * finds the PRs of a validated commit this way.
 */
export async function listOpenPullRequestsFromHead(
  client: GitHubClient,
  owner: string,
  branch: string,
): Promise<PullRequest[]> {
  const prs = await client.paginate<PullRequest>(client.repoPath('/pulls'), {
    query: { state: 'open', head: `${owner}:${branch}` },
    permission: READ,
  });
  return prs.filter((p) => p.state === 'open' && p.head.ref === branch);
}

export async function getPullRequest(client: GitHubClient, number: number): Promise<PullRequest> {
  return client.request<PullRequest>('GET', client.repoPath(`/pulls/${number}`), { permission: READ });
}

export interface PullRequestContent {
  readonly title: string;
  readonly body: string;
}

export type PullRequestOperation = 'created' | 'updated' | 'closed' | 'none';

/** Create the PR for `head` → `base`, or update the open one in place. */
export async function createOrUpdatePullRequest(
  client: GitHubClient,
  head: string,
  base: string,
  content: PullRequestContent,
): Promise<{ readonly operation: 'created' | 'updated'; readonly pullRequest: PullRequest }> {
  const existing = await findOpenPullRequest(client, head, base);
  if (existing) {
    const pullRequest = await client.request<PullRequest>(
      'PATCH',
      client.repoPath(`/pulls/${existing.number}`),
      {
        body: { title: content.title, body: content.body },
        permission: WRITE,
      },
    );
    return { operation: 'updated', pullRequest };
  }
  try {
    const pullRequest = await client.request<PullRequest>('POST', client.repoPath('/pulls'), {
      body: { title: content.title, body: content.body, head, base },
      permission: WRITE,
    });
    return { operation: 'created', pullRequest };
  } catch (err) {
    // Another job opened it since we looked (two revert jobs run side by side): update that one.
    if (!(
      err instanceof GitHubApiError &&
      err.status === 422 &&
      /already exists/i.test(err.githubMessage ?? '')
    ))
      throw err;
    const opened = await findOpenPullRequest(client, head, base);
    if (!opened) throw err;
    const pullRequest = await client.request<PullRequest>(
      'PATCH',
      client.repoPath(`/pulls/${opened.number}`),
      {
        body: { title: content.title, body: content.body },
        permission: WRITE,
      },
    );
    return { operation: 'updated', pullRequest };
  }
}

/** Close the open PR for `head`, if any, leaving a body that says why. */
export async function closePullRequest(
  client: GitHubClient,
  head: string,
  base: string,
  body: string,
): Promise<PullRequest | undefined> {
  const existing = await findOpenPullRequest(client, head, base);
  if (!existing) return undefined;
  return client.request<PullRequest>('PATCH', client.repoPath(`/pulls/${existing.number}`), {
    body: { state: 'closed', body },
    permission: WRITE,
  });
}
