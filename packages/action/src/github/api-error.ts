/**
 * A failed GitHub REST call, with a message that says what to do about it. Messages never contain
 * the token: they are built from the method, the path (no query string) and GitHub's own message,
 * and `redact` runs over the result as a second line of defence.
 */
export class GitHubApiError extends Error {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** GitHub's `message` field (plus `errors[].message` for 422), when the response had one. */
  readonly githubMessage?: string;

  constructor(init: {
    status: number;
    method: string;
    path: string;
    githubMessage?: string;
    message: string;
  }) {
    super(init.message);
    this.name = 'GitHubApiError';
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.githubMessage = init.githubMessage;
  }
}

export interface DescribeFailure {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly githubMessage?: string;
  readonly repository: string;
  /** Permission the call needs, e.g. `pull-requests: write`; named in 403 messages. */
  readonly permission?: string;
  readonly rateLimited: boolean;
  readonly attempts: number;
}

/** One actionable sentence (or two) per failure class. */
export function describeFailure(f: DescribeFailure): string {
  const call = `${f.method} ${f.path}`;
  const gh = f.githubMessage ? `: ${f.githubMessage}` : '';
  switch (true) {
    case f.status === 401:
      return `GitHub API rejected the token for ${call} (401${gh}). The token is missing, expired or revoked.`;
    case (f.status === 403 || f.status === 429) && f.rateLimited:
      return `GitHub API rate limit hit on ${call} (${f.status}${gh}) after ${f.attempts} attempt(s). Re-run the job later.`;
    case f.status === 403:
      return (
        `GitHub API denied ${call} (403${gh}). ` +
        (f.permission
          ? `The token needs the "${f.permission}" permission: grant it in the job's \`permissions:\` ` +
            `(or to the GitHub App). Pull requests from forks only ever get a read-only token; ` +
            `their report is posted by the pr-comment workflow instead.`
          : `The token lacks a permission this call needs.`)
      );
    case f.status === 404:
      return (
        `GitHub API: ${call} not found (404${gh}). Check GITHUB_REPOSITORY (${f.repository}) and the ` +
        `number or branch; GitHub also answers 404 when the token cannot see the repository.`
      );
    case f.status === 422:
      return `GitHub API refused ${call} (422 validation failed${gh}).`;
    case f.status >= 500:
      return `GitHub API ${call} failed with ${f.status}${gh} after ${f.attempts} attempt(s); GitHub may be degraded, re-run the job.`;
    default:
      return `GitHub API ${call} failed with ${f.status}${gh}.`;
  }
}

/** Replace every occurrence of each secret with `***` (secrets shorter than 4 chars are ignored). */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('***');
  }
  return out;
}
