import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Git, Identity } from '@osa-gitops/git';

export interface RevertFolderOptions {
  /** The commit the revert goes on top of (the default branch's tip). Must be in the object store. */
  readonly parent: string;
  /** The commit whose copy of `folder` comes back (the last verified one). */
  readonly from: string;
  /** Repository-relative folder, no trailing slash (`<prefix>environments/<site>`). */
  readonly folder: string;
  readonly message: string;
  readonly identity: Identity;
}

/** Index commands must see every path, whatever sparse checkout the job's checkout uses. */
const FULL_INDEX = ['core.sparseCheckout=false', 'index.sparse=false'];

/**
 * Make the commit `parent` with `folder` exactly as it is at `from` (files added since are
 * removed, changed ones put back, removed ones restored), with git's object plumbing on a
 * throw-away index: nothing is checked out, no hook or filter runs, and the job's own checkout is
 * untouched. Everything outside `folder` stays as `parent` has it. Returns undefined when
 * `parent` already has that folder (nothing to revert); throws when `from` has no such folder.
 */
export async function revertFolder(
  git: Git,
  options: RevertFolderOptions,
): Promise<{ readonly sha: string; readonly files: readonly string[] } | undefined> {
  const source = `${options.from}:${options.folder}`;
  const type = await git.run(['cat-file', '-t', source]).then(
    (t) => t.trim(),
    () => 'missing',
  );
  if (type !== 'tree') throw new Error(`${options.from.slice(0, 12)} has no folder ${options.folder}.`);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'osa-gitops-revert-'));
  const indexFile = path.join(tmp, 'index');
  const run = (args: readonly string[]): Promise<string> => git.run(args, { indexFile, config: FULL_INDEX });
  try {
    await run(['read-tree', options.parent]);
    const old = (await run(['ls-files', '-z', '--cached', '--', `:(literal)${options.folder}`]))
      .split('\0')
      .filter(Boolean);
    for (let i = 0; i < old.length; i += 200)
      await run(['update-index', '--force-remove', '--', ...old.slice(i, i + 200)]);
    // --prefix keeps the index and adds the tree under the (now empty) folder.
    await run(['read-tree', `--prefix=${options.folder}/`, source]);
    const tree = (await run(['write-tree'])).trim();
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
