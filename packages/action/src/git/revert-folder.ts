import type { Git, Identity } from '@osa-gitops/git';
import { chunks, commitTreeIfChanged, removeFolders, type CommittedTree } from './scratch-index.js';

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

/**
 * Make the commit `parent` with `folder` exactly as it is at `from` (files added since are
 * removed, changed ones put back, removed ones restored), with git's object plumbing on a
 * throw-away index (commitTreeIfChanged): nothing is checked out, no hook or filter runs, and the
 * job's own checkout is untouched. Everything outside `folder` stays as `parent` has it. Returns
 * undefined when `parent` already has that folder (nothing to revert); throws when `from` has no
 * such folder.
 */
export async function revertFolder(
  git: Git,
  options: RevertFolderOptions,
): Promise<CommittedTree | undefined> {
  const source = `${options.from}:${options.folder}`;
  const type = await git.run(['cat-file', '-t', source]).then(
    (t) => t.trim(),
    () => 'missing',
  );
  if (type !== 'tree') throw new Error(`${options.from.slice(0, 12)} has no folder ${options.folder}.`);
  return commitTreeIfChanged(git, options, async (run) => {
    await removeFolders(run, [options.folder]);
    // The folder's entries as `ls-tree` lists them (mode, id, path), straight into the index: only
    // tree objects are read. `read-tree --prefix` would do the same but checks that every blob
    // exists, and in the job's blobless partial clone that fetches them from origin without a
    // token, which a private repository refuses (issue 29).
    const listing = await git.run([
      'ls-tree',
      '-r',
      '-z',
      '--full-tree',
      options.from,
      '--',
      `:(literal)${options.folder}`,
    ]);
    const entries = listing
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const m = /^(\d+) \w+ ([0-9a-f]+)\t(.+)$/s.exec(line);
        if (!m) throw new Error(`git ls-tree printed an unexpected line: ${JSON.stringify(line)}`);
        return `${m[1]},${m[2]},${m[3]}`;
      });
    for (const chunk of chunks(entries))
      await run(['update-index', '--add', ...chunk.flatMap((e) => ['--cacheinfo', e])]);
  });
}
