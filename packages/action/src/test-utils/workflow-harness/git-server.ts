import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a token may do with the repositories' contents, as GitHub's `contents` permission says. */
export type ContentsAccess = 'read' | 'write';

/** One request as the server saw it. */
export interface GitRequest {
  readonly repository: string;
  readonly service: 'upload-pack' | 'receive-pack';
  /** The token's label (AuthGitServer.allow), or undefined when none or an unknown one was sent. */
  readonly who?: string;
  readonly status: number;
}

export interface AuthGitServer {
  /** `http://127.0.0.1:<port>`: what GITHUB_SERVER_URL is for the runner's checkout. */
  readonly url: string;
  readonly requests: GitRequest[];
  /** Let `token` read (or read and write) every repository; `who` names it in `requests`. */
  allow(token: string, access: ContentsAccess, who: string): void;
  /** Repositories anyone may read without a token (a public fork). */
  makePublic(repository: string): void;
  close(): Promise<void>;
}

/**
 * Smart HTTP in front of bare repositories at `<root>/<owner>/<name>` (`git http-backend` as CGI),
 * addressed as GitHub addresses them (`<server>/<owner>/<name>`, what actions/checkout builds
 * from GITHUB_SERVER_URL). Like a private repository on github.com, every request, reads
 * (upload-pack, also a partial clone's lazy fetch of one blob) as well as pushes (receive-pack),
 * needs `x-access-token:<token>` basic auth with a token allowed to do it; anything else is 401.
 */
export async function startAuthGitServer(root: string, env: NodeJS.ProcessEnv): Promise<AuthGitServer> {
  const tokens = new Map<string, { access: ContentsAccess; who: string }>();
  const open = new Set<string>();
  const requests: GitRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/([^/]+)\/([^/]+?)(?:\.git)?(\/.*)$/.exec(decodeURIComponent(url.pathname));
    if (!m) {
      res.writeHead(404);
      return res.end('not found\n');
    }
    const repository = `${m[1]}/${m[2]}`;
    const rest = m[3]!;
    const service: GitRequest['service'] =
      url.searchParams.get('service') === 'git-receive-pack' || rest.endsWith('/git-receive-pack')
        ? 'receive-pack'
        : 'upload-pack';
    const header = req.headers.authorization ?? '';
    const basic = /^basic\s+(.+)$/i.exec(header);
    const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : '';
    const token = decoded.startsWith('x-access-token:') ? decoded.slice('x-access-token:'.length) : '';
    const grant = tokens.get(token);
    const allowed =
      service === 'upload-pack' ? grant !== undefined || open.has(repository) : grant?.access === 'write';
    if (!allowed) {
      requests.push({ repository, service, ...(grant ? { who: grant.who } : {}), status: grant ? 403 : 401 });
      if (grant) {
        res.writeHead(403);
        return res.end(`${grant.who} may not push to ${repository}\n`);
      }
      res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' });
      return res.end('Authentication required\n');
    }
    requests.push({ repository, service, ...(grant ? { who: grant.who } : {}), status: 200 });
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: grant ? 'x-access-token' : '',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: `/${repository}${rest}`,
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        GIT_HTTP_MAX_REQUEST_BUFFER: '100M',
        // As github.com: partial clones (`--filter=blob:none`, what a sparse checkout asks for)
        // and fetching any reachable commit by its id (a PR's base, a verified commit).
        GIT_CONFIG_COUNT: '2',
        GIT_CONFIG_KEY_0: 'uploadpack.allowFilter',
        GIT_CONFIG_VALUE_0: 'true',
        GIT_CONFIG_KEY_1: 'uploadpack.allowAnySHA1InWant',
        GIT_CONFIG_VALUE_1: 'true',
      },
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (c: Buffer) => chunks.push(c));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      const split = out.indexOf('\r\n\r\n');
      const head = out.subarray(0, split).toString('latin1');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.split('\r\n')) {
        const i = line.indexOf(':');
        const key = line.slice(0, i).trim().toLowerCase();
        const value = line.slice(i + 1).trim();
        if (key === 'status') status = Number.parseInt(value, 10);
        else if (key) headers[key] = value;
      }
      res.writeHead(status, headers);
      res.end(out.subarray(split + 4));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    allow: (token, access, who) => void tokens.set(token, { access, who }),
    makePublic: (repository) => void open.add(repository),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
