import type { ActionConfig } from '../inputs.js';

/**
 * The branch render, publish and propose work for: the `source-branch` input, else the pushed
 * branch. Throws when neither is known (a tag push, a local run without the input).
 */
export function sourceBranch(config: ActionConfig): string {
  const source = config.sourceBranch ?? branchFromRef(config.github.ref);
  if (!source) {
    throw new Error(
      `${config.mode} needs a source branch: run it on a branch push or set the 'source-branch' input.`,
    );
  }
  return source;
}

/** The bot's own branches are never rendered again (the workflow ignores them too). */
export function isBotBranch(config: ActionConfig, branch: string): boolean {
  return branch.startsWith(config.botBranchPrefix);
}

function branchFromRef(ref: string | undefined): string | undefined {
  return ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}
