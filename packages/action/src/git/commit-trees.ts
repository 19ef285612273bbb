import type { Git, Identity } from '@osa-gitops/git';
import { chunks, commitTreeIfChanged, removeFolders, type CommittedTree } from './scratch-index.js';

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

/**
 * Make the commit `parent` + `files`, with each folder in `replace` holding exactly its files
 * from `files` afterwards, using only git's object plumbing on a throw-away index
 * (commitTreeIfChanged): nothing is checked out, no hook or filter runs (`hash-object
 * --no-filters`), and the job's own checkout and index are untouched. Returns undefined when the
 * result has the same tree as `parent`.
 */
export async function commitTrees(git: Git, options: CommitTreesOptions): Promise<CommittedTree | undefined> {
  return commitTreeIfChanged(git, options, async (run) => {
    await removeFolders(run, options.replace);
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
  });
}
