import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Git, Identity } from '@osa-gitops/git';

/** Index commands must see every path, whatever sparse checkout the job's checkout uses. */
const FULL_INDEX = ['core.sparseCheckout=false', 'index.sparse=false'];
const BATCH = 200;

/** A git command on the scratch index. */
export type IndexRun = (args: readonly string[]) => Promise<string>;

export interface CommittedTree {
  readonly sha: string;
  /** Repository-relative paths that differ from the parent's tree, sorted. */
  readonly files: readonly string[];
}

/**
 * Build a commit on `parent` with git's object plumbing on a throw-away index: nothing is checked
 * out, no hook or filter runs, and the job's own checkout and index are untouched. The index
 * starts as `parent`'s tree; `edit` changes it; the tail (write-tree, compare, commit-tree) is
 * shared by the render publish (commitTrees) and the revert (revertFolder). Returns undefined
 * when the edited tree equals `parent`'s.
 */
export async function commitTreeIfChanged(
  git: Git,
  options: { readonly parent: string; readonly message: string; readonly identity: Identity },
  edit: (run: IndexRun) => Promise<void>,
): Promise<CommittedTree | undefined> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'osa-gitops-index-'));
  const indexFile = path.join(tmp, 'index');
  const run: IndexRun = (args) => git.run(args, { indexFile, config: FULL_INDEX });
  try {
    await run(['read-tree', options.parent]);
    await edit(run);
    // --missing-ok: the job's checkout may be a blobless partial clone (a sparse checkout), whose
    // blobs outside the checkout are on origin only. Without it write-tree fetches each of them,
    // without a token, which a private repository refuses (issue 29). Every entry comes from a
    // commit origin has or was hashed here, and origin's receive-pack checks the pushed commit.
    const tree = (await run(['write-tree', '--missing-ok'])).trim();
    const before = (await git.run(['rev-parse', `${options.parent}^{tree}`])).trim();
    if (tree === before) return undefined;
    const files = (await git.run(['diff-tree', '-r', '-z', '--name-only', '--no-renames', before, tree]))
      .split('\0')
      .filter(Boolean)
      .sort();
    const sha = (
      await git.run(['commit-tree', tree, '-p', options.parent, '-m', options.message], {
        identity: options.identity,
      })
    ).trim();
    return { sha, files };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/** Removes every indexed file under `folders` (each matched literally: no glob or magic). */
export async function removeFolders(run: IndexRun, folders: readonly string[]): Promise<void> {
  if (folders.length === 0) return;
  const old = (await run(['ls-files', '-z', '--cached', '--', ...folders.map((f) => `:(literal)${f}`)]))
    .split('\0')
    .filter(Boolean);
  for (const chunk of chunks(old)) await run(['update-index', '--force-remove', '--', ...chunk]);
}

export function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}
