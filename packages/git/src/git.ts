import { simpleGit, type SimpleGit } from 'simple-git';
import { GitCommandError, UnknownRefError } from './errors';

/** Keys we pass to git on purpose; simple-git 4 strips or rejects every other `GIT_*` variable. */
const AUTH_ENV = [
  'GIT_CONFIG_COUNT',
  'GIT_CONFIG_KEY_0',
  'GIT_CONFIG_VALUE_0',
  'GIT_CONFIG_KEY_1',
  'GIT_CONFIG_VALUE_1',
];
const ALLOWED_ENV = [...AUTH_ENV, 'GIT_TERMINAL_PROMPT', 'GIT_INDEX_FILE'];

export interface Identity {
  readonly name: string;
  readonly email: string;
}

export interface GitOptions {
  /** Called with every command before it runs (the CLI passes stderr when OSA_GITOPS_DEBUG is set). */
  readonly log?: (command: string) => void;
}

export interface RunOptions {
  /** Send this token as an HTTP auth header for this one command (fetch/push). */
  readonly token?: string;
  /** Commit as this identity (`-c user.name/user.email` for this one command). */
  readonly identity?: Identity;
  /**
   * Use this index file instead of `.git/index` (GIT_INDEX_FILE), so a commit can be assembled
   * from objects alone without touching the checkout's own index or work tree (publish mode).
   */
  readonly indexFile?: string;
  /** Extra `-c name=value` settings for this one command. */
  readonly config?: readonly string[];
}

/**
 * Every git command of the CLI, the deploy adapter and the action goes through one `Git`, bound
 * to one directory at creation (style point 15): callers never depend on `process.cwd()`.
 * Nothing is written to git config. Credentials are scoped to the single command that needs them:
 * the token travels in `GIT_CONFIG_COUNT` environment config (git ≥ 2.31) of that one child
 * process: never written to `.git/config`, never on a command line (`ps` shows argv), never in
 * the remote URL. A failed command throws GitCommandError (`git <verb> failed: …`), token redacted.
 */
export class Git {
  readonly #plain: SimpleGit;

  private constructor(
    readonly dir: string,
    private readonly log: ((command: string) => void) | undefined,
  ) {
    // Commands without options share one instance, so a burst of them (many blobs) queues at
    // four git processes instead of forking one per call.
    this.#plain = simpleGit({ baseDir: dir, maxConcurrentProcesses: 4 });
  }

  /** A `Git` for `dir` as given (the CLI's workspace root); nothing is run. */
  static at(dir: string, options: GitOptions = {}): Git {
    return new Git(dir, options.log);
  }

  /** Open the repository that contains `dir` (its top level becomes the working directory). */
  static async open(dir: string, options: GitOptions = {}): Promise<Git> {
    const top = await Git.at(dir)
      .run(['rev-parse', '--show-toplevel'])
      .catch((err: unknown) => {
        throw new Error(`${dir} is not inside a git work tree (did the job run actions/checkout?)`, {
          cause: err,
        });
      });
    return new Git(top.trim(), options.log);
  }

  /** Run one git command in `dir` and return its stdout. */
  async run(args: readonly string[], options: RunOptions = {}): Promise<string> {
    this.log?.(`git ${args.join(' ')}`);
    const git = isEmpty(options) ? this.#plain : await this.#configured(options);
    try {
      return await git.raw([...args]);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const clean = options.token ? message.split(options.token).join('***') : message;
      throw new GitCommandError(args[0] ?? '', clean.trim(), { cause: err });
    }
  }

  /**
   * The raw bytes of one `git show` of several objects (`commit:path`…), printed back to back.
   * The caller cuts them apart (it knows the sizes from `ls-tree -l`).
   */
  showBuffer(objects: readonly string[]): Promise<Buffer> {
    this.log?.(
      `git show ${objects.length > 3 ? `${objects.slice(0, 3).join(' ')} … (${objects.length} objects)` : objects.join(' ')}`,
    );
    return this.#plain.showBuffer([...objects]);
  }

  /** The commit a ref names, or UnknownRefError (also for a ref that would read as an option). */
  async resolveCommit(ref: string): Promise<string> {
    if (ref.startsWith('-')) throw new UnknownRefError(ref);
    let sha: string;
    try {
      sha = (
        await this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
      ).trim();
    } catch (err) {
      throw new UnknownRefError(ref, { cause: err });
    }
    // With --quiet git fails silently, and simple-git resolves a silent failure with empty output.
    if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new UnknownRefError(ref);
    return sha;
  }

  async hasCommit(sha: string): Promise<boolean> {
    return this.run(['cat-file', '-e', `${sha}^{commit}`]).then(
      () => true,
      () => false,
    );
  }

  /**
   * Make `sha` available locally. actions/checkout clones with depth 1 by default, so the PR base
   * or a push's `before` is often missing; GitHub serves any reachable commit by id.
   */
  async ensureCommit(sha: string, token?: string): Promise<void> {
    if (await this.hasCommit(sha)) return;
    await this.run(['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', 'origin', sha], { token });
    if (!(await this.hasCommit(sha))) throw new Error(`Commit ${sha} is not available from origin.`);
  }

  /** Paths changed between two commits (two-dot: exactly what `head` changes relative to `base`). */
  async changedPaths(base: string, head: string, pathspecs: readonly string[] = []): Promise<string[]> {
    const out = await this.run(['diff', '--name-only', '-z', '--no-renames', base, head, '--', ...pathspecs]);
    return out.split('\0').filter(Boolean);
  }

  /** Uncommitted changes (tracked and untracked) under the pathspecs. */
  async dirtyPaths(pathspecs: readonly string[] = []): Promise<string[]> {
    const out = await this.run([
      'status',
      '--porcelain=v1',
      '-z',
      '--no-renames',
      '--untracked-files=all',
      '--',
      ...pathspecs,
    ]);
    return out
      .split('\0')
      .filter(Boolean)
      .map((entry) => entry.slice(3));
  }

  async remoteBranchExists(branch: string, token?: string): Promise<boolean> {
    const out = await this.run(['ls-remote', '--heads', 'origin', `refs/heads/${branch}`], { token });
    return out.trim().length > 0;
  }

  async #configured(options: RunOptions): Promise<SimpleGit> {
    const config = options.identity
      ? [`user.name=${options.identity.name}`, `user.email=${options.identity.email}`, 'commit.gpgsign=false']
      : [];
    config.push(...(options.config ?? []));
    const git: SimpleGit = simpleGit({
      baseDir: this.dir,
      config,
      allowEnvironment: ALLOWED_ENV,
      // Needed for GIT_CONFIG_COUNT; the values themselves are still checked by simple-git.
      unsafe: { allowUnsafeConfigEnvCount: true },
    });
    if (options.token || options.indexFile) {
      git.env({
        ...ambientEnv(),
        ...(options.token ? await this.#authEnv(options.token) : {}),
        ...(options.indexFile ? { GIT_INDEX_FILE: options.indexFile } : {}),
      });
    }
    return git;
  }

  /**
   * `http.<origin>/.extraheader`, the key actions/checkout itself uses: git applies the most
   * specific URL match, so a plain `http.extraheader` would lose to a header checkout persisted.
   * The empty first value resets any persisted header, so exactly one Authorization is sent.
   */
  async #authEnv(token: string): Promise<Record<string, string>> {
    let key = 'http.extraheader';
    const url = (await this.run(['remote', 'get-url', 'origin']).catch(() => '')).trim();
    if (/^https?:\/\//.test(url)) key = `http.${new URL(url).origin}/.extraheader`;
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    return {
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: key,
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: key,
      GIT_CONFIG_VALUE_1: `AUTHORIZATION: basic ${basic}`,
    };
  }
}

function isEmpty(options: RunOptions): boolean {
  return !options.token && !options.identity && !options.indexFile && !options.config?.length;
}

/**
 * The process environment minus what simple-git guards (`GIT_*`, editors, pagers): passing those
 * explicitly makes simple-git reject the command, and none of them should steer our git anyway.
 */
function ambientEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^GIT_/i.test(k) || /^(EDITOR|VISUAL|PAGER|SSH_ASKPASS)$/i.test(k)) continue;
    env[k] = v;
  }
  return env;
}
