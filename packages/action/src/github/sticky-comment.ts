import type { GitHubClient } from './client.js';

interface IssueComment {
  readonly id: number;
  readonly body?: string | null;
  readonly user?: { readonly login?: string; readonly type?: string } | null;
}

export interface StickyCommentOptions {
  readonly issueNumber: number;
  /** Hidden HTML comment that identifies our comment; the body is made to start with it. */
  readonly marker: string;
  readonly body: string;
  /**
   * Login of the identity that posts the comment (`github-actions[bot]` for GITHUB_TOKEN, or
   * `<app-slug>[bot]`). Only comments by this Bot account are ours.
   */
  readonly author: string;
}

export type StickyCommentResult = {
  readonly operation: 'created' | 'updated' | 'unchanged';
  readonly id: number;
  readonly deleted: readonly number[];
};

// Issue comments on a pull request are "pull request" comments for permissions purposes.
const WRITE = 'pull-requests: write';
const READ = 'pull-requests: read';

/**
 * Keep exactly one report comment per PR: find ours by the marker at the start of the body (a
 * reply quoting it starts with `>`, so it never matches) AND by its author: anyone can post a
 * comment that starts with the marker, and matching on the body alone would let them make the
 * bot edit or delete it (or make the bot leave its real report behind). Only a comment by the
 * `author` login that GitHub marks `type: Bot` counts; a user cannot take a `[bot]` login. Edit
 * ours in place, create it only when there is none. Duplicates left by an older run (or a POST that timed out after GitHub stored it)
 * are deleted, oldest kept, so reviewers never see two reports.
 */
export async function upsertStickyComment(
  client: GitHubClient,
  options: StickyCommentOptions,
): Promise<StickyCommentResult> {
  const body = options.body.startsWith(options.marker) ? options.body : `${options.marker}\n${options.body}`;
  const comments = await client.paginate<IssueComment>(
    client.repoPath(`/issues/${options.issueNumber}/comments`),
    { permission: READ },
  );
  const ours = comments
    .filter((c) => isBotComment(c, options.author) && c.body?.startsWith(options.marker))
    .sort((a, b) => a.id - b.id);
  const [keep, ...extra] = ours;
  if (!keep) {
    const created = await client.request<IssueComment>(
      'POST',
      client.repoPath(`/issues/${options.issueNumber}/comments`),
      { body: { body }, permission: WRITE },
    );
    return { operation: 'created', id: created.id, deleted: [] };
  }
  let operation: 'updated' | 'unchanged' = 'unchanged';
  if (keep.body !== body) {
    await client.request('PATCH', client.repoPath(`/issues/comments/${keep.id}`), {
      body: { body },
      permission: WRITE,
    });
    operation = 'updated';
  }
  for (const c of extra) {
    await client.request('DELETE', client.repoPath(`/issues/comments/${c.id}`), { permission: WRITE });
  }
  return { operation, id: keep.id, deleted: extra.map((c) => c.id) };
}

function isBotComment(c: IssueComment, author: string): boolean {
  return c.user?.type === 'Bot' && c.user.login === author;
}
