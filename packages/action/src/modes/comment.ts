import * as core from '@actions/core';
import { REPORT_MARKER } from '@osa-gitops/core';
import { readEvent, WorkflowRunEvent } from '../event.js';
import { GitHubClient } from '../github/client.js';
import { getPullRequest } from '../github/pull-request.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import type { ActionConfig } from '../inputs.js';
import { readReportArtifact } from '../report/artifact.js';
import { capMarkdown } from '../report/cap-markdown.js';

/**
 * `workflow_run` after validate: post the report artifact as the PR's one sticky comment. This
 * job holds a write token, so it trusts nothing in the artifact (validate ran the PR's code):
 * - the commit comes from the triggering run (`workflow_run.head_sha`, which the PR cannot
 *   change), never from the artifact alone; without that event the mode refuses;
 * - the report must be for that commit, and the PR (looked up on GitHub) must have it as its
 *   current head, so a PR cannot aim its report at another PR;
 * - the body is capped again and re-marked (a forged marker inside it is neutralised);
 * - nothing is executed, and no PR code is checked out.
 */
export async function runComment(config: ActionConfig, client: GitHubClient): Promise<void> {
  // The event first: without it the PR number and head would come from the artifact alone,
  // which the PR's own code wrote.
  const event = readEvent(WorkflowRunEvent, config.github.eventPath);
  if (!event) {
    throw new Error(
      'comment needs the workflow_run event of the validate run (its head_sha is the commit the report must be for); ' +
        'GITHUB_EVENT_PATH holds no such event. Run this mode from a workflow triggered by workflow_run (see pr-comment.yml); ' +
        'refusing to post.',
    );
  }
  if (event.workflow_run.event !== 'pull_request') {
    throw new Error(
      `The triggering run was for a ${JSON.stringify(event.workflow_run.event)} event, not a pull_request; refusing to post.`,
    );
  }
  const trustedHead = event.workflow_run.head_sha;
  const { markdown, meta } = await readReportArtifact(config.reportDir);
  const number = config.prNumber ?? meta.pullRequest;
  if (config.prNumber !== undefined && config.prNumber !== meta.pullRequest) {
    throw new Error(
      `The report is for PR #${meta.pullRequest}, not PR #${config.prNumber}; refusing to post it.`,
    );
  }
  if (meta.headSha !== trustedHead) {
    throw new Error(
      `The report was made for ${meta.headSha.slice(0, 12)} but the triggering run was for ${trustedHead.slice(0, 12)}; refusing to post it.`,
    );
  }
  // The number is the artifact's; it is trusted only because GitHub says that PR's head is the
  // run's commit.
  const pr = await getPullRequest(client, number);
  if (pr.head.sha !== trustedHead) {
    // A newer push is being validated; its own run will post. Not an error.
    core.notice(
      `PR #${number} has moved on to ${pr.head.sha.slice(0, 12)}; this report (for ${meta.headSha.slice(0, 12)}) is not posted.`,
    );
    core.setOutput('operation', 'skipped');
    return;
  }
  const body = capMarkdown(
    `${REPORT_MARKER}\n${markdown.split(REPORT_MARKER).join('').replace(/^\n+/, '')}`,
    config.budget,
    'Report shortened to fit the comment size limit; the full report is in the validate job summary.',
  );
  const result = await upsertStickyComment(client, {
    issueNumber: number,
    marker: REPORT_MARKER,
    body,
    author: config.commentAuthor,
  });
  core.info(`Report comment ${result.operation} on PR #${number} (comment ${result.id}).`);
  core.setOutput('comment-id', String(result.id));
  core.setOutput('operation', result.operation);
  core.setOutput('pull-request-number', String(number));
}
