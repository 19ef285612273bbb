import { describeFailure, GitHubApiError, redact } from './api-error.js';

export interface GitHubClientOptions {
  readonly token: string;
  /** REST root, e.g. `https://api.github.com` or a GHES `https://ghe.example/api/v3`. */
  readonly baseUrl: string;
  /** `owner/name`. */
  readonly repository: string;
  /** Extra attempts for 5xx answers and network errors. @default 3 */
  readonly retries?: number;
  /** First backoff delay; doubles per attempt unless GitHub sends `Retry-After`. @default 1000 */
  readonly retryBaseMs?: number;
  /** Per-attempt timeout. @default 30000 */
  readonly timeoutMs?: number;
  readonly log?: (message: string) => void;
  /** Injected for tests of the backoff itself. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  /** Permission the call needs (`pull-requests: write`), named in the 403 message. */
  readonly permission?: string;
}

const MAX_PAGES = 100;
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The few REST calls the action makes, on Node's own `fetch`: no octokit, so the bundle stays
 * small and the base URL is always explicit (@actions/github reads GITHUB_API_URL at
 * import time, which once sent test traffic to api.github.com).
 */
export class GitHubClient {
  readonly owner: string;
  readonly repo: string;
  readonly #token: string;
  readonly #base: URL;
  readonly #opts: GitHubClientOptions;

  constructor(options: GitHubClientOptions) {
    const [owner, repo, ...rest] = options.repository.split('/');
    if (!owner || !repo || rest.length > 0) {
      throw new Error(`Invalid repository '${options.repository}'. Expected format {owner}/{repo}.`);
    }
    this.owner = owner;
    this.repo = repo;
    this.#token = options.token;
    // A trailing slash makes `new URL('repos/…', base)` keep a GHES `/api/v3` prefix.
    this.#base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.#opts = options;
  }

  /** `/repos/{owner}/{repo}` + suffix, with each segment of the repository URL-encoded. */
  repoPath(suffix: string): string {
    return `/repos/${encodeURIComponent(this.owner)}/${encodeURIComponent(this.repo)}${suffix}`;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.#send(method, this.#url(path, options.query), path, options);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  /**
   * GET every page (`per_page=100`, following `Link: rel="next"`). The next-page URL must stay
   * under the configured base URL, so the token is never sent to another host.
   */
  async paginate<T>(path: string, options: RequestOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let url: URL | undefined = this.#url(path, { per_page: 100, ...options.query });
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const res = await this.#send('GET', url, path, options);
      const body = (await res.json()) as unknown;
      if (!Array.isArray(body)) throw new Error(`GitHub API GET ${path} did not return a list.`);
      items.push(...(body as T[]));
      url = nextPage(res.headers.get('link'), this.#base);
    }
    return items;
  }

  #url(path: string, query?: RequestOptions['query']): URL {
    const url = new URL(path.replace(/^\//, ''), this.#base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  async #send(method: string, url: URL, path: string, options: RequestOptions): Promise<Response> {
    const retries = this.#opts.retries ?? 3;
    const sleep = this.#opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${this.#token}`,
            'user-agent': 'osa-gitops-action',
            'x-github-api-version': '2022-11-28',
            ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(this.#opts.timeoutMs ?? 30_000),
        });
      } catch (err) {
        // Network-level failure (refused, reset, timeout): as transient as a 502.
        const reason = redact(errorReason(err), [this.#token]);
        if (attempt <= retries) {
          await this.#backoff(attempt, undefined, `${method} ${path}: ${reason}`, sleep);
          continue;
        }
        throw new Error(
          `Could not reach the GitHub API at ${this.#base.origin} for ${method} ${path} after ${attempt} attempt(s): ${reason}`,
        );
      }
      if (res.ok) return res;
      const githubMessage = await readGitHubMessage(res);
      // 5xx is transient; so is a secondary rate limit (403/429 with Retry-After, GitHub's docs
      // on rate limits). Other 4xx answers will not change on retry.
      const throttled = (res.status === 403 || res.status === 429) && res.headers.has('retry-after');
      if ((res.status >= 500 || throttled) && attempt <= retries) {
        await this.#backoff(
          attempt,
          res.headers.get('retry-after'),
          `${method} ${path}: ${res.status}`,
          sleep,
        );
        continue;
      }
      const message = describeFailure({
        status: res.status,
        method,
        path,
        githubMessage,
        repository: `${this.owner}/${this.repo}`,
        permission: options.permission,
        rateLimited:
          res.status === 429 ||
          res.headers.get('x-ratelimit-remaining') === '0' ||
          /rate limit/i.test(githubMessage ?? ''),
        attempts: attempt,
      });
      throw new GitHubApiError({
        status: res.status,
        method,
        path,
        githubMessage: githubMessage && redact(githubMessage, [this.#token]),
        message: redact(message, [this.#token]),
      });
    }
  }

  async #backoff(
    attempt: number,
    retryAfter: string | null | undefined,
    what: string,
    sleep: (ms: number) => Promise<void>,
  ): Promise<void> {
    const seconds = retryAfter != null ? Number(retryAfter) : NaN;
    const ms = Number.isFinite(seconds)
      ? Math.min(Math.max(seconds, 0) * 1000, MAX_RETRY_AFTER_MS)
      : (this.#opts.retryBaseMs ?? 1000) * 2 ** (attempt - 1);
    this.#opts.log?.(`GitHub API ${what}; retrying in ${ms} ms (attempt ${attempt + 1}).`);
    await sleep(ms);
  }
}

function nextPage(link: string | null, base: URL): URL | undefined {
  const m = link
    ?.split(',')
    .find((part) => /rel="next"/.test(part))
    ?.match(/<([^>]+)>/);
  if (!m?.[1]) return undefined;
  const next = new URL(m[1]);
  if (next.origin !== base.origin || !next.pathname.startsWith(base.pathname)) {
    throw new Error(
      `GitHub API pagination pointed outside ${base.origin}${base.pathname}; refusing to follow it.`,
    );
  }
  return next;
}

/** GitHub's `message`, plus `errors[].message`/`code` (422 answers put the reason there). */
async function readGitHubMessage(res: Response): Promise<string | undefined> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: unknown };
    const parts = typeof body.message === 'string' ? [body.message] : [];
    if (Array.isArray(body.errors)) {
      for (const e of body.errors as unknown[]) {
        if (typeof e === 'string') parts.push(e);
        else if (e && typeof e === 'object') {
          const o = e as { message?: unknown; code?: unknown; field?: unknown };
          if (typeof o.message === 'string') parts.push(o.message);
          else if (typeof o.code === 'string')
            parts.push(`${o.code}${typeof o.field === 'string' ? ` (${o.field})` : ''}`);
        }
      }
    }
    return parts.length ? parts.join('; ') : undefined;
  } catch {
    return text ? text.slice(0, 200) : undefined;
  }
}

function errorReason(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause && typeof cause.code === 'string') return `${cause.code}`;
    if (err.name === 'TimeoutError') return 'request timed out';
    return err.message;
  }
  return String(err);
}
