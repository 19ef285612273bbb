import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as core from '@actions/core';
import { readEvent, WorkflowRunEvent } from '../event.js';
import type { GitHubClient } from '../github/client.js';
import { onlyOpenPullRequestFor } from '../github/only-pull-request.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import type { ActionConfig } from '../inputs.js';
import { capMarkdown } from '../report/cap-markdown.js';

/** Marks the PR's one allocation-preview comment (beside the validate report's own). */
export const PREVIEW_MARKER = '<!-- osa-gitops-allocation-preview -->';
const MAX_FILE_BYTES = 200_000;
const SITE_FILE = /^([a-z0-9][a-z0-9-]{0,62})\.md$/;

/**
 * Last job of preview.yml: post the runners' previews as the PR's one preview comment. The PR
 * number comes from the plan job's output, and is checked again against GitHub: still the only
 * open PR whose head is the validated commit (a newer push gets its own preview).
 */
export async function runPreviewComment(config: ActionConfig, client: GitHubClient): Promise<void> {
  const event = readEvent(WorkflowRunEvent, config.github.eventPath);
  if (!event || event.workflow_run.event !== 'pull_request') {
    throw new Error('preview-comment needs the workflow_run event of a pull_request validate run; refusing.');
  }
  if (config.prNumber === undefined)
    throw new Error(`Input 'pr-number' is required for mode 'preview-comment'.`);
  const head = event.workflow_run.head_sha;
  const found = await onlyOpenPullRequestFor(client, event);
  if (!found.ok || found.pr.number !== config.prNumber) {
    core.notice(
      `Not posting the preview on PR #${config.prNumber}: ${found.ok ? `the commit is PR #${found.pr.number}'s` : found.reason}.`,
    );
    core.setOutput('operation', 'skipped');
    return;
  }
  const sections = await readPreviews(config.previewDir);
  const body = capMarkdown(
    [
      PREVIEW_MARKER,
      `### What OpenStack-Ansible will allocate (${head.slice(0, 12)})`,
      '',
      "Computed on each site's deploy host: OSA's inventory generator on a copy of the live config dir with this PR's tree synced in.",
      '',
      ...(sections.length > 0
        ? sections
        : ['No site runner produced a preview (see the preview workflow run).']),
    ].join('\n'),
    config.budget,
    "Preview shortened to fit the comment size limit; each site's full preview is in its job summary.",
  );
  const result = await upsertStickyComment(client, {
    issueNumber: config.prNumber,
    marker: PREVIEW_MARKER,
    body,
    author: config.commentAuthor,
  });
  core.info(`Preview comment ${result.operation} on PR #${config.prNumber} (comment ${result.id}).`);
  core.setOutput('comment-id', String(result.id));
  core.setOutput('operation', result.operation);
}

async function readPreviews(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries
    .filter((x) => x.isFile() && SITE_FILE.test(x.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const file = path.join(dir, e.name);
    const stat = await fs.lstat(file);
    if (stat.size > MAX_FILE_BYTES) {
      out.push(
        `#### ${SITE_FILE.exec(e.name)![1]}\n\nPreview too large to post (${stat.size} bytes); see the job summary.\n`,
      );
      continue;
    }
    // A marker inside a section would make it look like our comment's start; neutralise it.
    out.push((await fs.readFile(file, 'utf8')).split(PREVIEW_MARKER).join(''));
  }
  return out;
}
