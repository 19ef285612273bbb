import * as core from '@actions/core';
import { REPORT_MARKER } from '@osa-gitops/report';
import { readEvent, WorkflowRunEvent } from '../event.js';
import { GitHubClient } from '../github/client.js';
import { listOpenPullRequestsFromHead } from '../github/pull-request.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import type { ActionConfig } from '../inputs.js';
import { readReportArtifact } from '../report/artifact.js';
import { capMarkdown } from '../report/cap-markdown.js';

/**
 * `workflow_run` after validate: post the report artifact as the PR's one sticky comment. This
 * job holds a write token, so it trusts nothing in the artifact (validate ran the PR's code):
 * - the commit comes from the triggering run (`workflow_run.head_sha`, which the PR cannot
 *   change), never from the artifact alone; without that event the mode refuses;
 * - the report must be for that commit, and that commit must be the head of exactly one open PR
 *   from the run's head branch (looked up on GitHub), the artifact's, so a PR cannot aim its
 *   report at another PR;
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
  // The number is the artifact's. It is trusted only when GitHub says that the run's head
  // (owner:branch) has exactly one open PR at the run's commit, and it is that PR: a second PR
  // from the same head into a base with a modified action could otherwise write a report naming
  // the first PR's number and overwrite its sticky comment (issue 16, item 10).
  const headBranch = event.workflow_run.head_branch;
  const headOwner = event.workflow_run.head_repository?.owner.login;
  if (!headBranch || !headOwner) {
    throw new Error(
      'The workflow_run event names no head branch or head repository, so the PR of this report cannot be ' +
        'confirmed; refusing to post it.',
    );
  }
  const open = await listOpenPullRequestsFromHead(client, headOwner, headBranch);
  const atCommit = open.filter((p) => p.head.sha === trustedHead);
  if (atCommit.length === 0) {
    // A newer push is being validated (or the PR was closed); its own run will post. Not an error.
    const moved = open.find((p) => p.number === number);
    core.notice(
      moved
        ? `PR #${number} has moved on to ${moved.head.sha.slice(0, 12)}; this report (for ${meta.headSha.slice(0, 12)}) is not posted.`
        : `No open PR from ${headOwner}:${headBranch} is at ${trustedHead.slice(0, 12)} any more; this report is not posted.`,
    );
    core.setOutput('operation', 'skipped');
    return;
  }
  if (atCommit.length > 1) {
    throw new Error(
      `${trustedHead.slice(0, 12)} is the head of ${atCommit.length} open PRs (${atCommit
        .map((p) => `#${p.number}`)
        .join(', ')}); a report could be aimed at the wrong one, so none is posted. ` +
        'Close the extra PRs from the same branch to get the report back.',
    );
  }
  if (atCommit[0]!.number !== number) {
    throw new Error(
      `The report names PR #${number}, but the run's commit is the head of PR #${atCommit[0]!.number}; refusing to post it.`,
    );
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
