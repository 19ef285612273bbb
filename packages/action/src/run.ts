import * as core from '@actions/core';
import { GitHubClient } from './github/client.js';
import type { ActionConfig } from './inputs.js';
import { runComment } from './modes/comment.js';
import { runDeployPlan } from './modes/deploy-plan.js';
import { runDriftIssues } from './modes/drift-issues.js';
import { runPreviewComment } from './modes/preview-comment.js';
import { runPreviewPlan } from './modes/preview-plan.js';
import { runPropose } from './modes/propose.js';
import { runPublish } from './modes/publish.js';
import { runRender } from './modes/render.js';
import { runRevertPr } from './modes/revert-pr.js';
import { runRunnerPlan } from './modes/runner-plan.js';
import { runValidate } from './modes/validate.js';

/** Dispatch to the mode. Throws on failure; `main` turns that into `setFailed`. */
export async function run(config: ActionConfig): Promise<void> {
  switch (config.mode) {
    case 'validate':
      return runValidate(config);
    case 'deploy-plan':
      return runDeployPlan(config, client(config));
    case 'runner-plan':
      await runRunnerPlan(config);
      return;
    case 'render':
      return runRender(config);
    case 'publish':
      return runPublish(config, client(config));
    case 'propose':
      return runPropose(config, client(config));
    case 'comment':
      return runComment(config, client(config));
    case 'preview-plan':
      await runPreviewPlan(config, client(config));
      return;
    case 'preview-comment':
      return runPreviewComment(config, client(config));
    case 'drift-issues':
      await runDriftIssues(config, client(config));
      return;
    case 'revert-pr':
      await runRevertPr(config, client(config));
      return;
  }
}

function client(config: ActionConfig): GitHubClient {
  return new GitHubClient({
    token: config.token,
    baseUrl: config.github.apiUrl,
    repository: config.github.repository,
    log: (m) => core.info(m),
  });
}
