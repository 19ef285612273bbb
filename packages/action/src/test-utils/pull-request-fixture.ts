import type { WorkspaceFixture } from './workspace-fixture.js';

export interface OpenedPullRequest {
  readonly number: number;
  readonly headSha: string;
  readonly mergeSha: string;
  /** A depth-1 checkout of `refs/pull/<n>/merge`, as actions/checkout makes for pull_request. */
  readonly checkout: string;
  /** The `pull_request` event payload (the fields the action reads). */
  readonly event: unknown;
}

/**
 * Branch `feature-<n>` off main in `dev/`, apply `change`, commit, and publish it the way GitHub
 * does for a PR: the head branch plus a test merge commit at `refs/pull/<n>/merge`.
 */
export async function openPullRequest(
  fx: WorkspaceFixture,
  number: number,
  change: () => Promise<void>,
): Promise<OpenedPullRequest> {
  const branch = `feature-${number}`;
  await fx.git(fx.dev, 'checkout', '--quiet', '-B', branch, fx.mainSha);
  await change();
  const headSha = await fx.commit(`change for PR ${number}`);
  await fx.push(`HEAD:refs/heads/${branch}`);
  await fx.git(fx.dev, 'checkout', '--quiet', '--detach', fx.mainSha);
  await fx.git(fx.dev, 'merge', '--quiet', '--no-ff', '-m', `Merge ${headSha} into ${fx.mainSha}`, headSha);
  const mergeSha = (await fx.git(fx.dev, 'rev-parse', 'HEAD')).trim();
  await fx.push(`HEAD:refs/pull/${number}/merge`);
  await fx.git(fx.dev, 'checkout', '--quiet', branch);
  const checkout = await fx.checkout(`pr-${number}`, `refs/pull/${number}/merge`);
  return {
    number,
    headSha,
    mergeSha,
    checkout,
    event: {
      action: 'synchronize',
      number,
      pull_request: {
        number,
        base: { sha: fx.mainSha, ref: 'main' },
        head: { sha: headSha, ref: branch },
      },
    },
  };
}
