import * as fs from 'node:fs';
import * as path from 'node:path';
import { Git } from '@osa-gitops/git';

/**
 * The repository and where the osa-gitops workspace sits in it. Git reports paths from the
 * repository root; the CLI library and the report use workspace-relative paths, and annotations
 * need repository-relative ones again, so both directions go through `prefix`.
 */
export interface WorkspaceGit {
  readonly git: Git;
  /** Workspace folder relative to the repository root, POSIX, '' at the root. */
  readonly prefix: string;
  /** Changed paths between two commits, relative to the workspace (others dropped). */
  changedPaths(base: string, head: string): Promise<string[]>;
  /** Repository-relative path → workspace-relative, or undefined when outside the workspace. */
  toWorkspace(repoPath: string): string | undefined;
}

export async function workspaceGit(workingDirectory: string): Promise<WorkspaceGit> {
  const git = await Git.open(workingDirectory);
  // realpath: `git rev-parse --show-toplevel` resolves symlinks (macOS /tmp, runner mounts).
  const prefix = path.relative(git.dir, fs.realpathSync(workingDirectory)).split(path.sep).join('/');
  const toWorkspace = (p: string): string | undefined =>
    prefix === '' ? p : p.startsWith(`${prefix}/`) ? p.slice(prefix.length + 1) : undefined;
  return {
    git,
    prefix,
    toWorkspace,
    async changedPaths(base, head) {
      return (await git.changedPaths(base, head)).flatMap((p) => toWorkspace(p) ?? []);
    },
  };
}
