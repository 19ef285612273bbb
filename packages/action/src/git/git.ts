import { simpleGit, type SimpleGit } from 'simple-git';

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
 * Every git command the action runs goes through `run`, bound to one working directory (style
 * point 15). Credentials are scoped to the single command that needs them: the token travels in
 * `GIT_CONFIG_COUNT` environment config (git ≥ 2.31) of that one child process: it is never
 * written to `.git/config`, never on a command line (`ps` shows argv), never in the remote URL.
 */
export class Git {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Open the repository that contains `dir` (its top level becomes the working directory). */
  static async open(dir: string): Promise<Git> {
    const top = await new Git(dir).run(['rev-parse', '--show-toplevel']).catch((err: unknown) => {
      throw new Error(`${dir} is not inside a git work tree (did the job run actions/checkout?)`, {
        cause: err,
      });
    });
    return new Git(top.trim());
  }

  async run(args: readonly string[], options: RunOptions = {}): Promise<string> {
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
    try {
      return await git.raw([...args]);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const clean = options.token ? message.split(options.token).join('***') : message;
      throw new Error(`git ${args[0]} failed: ${clean.trim()}`);
    }
  }

  async revParse(ref: string): Promise<string> {
    return (await this.run(['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`])).trim();
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
