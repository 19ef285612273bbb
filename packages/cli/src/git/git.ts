import { simpleGit, type SimpleGit } from 'simple-git';
import { toRenderedTree, type RenderedTree } from '@osa-gitops/core';

/** A ref the repository does not know: the user's input is wrong, not the tool. */
export class UnknownRefError extends Error {
  constructor(
    readonly ref: string,
    options?: { cause?: unknown },
  ) {
    super(`git does not know the ref "${ref}" (fetch it first, e.g. git fetch origin main)`, options);
    this.name = 'UnknownRefError';
  }
}

/** `environments/<site>/openstack_deploy/<path>` → [site, path]. */
const TREE_PATH = /^environments\/([^/]+)\/openstack_deploy\/(.+)$/;

/**
 * Every git call of the CLI goes through this class (style point 15): the base directory is fixed
 * at creation, callers never depend on `process.cwd()`, and nothing is written to git config.
 * Trees are read straight from the object database (`ls-tree` + `show ref:path`), so comparing
 * two refs never touches the working tree.
 */
export interface GitOptions {
  /** Called with every command before it runs (the CLI passes stderr when OSA_GITOPS_DEBUG is set). */
  readonly log?: (command: string) => void;
}

export class Git {
  private constructor(
    readonly baseDir: string,
    private readonly git: SimpleGit,
    private readonly log: ((command: string) => void) | undefined,
  ) {}

  static create(baseDir: string, options: GitOptions = {}): Git {
    return new Git(baseDir, simpleGit({ baseDir, maxConcurrentProcesses: 4 }), options.log);
  }

  /** Run one git command in `baseDir` and return its stdout. */
  exec(args: readonly string[]): Promise<string> {
    this.log?.(`git ${args.join(' ')}`);
    return this.git.raw([...args]);
  }

  /** The commit a ref names, or UnknownRefError. */
  async resolveCommit(ref: string): Promise<string> {
    // A ref starting with `-` would be read as an option by git.
    if (ref.startsWith('-')) throw new UnknownRefError(ref);
    let sha: string;
    try {
      sha = (
        await this.exec(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
      ).trim();
    } catch (err) {
      throw new UnknownRefError(ref, { cause: err });
    }
    // With --quiet git fails silently, and simple-git resolves a silent failure with empty output.
    if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new UnknownRefError(ref);
    return sha;
  }

  /**
   * The committed rendered trees at `ref`, per site. With `sites`, only those are read (a site
   * absent at `ref` is simply absent from the map).
   */
  async readTreesAtRef(ref: string, sites?: readonly string[]): Promise<Map<string, RenderedTree>> {
    const commit = await this.resolveCommit(ref);
    const specs = sites ? sites.map((s) => `environments/${s}/openstack_deploy/`) : ['environments/'];
    if (specs.length === 0) return new Map();
    const listing = await this.exec(['ls-tree', '-r', '-z', '--name-only', commit, '--', ...specs]);
    const bySite = new Map<string, string[]>();
    for (const path of listing.split('\0').filter(Boolean)) {
      const m = TREE_PATH.exec(path);
      if (!m) continue;
      const list = bySite.get(m[1]!) ?? [];
      list.push(path);
      bySite.set(m[1]!, list);
    }
    const trees = new Map<string, RenderedTree>();
    for (const site of [...bySite.keys()].sort()) {
      const paths = bySite.get(site)!;
      const texts = await Promise.all(paths.map((p) => this.exec(['show', `${commit}:${p}`])));
      trees.set(site, toRenderedTree(paths.map((p, i) => [TREE_PATH.exec(p)![2]!, texts[i]!])));
    }
    return trees;
  }

  /**
   * Sites whose committed rendered tree differs between `base` and `head`; with no `head`, between
   * `base` and the working tree (untracked rendered files included). Sorted.
   */
  async changedSites(base: string, head?: string): Promise<string[]> {
    const from = await this.resolveCommit(base);
    const range = head === undefined ? [from] : [from, await this.resolveCommit(head)];
    const changed = await this.exec([
      'diff',
      '--name-only',
      '-z',
      '--no-renames',
      ...range,
      '--',
      'environments/',
    ]);
    const paths = changed.split('\0').filter(Boolean);
    if (head === undefined) {
      const untracked = await this.exec([
        'ls-files',
        '-z',
        '--others',
        '--exclude-standard',
        '--',
        'environments/',
      ]);
      paths.push(...untracked.split('\0').filter(Boolean));
    }
    const sites = new Set<string>();
    for (const p of paths) {
      const m = TREE_PATH.exec(p);
      if (m) sites.add(m[1]!);
    }
    return [...sites].sort();
  }
}
