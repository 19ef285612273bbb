import * as core from '@actions/core';
import type { GitHubClient } from '../github/client.js';
import type { ActionConfig } from '../inputs.js';
import { publishBotBranch, setBotOutputs } from './bot-pull-request.js';
import { renderLocally } from './render-locally.js';
import { isBotBranch, sourceBranch } from './source-branch.js';

/**
 * Render and publish in one process: render every site, commit the trees on
 * `osa-gitops/render/<branch>` reset to the checked-out commit, force-push, and keep one PR from
 * it into the source branch (closed, with the bot branch deleted, when the render adds nothing).
 *
 * It runs the definitions while holding a token that can push and open PRs, so it is for LOCAL
 * or trusted manual use only. propose.yml does the same in two jobs instead: `render` (runs the
 * branch, no write token) and `publish` (holds the App token, runs only the default branch's
 * action). See docs/github.md.
 */
export async function runPropose(config: ActionConfig, client: GitHubClient): Promise<void> {
  const source = sourceBranch(config);
  if (isBotBranch(config, source)) {
    core.notice(`${source} is an osa-gitops bot branch; nothing to propose.`);
    return setBotOutputs('none', undefined, '', '');
  }
  const r = await renderLocally(config, source);
  await publishBotBranch(config, client, r.ws.git, { source, ...r });
}
