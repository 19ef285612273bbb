import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { RequestError } from '@octokit/request-error';
import Bottleneck from 'bottleneck/light.js';
import { describeFailure, GitHubApiError, redact } from './api-error.js';

export interface GitHubClientOptions {
  readonly token: string;
  /** REST root, e.g. `https://api.github.com` or a GHES `https://ghe.example/api/v3`. */
  readonly baseUrl: string;
  /** `owner/name`. */
  readonly repository: string;
  /** Extra attempts for 5xx answers, network errors and rate limits. @default 3 */
  readonly retries?: number;
  /**
   * Milliseconds per unit of waiting: @octokit/plugin-retry waits (attempt)² units before a retry,
   * @octokit/plugin-throttling waits `Retry-After` units. 1 in tests. @default 1000
   */
  readonly retryBaseMs?: number;
  /**
   * Minimum gap between writes, and between writes that notify people (comments, issues, PRs).
   * GitHub asks integrations to pace content-creating requests; @octokit/plugin-throttling's
   * values are the defaults. 0 in tests. @default { writeMs: 1000, notificationMs: 3000 }
   */
  readonly pacing?: { readonly writeMs: number; readonly notificationMs: number };
  /** Per-attempt timeout. @default 30000 */
  readonly timeoutMs?: number;
  readonly log?: (message: string) => void;
}

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  /** Permission the call needs (`pull-requests: write`), named in the 403 message. */
  readonly permission?: string;
}

const MAX_PAGES = 100;

/** Octokit with GitHub's recommended retry and throttling behaviour. */
const Client = Octokit.plugin(retry, throttling);
type Client = InstanceType<typeof Client>;

/**
 * The few REST calls the action makes, on @octokit/core with @octokit/plugin-retry (5xx and
 * network errors) and @octokit/plugin-throttling (primary and secondary rate limits, write
 * pacing). The base URL is always explicit: @actions/github reads GITHUB_API_URL at import time,
 * which once sent test traffic to api.github.com. Pagination stays here, not in
 * @octokit/plugin-paginate-rest, because that plugin follows a `Link: rel="next"` to any host
 * with the token attached.
 */
export class GitHubClient {
  readonly owner: string;
  readonly repo: string;
  readonly #token: string;
  readonly #base: URL;
  readonly #octokit: Client;
  readonly #timeoutMs: number;
  readonly #log: (message: string) => void;

  constructor(options: GitHubClientOptions) {
    const [owner, repo, ...rest] = options.repository.split('/');
    if (!owner || !repo || rest.length > 0) {
      throw new Error(`Invalid repository '${options.repository}'. Expected format {owner}/{repo}.`);
    }
    this.owner = owner;
    this.repo = repo;
    this.#token = options.token;
    this.#base = new URL(options.baseUrl.replace(/\/+$/, '') + '/');
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    const retries = options.retries ?? 3;
    const baseMs = options.retryBaseMs ?? 1000;
    const pacing = options.pacing ?? { writeMs: 1000, notificationMs: 3000 };
    const log = options.log ?? (() => undefined);
    this.#log = log;
    const onLimit =
      (kind: string) =>
      (
        retryAfter: number,
        req: { method: string; url: string },
        _o: unknown,
        retryCount: number,
      ): boolean => {
        const again = retryCount < retries;
        log(
          `GitHub API ${kind} on ${req.method} ${this.#pathOf(req.url)}` +
            (again ? `; retrying in ${retryAfter * baseMs} ms (attempt ${retryCount + 2}).` : '.'),
        );
        return again;
      };
    this.#octokit = new Client({
      auth: options.token,
      baseUrl: this.#base.href.replace(/\/$/, ''),
      userAgent: 'osa-gitops-action',
      log: { debug: () => undefined, info: () => undefined, warn: log, error: log },
      retry: { retries, retryAfterBaseValue: baseMs },
      throttle: {
        retryAfterBaseValue: baseMs,
        // Used when a secondary-limit answer has no Retry-After; GitHub's docs say wait a minute.
        fallbackSecondaryRateRetryAfter: 60,
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: pacing.writeMs }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: pacing.notificationMs }),
        onRateLimit: onLimit('rate limit'),
        onSecondaryRateLimit: onLimit('secondary rate limit'),
      },
    });
  }

  /** `/repos/{owner}/{repo}` + suffix, with each segment of the repository URL-encoded. */
  repoPath(suffix: string): string {
    return `/repos/${encodeURIComponent(this.owner)}/${encodeURIComponent(this.repo)}${suffix}`;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.#send(method, this.#url(path, options.query), path, options);
    return (res.status === 204 || res.data === '' ? undefined : res.data) as T;
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
      if (!Array.isArray(res.data)) throw new Error(`GitHub API GET ${path} did not return a list.`);
      items.push(...(res.data as T[]));
      url = nextPage(res.headers.link, this.#base);
    }
    return items;
  }

  #url(path: string, query?: RequestOptions['query']): URL {
    const url = new URL(path.replace(/^\//, ''), this.#base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  #pathOf(url: string): string {
    return new URL(url, this.#base).pathname;
  }

  async #send(
    method: string,
    url: URL,
    path: string,
    options: RequestOptions,
  ): Promise<{ status: number; data: unknown; headers: Record<string, string | number | undefined> }> {
    let attempts = 0;
    let last = '';
    // Counts the attempts the plugins make, says why each retry happens, and gives each attempt
    // its own timeout (a signal in the request options would be shared by every retry).
    const counted = async (input: string, init: RequestInit): Promise<Response> => {
      attempts++;
      if (attempts > 1) this.#log(`GitHub API ${method} ${path}: ${last}; retrying (attempt ${attempts}).`);
      try {
        const res = await fetch(input, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) });
        last = String(res.status);
        return res;
      } catch (err) {
        last = redact(fetchFailure(err), [this.#token]);
        throw err;
      }
    };
    try {
      return await this.#octokit.request({
        method: method as 'GET',
        url: url.href,
        headers: {
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
        },
        ...(options.body === undefined ? {} : { data: options.body }),
        request: { fetch: counted },
      });
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      if (!err.response) {
        // Network-level failure (refused, reset, timeout), already retried by plugin-retry.
        const reason = redact(errorReason(err), [this.#token]);
        throw new Error(
          `Could not reach the GitHub API at ${this.#base.origin} for ${method} ${path} after ${attempts} attempt(s): ${reason}`,
        );
      }
      const { status, headers, data } = err.response;
      const githubMessage = readGitHubMessage(data);
      const message = describeFailure({
        status,
        method,
        path,
        githubMessage,
        repository: `${this.owner}/${this.repo}`,
        permission: options.permission,
        rateLimited:
          status === 429 ||
          headers['x-ratelimit-remaining'] === '0' ||
          /rate limit/i.test(githubMessage ?? ''),
        attempts,
      });
      throw new GitHubApiError({
        status,
        method,
        path,
        githubMessage: githubMessage && redact(githubMessage, [this.#token]),
        message: redact(message, [this.#token]),
      });
    }
  }
}

function nextPage(link: string | number | undefined, base: URL): URL | undefined {
  const m = String(link ?? '')
    .split(',')
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
function readGitHubMessage(data: unknown): string | undefined {
  if (typeof data === 'string') return data ? data.slice(0, 200) : undefined;
  if (!data || typeof data !== 'object') return undefined;
  const body = data as { message?: unknown; errors?: unknown };
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
}

function errorReason(err: RequestError): string {
  return fetchFailure((err as { cause?: unknown }).cause ?? err);
}

/** What `fetch` threw, in a word: the socket error code, or that the attempt timed out. */
function fetchFailure(err: unknown): string {
  const e = err as { name?: unknown; message?: unknown; cause?: { code?: unknown } } | undefined;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  if (e?.name === 'TimeoutError') return 'request timed out';
  return typeof e?.message === 'string' ? e.message : String(err);
}
