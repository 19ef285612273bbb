import * as core from '@actions/core';
import { deleteBotBranch, pushBotBranch } from '../git/bot-branch.js';
import type { Git } from '@osa-gitops/git';
import type { GitHubClient } from '../github/client.js';
import {
  closePullRequest,
  createOrUpdatePullRequest,
  type PullRequestOperation,
} from '../github/pull-request.js';
import type { ActionConfig } from '../inputs.js';
import { writeSummary } from '../summary.js';

export interface BotBranchResult {
  readonly source: string;
  readonly sourceSha: string;
  readonly bot: string;
  /** The render commit on top of `sourceSha`; undefined when the render adds nothing. */
  readonly commit?: { readonly sha: string; readonly files: readonly string[] };
  /** The PR body (used only with a commit). */
  readonly body: string;
}

/**
 * The GitHub side shared by `propose` and `publish`: with a render commit, force-push it to the
 * bot branch and create or update the one PR from it into the source branch; without one, close
 * that PR with a note and delete the bot branch, so no "ghost" PR lingers.
 */
export async function publishBotBranch(
  config: ActionConfig,
  client: GitHubClient,
  git: Git,
  r: BotBranchResult,
): Promise<void> {
  if (!r.commit) {
    const closed = await closePullRequest(
      client,
      r.bot,
      r.source,
      `${r.source} already carries fresh rendered trees as of ${r.sourceSha}; nothing left to propose.`,
    );
    const deleted = await deleteBotBranch(git, r.bot, config.token);
    core.info(
      `Rendered trees of ${r.source} are up to date.` +
        (closed ? ` Closed PR #${closed.number}.` : '') +
        (deleted ? ` Deleted ${r.bot}.` : ''),
    );
    await writeSummary(`### osa-gitops ${config.mode}\n\n${r.source} is up to date: nothing to propose.\n`);
    return setBotOutputs(closed ? 'closed' : 'none', closed?.number, '', r.bot);
  }
  await pushBotBranch(git, r.bot, config.token, r.commit.sha);
  const { operation, pullRequest } = await createOrUpdatePullRequest(client, r.bot, r.source, {
    title: `osa-gitops: rendered trees for ${r.source}`,
    body: r.body,
  });
  core.info(`PR #${pullRequest.number} ${operation}: ${r.commit.files.length} rendered file(s) on ${r.bot}.`);
  await writeSummary(r.body);
  setBotOutputs(operation, pullRequest.number, r.commit.sha, r.bot);
}

export function setBotOutputs(
  operation: PullRequestOperation,
  number: number | undefined,
  sha: string,
  branch: string,
): void {
  core.setOutput('operation', operation);
  core.setOutput('branch', branch);
  core.setOutput('pull-request-number', number === undefined ? '' : String(number));
  core.setOutput('head-sha', sha);
}
