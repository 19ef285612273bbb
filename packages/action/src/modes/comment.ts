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
 * - the PR number is checked against the triggering run: the PR's current head must be the
 *   commit validate ran for, so a PR cannot aim its report at another PR;
 * - the body is capped again and re-marked (a forged marker inside it is neutralised);
 * - nothing is executed, and no PR code is checked out.
 */
export async function runComment(config: ActionConfig, client: GitHubClient): Promise<void> {
  const { markdown, meta } = await readReportArtifact(config.reportDir);
  const event = readEvent(WorkflowRunEvent, config.github.eventPath);
  const number = config.prNumber ?? meta.pullRequest;
  if (config.prNumber !== undefined && config.prNumber !== meta.pullRequest) {
    throw new Error(
      `The report is for PR #${meta.pullRequest}, not PR #${config.prNumber}; refusing to post it.`,
    );
  }
  const trustedHead = event?.workflow_run.head_sha;
  if (trustedHead && meta.headSha !== trustedHead) {
    throw new Error(
      `The report was made for ${meta.headSha.slice(0, 12)} but the triggering run was for ${trustedHead.slice(0, 12)}; refusing to post it.`,
    );
  }
  const pr = await getPullRequest(client, number);
  if (pr.head.sha !== meta.headSha) {
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
