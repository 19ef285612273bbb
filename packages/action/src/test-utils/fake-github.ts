import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake saw it (the spawned action's traffic included). */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly auth?: string;
  readonly body?: unknown;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string;
  head: { ref: string; sha: string; repo: { full_name: string } };
  base: { ref: string };
  html_url: string;
}

export interface FakeIssue {
  number: number;
  state: 'open' | 'closed';
  state_reason?: string;
  title: string;
  body: string;
  labels: { name: string }[];
  user: { login: string; type: string };
}

/** A scripted failure: the next `times` requests matching method + path answer `status`. */
export interface InjectedFailure {
  readonly method?: string;
  readonly path: RegExp;
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  times?: number;
}

export interface FakeGitHub {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly comments: Map<number, FakeComment[]>;
  readonly pulls: FakePull[];
  /**
   * Deployment environments by name (`GET /environments/:name`); a name not here is a 404.
   * Each holds its protection rules' types (`required_reviewers`, `branch_policy`, …).
   */
  readonly environments: Map<string, string[]>;
  /** Issues (not PRs): the drift issues. */
  readonly issues: FakeIssue[];
  /** Make the next matching request(s) fail. */
  fail(failure: InjectedFailure): void;
  /**
   * Accept `token` too, with only these permissions (a job's GITHUB_TOKEN from its `permissions:`,
   * or an App token): a call it lacks the permission for is a 403, as on GitHub.
   */
  grant(token: string, permissions: TokenPermissions): void;
  /** Make `GET /pulls/:n` report this head SHA (what the comment mode verifies). */
  addPull(pull: Partial<FakePull> & { number: number; head: FakePull['head'] }): FakePull;
  close(): Promise<void>;
}

/** A token's permissions, as a workflow's `permissions:` block writes them. */
export type TokenPermissions = Readonly<Record<string, 'read' | 'write' | 'none'>>;

/**
 * The permission GitHub requires for a call (the REST docs' "Fine-grained access tokens" table for
 * each endpoint). A comment on a pull request takes `pull-requests` or `issues` write.
 */
function requiredPermission(method: string, rest: string): { scopes: string[]; level: 'read' | 'write' } {
  const level = method === 'GET' ? 'read' : 'write';
  if (rest.startsWith('/environments')) return { scopes: ['actions'], level: 'read' };
  if (rest === '/hash-algorithm') return { scopes: ['contents'], level: 'read' };
  if (rest.startsWith('/pulls')) return { scopes: ['pull-requests'], level };
  if (/^\/issues\/(\d+\/)?comments|^\/issues\/comments/.test(rest))
    return { scopes: ['issues', 'pull-requests'], level };
  if (rest.startsWith('/issues')) return { scopes: ['issues'], level };
  return { scopes: ['metadata'], level: 'read' };
}

export interface FakeGitHubOptions {
  /**
   * The only token the fake accepts, as `Authorization: token <t>` (what @octokit/auth-token sends
   * for installation and personal tokens) or `Bearer <t>`; GitHub takes both.
   */
  readonly token: string;
  readonly repository: string;
  /** Page size cap, small in tests so pagination is exercised. @default 100 */
  readonly maxPerPage?: number;
  readonly botLogin?: string;
}

/**
 * A GitHub REST stand-in on a real `node:http` server (127.0.0.1, random port), so the bundled
 * action running as a child process talks to it exactly as it would to api.github.com. It keeps
 * issue comments and pull requests in memory, records every request, and can be told to fail.
 * Only the endpoints the action uses exist; anything else is a 404, which makes an unexpected call
 * visible in the test.
 */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const comments = new Map<number, FakeComment[]>();
  const pulls: FakePull[] = [];
  const environments = new Map<string, string[]>();
  const issues: FakeIssue[] = [];
  const failures: InjectedFailure[] = [];
  const granted = new Map<string, TokenPermissions>();
  const maxPerPage = options.maxPerPage ?? 100;
  const login = options.botLogin ?? 'github-actions[bot]';
  let nextId = 1000;
  let url = '';

  const repoPrefix = `/repos/${options.repository}`;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const parsed = new URL(req.url ?? '/', url);
      const path = parsed.pathname;
      const query = Object.fromEntries(parsed.searchParams);
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const method = req.method ?? 'GET';
      requests.push({ method, path, query, auth: req.headers.authorization, body });

      const send = (status: number, payload?: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      const page = <T>(items: readonly T[]): void => {
        const perPage = Math.min(Number(query.per_page ?? 30), maxPerPage);
        const n = Number(query.page ?? 1);
        const slice = items.slice((n - 1) * perPage, n * perPage);
        const headers: Record<string, string> = {};
        if (n * perPage < items.length) {
          const next = new URL(parsed.href);
          next.searchParams.set('page', String(n + 1));
          headers.link = `<${next.href}>; rel="next"`;
        }
        send(200, slice, headers);
      };

      const failure = failures.find((f) => (!f.method || f.method === method) && f.path.test(path));
      if (failure) {
        failure.times = (failure.times ?? 1) - 1;
        if (failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
        return send(failure.status, failure.body ?? { message: `injected ${failure.status}` }, {
          ...failure.headers,
        });
      }
      const auth = req.headers.authorization ?? '';
      const sent = /^(?:token|bearer) (.+)$/i.exec(auth)?.[1];
      const scoped = sent === undefined ? undefined : granted.get(sent);
      if (sent !== options.token && !scoped) {
        return send(401, { message: 'Bad credentials' });
      }
      if (!path.startsWith(`${repoPrefix}/`)) return send(404, { message: 'Not Found' });
      const rest = path.slice(repoPrefix.length);
      if (scoped) {
        const need = requiredPermission(method, rest);
        const ok =
          need.scopes.includes('metadata') ||
          need.scopes.some((s) => scoped[s] === 'write' || (need.level === 'read' && scoped[s] === 'read'));
        if (!ok) return send(403, { message: 'Resource not accessible by integration' });
      }
      if (rest === '/hash-algorithm' && method === 'GET') return send(200, { hash_algorithm: 'sha1' });
      const input = (body ?? {}) as Record<string, unknown>;
      let m: RegExpMatchArray | null;

      if ((m = rest.match(/^\/issues\/(\d+)\/comments$/))) {
        const list = comments.get(Number(m[1])) ?? [];
        if (method === 'GET') return page(list);
        if (method === 'POST') {
          if (typeof input.body !== 'string') return send(422, { message: 'Invalid request.' });
          if (input.body.length > 65_536) {
            return send(422, {
              message: 'Validation Failed',
              errors: [
                {
                  resource: 'IssueComment',
                  code: 'custom',
                  field: 'body',
                  message: 'body is too long (maximum is 65536 characters)',
                },
              ],
            });
          }
          const c: FakeComment = { id: nextId++, body: input.body, user: { login, type: 'Bot' } };
          comments.set(Number(m[1]), [...list, c]);
          return send(201, c);
        }
      }
      if (rest === '/issues') {
        if (method === 'GET') {
          const labels = (query.labels ?? '').split(',').filter(Boolean);
          return page(
            issues.filter(
              (i) =>
                (!query.state || query.state === 'all' || i.state === query.state) &&
                labels.every((l) => i.labels.some((x) => x.name === l)),
            ),
          );
        }
        if (method === 'POST') {
          if (typeof input.title !== 'string' || typeof input.body !== 'string')
            return send(422, { message: 'Validation Failed' });
          const issue: FakeIssue = {
            number: Math.max(100, ...issues.map((i) => i.number), ...pulls.map((p) => p.number)) + 1,
            state: 'open',
            title: input.title,
            body: input.body,
            labels: (Array.isArray(input.labels) ? input.labels : []).map((name) => ({ name: String(name) })),
            user: { login, type: 'Bot' },
          };
          issues.push(issue);
          return send(201, issue);
        }
      }
      if ((m = rest.match(/^\/issues\/(\d+)$/))) {
        const issue = issues.find((i) => i.number === Number(m![1]));
        if (!issue) return send(404, { message: 'Not Found' });
        if (method === 'GET') return send(200, issue);
        if (method === 'PATCH') {
          if (typeof input.body === 'string') issue.body = input.body;
          if (input.state === 'open' || input.state === 'closed') issue.state = input.state;
          if (typeof input.state_reason === 'string') issue.state_reason = input.state_reason;
          return send(200, issue);
        }
      }
      if ((m = rest.match(/^\/issues\/comments\/(\d+)$/))) {
        const id = Number(m[1]);
        for (const [issue, list] of comments) {
          const c = list.find((x) => x.id === id);
          if (!c) continue;
          if (method === 'PATCH') {
            if (typeof input.body !== 'string') return send(422, { message: 'Invalid request.' });
            c.body = input.body;
            return send(200, c);
          }
          if (method === 'DELETE') {
            comments.set(
              issue,
              list.filter((x) => x.id !== id),
            );
            return send(204);
          }
        }
        return send(404, { message: 'Not Found' });
      }
      if (rest === '/pulls') {
        if (method === 'GET') {
          // `owner:branch`, as GitHub reads it: the owner of the head repository (a fork's).
          const [headOwner, headBranch] = (query.head ?? '').split(':');
          return page(
            pulls.filter(
              (p) =>
                (!query.state || query.state === 'all' || p.state === query.state) &&
                (!query.head ||
                  (p.head.ref === headBranch && p.head.repo.full_name.split('/')[0] === headOwner)) &&
                (!query.base || p.base.ref === query.base),
            ),
          );
        }
        if (method === 'POST') {
          const head = String(input.head ?? '');
          const base = String(input.base ?? '');
          if (!head || !base || !input.title) return send(422, { message: 'Validation Failed' });
          if (pulls.some((p) => p.state === 'open' && p.head.ref === head && p.base.ref === base)) {
            return send(422, {
              message: 'Validation Failed',
              errors: [
                {
                  resource: 'PullRequest',
                  code: 'custom',
                  message: `A pull request already exists for ${options.repository.split('/')[0]}:${head}.`,
                },
              ],
            });
          }
          const p = addPull({
            number: 0,
            head: { ref: head, sha: '', repo: { full_name: options.repository } },
            base: { ref: base },
            title: String(input.title),
            body: String(input.body ?? ''),
          });
          return send(201, p);
        }
      }
      if ((m = rest.match(/^\/environments\/([^/]+)$/)) && method === 'GET') {
        const name = decodeURIComponent(m[1]!);
        const rules = environments.get(name);
        if (!rules) return send(404, { message: 'Not Found' });
        return send(200, {
          name,
          protection_rules: rules.map((type, i) => ({ id: i + 1, type })),
        });
      }
      if ((m = rest.match(/^\/pulls\/(\d+)$/))) {
        const p = pulls.find((x) => x.number === Number(m![1]));
        if (!p) return send(404, { message: 'Not Found' });
        if (method === 'GET') return send(200, p);
        if (method === 'PATCH') {
          if (typeof input.title === 'string') p.title = input.title;
          if (typeof input.body === 'string') p.body = input.body;
          if (input.state === 'open' || input.state === 'closed') p.state = input.state;
          return send(200, p);
        }
      }
      send(404, { message: 'Not Found' });
    });
  });

  function addPull(pull: Partial<FakePull> & { number: number; head: FakePull['head'] }): FakePull {
    const number = pull.number || Math.max(0, ...pulls.map((p) => p.number)) + 1;
    const p: FakePull = {
      state: 'open',
      title: 'PR',
      body: '',
      base: { ref: 'main' },
      html_url: `https://github.example/${options.repository}/pull/${number}`,
      ...pull,
      number,
    };
    pulls.push(p);
    return p;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url,
    requests,
    comments,
    pulls,
    environments,
    issues,
    fail: (f) => failures.push({ times: 1, ...f }),
    grant: (token, permissions) => void granted.set(token, permissions),
    addPull,
    close,
  };
}
