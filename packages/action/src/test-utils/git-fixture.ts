import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Real git for action tests (style point 22): a temp dir with a bare `origin.git`, an authoring
 * clone `dev/` where tests make commits, and checkout-like clones (`git init` + shallow fetch of
 * one commit, as actions/checkout does). Git never sees the developer's config: HOME and
 * GIT_CONFIG_GLOBAL point into the temp dir and the system config is off.
 */
export interface GitFixture {
  readonly root: string;
  /** Environment for every git (and spawned action) process of this fixture. */
  readonly env: NodeJS.ProcessEnv;
  readonly origin: string;
  readonly dev: string;
  git(cwd: string, ...args: string[]): Promise<string>;
  /** Write files (path → text, or null to delete) into `dev/`. */
  write(files: Readonly<Record<string, string | null>>): Promise<void>;
  /** `git add -A && git commit` in `dev/`; returns the new commit id. */
  commit(message: string): Promise<string>;
  /** Push `dev`'s HEAD to `refs` on origin (default: the current branch). */
  push(...refspecs: string[]): Promise<void>;
  /**
   * A fresh clone like actions/checkout: fetch `ref` (a branch, `refs/pull/N/merge` or a sha)
   * with the given depth into a new dir, detached at it, `origin` pointing at `remoteUrl`.
   */
  checkout(name: string, ref: string, options?: { depth?: number; remoteUrl?: string }): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createGitFixture(): Promise<GitFixture> {
  const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'osa-action-')));
  const home = path.join(root, 'home');
  await fs.mkdir(home);
  const globalConfig = path.join(home, '.gitconfig');
  await fs.writeFile(
    globalConfig,
    // gc.auto 0: git maintenance can race with fixture cleanup by touching pack files (changesets).
    '[user]\n\tname = Fixture\n\temail = fixture@example.com\n[init]\n\tdefaultBranch = main\n' +
      '[gc]\n\tauto = 0\n[advice]\n\tdetachedHead = false\n[protocol "file"]\n\tallow = always\n',
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_GLOBAL: globalConfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    TMPDIR: os.tmpdir(),
    LANG: 'C',
  };
  const git = (cwd: string, ...args: string[]): Promise<string> =>
    new Promise((resolve, reject) =>
      execFile('git', args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
        err
          ? reject(new Error(`git ${args.join(' ')} failed in ${cwd}: ${stderr || err.message}`))
          : resolve(stdout),
      ),
    );

  const origin = path.join(root, 'origin.git');
  const dev = path.join(root, 'dev');
  await git(root, 'init', '--quiet', '--bare', '-b', 'main', origin);
  // GitHub serves any reachable commit by id; shallow clones rely on that to fetch a PR's base.
  await git(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  await git(root, 'init', '--quiet', '-b', 'main', dev);
  await git(dev, 'remote', 'add', 'origin', origin);

  return {
    root,
    env,
    origin,
    dev,
    git,
    async write(files) {
      for (const [rel, text] of Object.entries(files)) {
        const abs = path.join(dev, rel);
        if (text === null) await fs.rm(abs, { force: true, recursive: true });
        else {
          await fs.mkdir(path.dirname(abs), { recursive: true });
          await fs.writeFile(abs, text);
        }
      }
    },
    async commit(message) {
      await git(dev, 'add', '-A');
      await git(dev, 'commit', '--quiet', '--allow-empty', '-m', message);
      return (await git(dev, 'rev-parse', 'HEAD')).trim();
    },
    async push(...refspecs) {
      await git(dev, 'push', '--quiet', '--force', 'origin', ...(refspecs.length ? refspecs : ['HEAD']));
    },
    async checkout(name, ref, options = {}) {
      const dir = path.join(root, name);
      await git(root, 'init', '--quiet', dir);
      await git(dir, 'remote', 'add', 'origin', options.remoteUrl ?? `file://${origin}`);
      const depth = options.depth ?? 1;
      await git(
        dir,
        'fetch',
        '--quiet',
        '--no-tags',
        ...(depth > 0 ? [`--depth=${depth}`] : []),
        'origin',
        ref,
      );
      await git(dir, 'checkout', '--quiet', '--detach', 'FETCH_HEAD');
      return dir;
    },
    async cleanup() {
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

export interface GitHttpServer {
  readonly url: string;
  /** Authorization header of every request (undefined when none was sent). */
  readonly auth: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * Smart-HTTP in front of the fixture's bare repos (`git http-backend` as CGI), so pushes go over
 * real HTTP and the test can see the auth header git sent. Pushes (receive-pack) require
 * `x-access-token:<token>` basic auth, like github.com.
 */
export async function startGitHttpServer(fixture: GitFixture, token: string): Promise<GitHttpServer> {
  const auth: (string | undefined)[] = [];
  const expected = `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    auth.push(req.headers.authorization);
    const isPush =
      url.searchParams.get('service') === 'git-receive-pack' || url.pathname.endsWith('/git-receive-pack');
    if (isPush && req.headers.authorization?.toLowerCase() !== expected.toLowerCase()) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="fixture"' });
      return res.end('auth required\n');
    }
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...fixture.env,
        GIT_PROJECT_ROOT: fixture.root,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: isPush ? 'x-access-token' : '',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_HTTP_MAX_REQUEST_BUFFER: '100M',
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
    auth,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
