import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Git, Identity } from '@osa-gitops/git';

export interface CommitTreesOptions {
  /** The commit the trees go on top of (the source branch's tip). Must be in the object store. */
  readonly parent: string;
  /** Repository-relative folders replaced as a whole (`<prefix>environments/<site>/openstack_deploy`). */
  readonly replace: readonly string[];
  /** Files to add: repository-relative path → absolute path of the (already checked) content. */
  readonly files: ReadonlyMap<string, string>;
  readonly message: string;
  readonly identity: Identity;
}

/** Index commands must see every path, whatever sparse checkout the job's checkout uses. */
const FULL_INDEX = ['core.sparseCheckout=false', 'index.sparse=false'];
const BATCH = 200;

/**
 * Make the commit `parent` + `files`, with each folder in `replace` holding exactly its files
 * from `files` afterwards, using only git's object plumbing on a throw-away index: nothing is
 * checked out, no hook or filter runs (`hash-object --no-filters`), and the job's own checkout
 * and index are untouched. Returns undefined when the result has the same tree as `parent`.
 */
export async function commitTrees(
  git: Git,
  options: CommitTreesOptions,
): Promise<{ readonly sha: string; readonly files: readonly string[] } | undefined> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'osa-gitops-index-'));
  const indexFile = path.join(tmp, 'index');
  const run = (args: readonly string[]): Promise<string> => git.run(args, { indexFile, config: FULL_INDEX });
  try {
    await run(['read-tree', options.parent]);
    if (options.replace.length > 0) {
      const old = (await run(['ls-files', '-z', '--cached', '--', ...options.replace.map(literal)]))
        .split('\0')
        .filter(Boolean);
      for (const chunk of chunks(old)) await run(['update-index', '--force-remove', '--', ...chunk]);
    }
    const entries = [...options.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const chunk of chunks(entries)) {
      const blobs = (await run(['hash-object', '-w', '--no-filters', '--', ...chunk.map(([, abs]) => abs)]))
        .trim()
        .split('\n');
      if (blobs.length !== chunk.length) throw new Error('git hash-object returned an unexpected answer.');
      await run([
        'update-index',
        '--add',
        ...chunk.flatMap(([rel], i) => ['--cacheinfo', `100644,${blobs[i]},${rel}`]),
      ]);
    }
    const tree = (await run(['write-tree'])).trim();
    const before = (await git.run(['rev-parse', `${options.parent}^{tree}`])).trim();
    if (tree === before) return undefined;
    const changed = (await git.run(['diff-tree', '-r', '-z', '--name-only', '--no-renames', before, tree]))
      .split('\0')
      .filter(Boolean)
      .sort();
    const sha = (
      await git.run(['commit-tree', tree, '-p', options.parent, '-m', options.message], {
        identity: options.identity,
      })
    ).trim();
    return { sha, files: changed };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/** A pathspec that matches exactly this folder (no glob or magic in it is interpreted). */
function literal(p: string): string {
  return `:(literal)${p}`;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}
