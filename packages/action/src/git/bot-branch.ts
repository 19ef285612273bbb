import type { Git, Identity } from '@osa-gitops/git';

/** `osa-gitops/render/<source>`: one bot branch per source branch, so one PR per source branch. */
export function botBranchName(prefix: string, sourceBranch: string): string {
  return `${prefix}${sourceBranch}`;
}

export interface CommitBotBranchOptions {
  readonly branch: string;
  /** The commit that triggered the run; the bot branch is reset to it before committing. */
  readonly startPoint: string;
  /** Only changes under these paths are committed (the rendered trees). */
  readonly owns: (path: string) => boolean;
  readonly message: string;
  readonly identity: Identity;
}

/**
 * Put the local bot branch at the triggering commit. Called before the trees are rendered, so
 * the render's changes are exactly what the bot commit adds on top of the source branch.
 */
export async function resetBotBranch(git: Git, branch: string, startPoint: string): Promise<void> {
  await git.run(['checkout', '--force', '-B', branch, startPoint]);
}

/**
 * Commit what the render changed under the owned paths. Returns undefined when the render added
 * nothing (the source branch already carries fresh trees). Anything else dirty in the work tree
 * is left out of the commit on purpose: the bot commits rendered output only.
 */
export async function commitRenderedTrees(
  git: Git,
  options: CommitBotBranchOptions,
): Promise<{ readonly sha: string; readonly files: readonly string[] } | undefined> {
  const files = (await git.dirtyPaths()).filter(options.owns).sort();
  if (files.length === 0) return undefined;
  await git.run(['add', '--all', '--', ...files]);
  await git.run(['commit', '--no-verify', '--quiet', '-m', options.message], { identity: options.identity });
  return { sha: await git.resolveCommit('HEAD'), files };
}

/**
 * Force-push the bot branch: it is regenerated from scratch each run, so a plain push would be
 * rejected whenever the source branch moved (changesets/action does the same; manual commits on
 * the bot branch are overwritten, docs/github.md says so).
 */
export async function pushBotBranch(git: Git, branch: string, token: string, commit = 'HEAD'): Promise<void> {
  await git.run(['push', '--force', '--no-verify', 'origin', `${commit}:refs/heads/${branch}`], { token });
}

export async function deleteBotBranch(git: Git, branch: string, token: string): Promise<boolean> {
  if (!(await git.remoteBranchExists(branch, token))) return false;
  await git.run(['push', '--no-verify', 'origin', '--delete', `refs/heads/${branch}`], { token });
  return true;
}
