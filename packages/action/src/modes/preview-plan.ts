import * as core from '@actions/core';
import { readEvent, WorkflowRunEvent } from '../event.js';
import type { GitHubClient } from '../github/client.js';
import { onlyOpenPullRequestFor } from '../github/only-pull-request.js';
import type { ActionConfig } from '../inputs.js';
import { loadCliLibrary } from '../cli-library.js';
import { readReportArtifact } from '../report/artifact.js';
import type { RunnerEntry } from './deploy-plan.js';

/** At most this many sites preview per PR: each takes a deploy runner for a while. */
export const MAX_PREVIEW_SITES = 50;

/**
 * First job of preview.yml (workflow_run after validate; default-branch code): which sites'
 * runners preview the PR, as a job matrix. The PR is the one GitHub says has the validated commit
 * as its head (never the artifact's word); the validate report's affected sites are only a hint,
 * intersected with the sites the default branch defines, and each runner label comes from the
 * default branch's definition, so a PR cannot steer the job onto another runner. A site the
 * default branch does not define yet has no deploy runner to preview on: it is listed as skipped.
 */
export async function runPreviewPlan(config: ActionConfig, client: GitHubClient): Promise<RunnerEntry[]> {
  const none = (why: string): RunnerEntry[] => {
    core.notice(`No allocation preview: ${why}.`);
    core.setOutput('matrix', JSON.stringify({ include: [] }));
    core.setOutput('has-sites', 'false');
    return [];
  };
  const event = readEvent(WorkflowRunEvent, config.github.eventPath);
  if (!event || event.workflow_run.event !== 'pull_request') {
    throw new Error('preview-plan needs the workflow_run event of a pull_request validate run; refusing.');
  }
  const head = event.workflow_run.head_sha;
  const found = await onlyOpenPullRequestFor(client, event);
  if (!found.ok) return none(found.reason);
  const { meta } = await readReportArtifact(config.reportDir);
  if (meta.headSha !== head || meta.pullRequest !== found.pr.number) {
    throw new Error(
      `The validate report is for PR #${meta.pullRequest} at ${meta.headSha.slice(0, 12)}, not PR #${found.pr.number} at ${head.slice(0, 12)}; refusing.`,
    );
  }
  const cli = await loadCliLibrary();
  const defined = new Set(cli.discoverSites(config.workingDirectory));
  const wanted = [...new Set(meta.affected)].sort();
  const sites = wanted.filter((s) => defined.has(s)).slice(0, MAX_PREVIEW_SITES);
  for (const s of wanted.filter((s) => !defined.has(s)))
    core.notice(`${s} is not on the default branch yet: no deploy runner to preview it on.`);
  if (wanted.filter((s) => defined.has(s)).length > MAX_PREVIEW_SITES)
    core.warning(`Only the first ${MAX_PREVIEW_SITES} affected sites are previewed.`);
  if (sites.length === 0) return none('no affected site is defined on the default branch');

  const compiled = await cli.compileWorkspace(config.workingDirectory, { sites });
  const entries: RunnerEntry[] = compiled.sites.flatMap((s) =>
    s.environment ? [{ site: s.site, runner: s.environment.deploy.runnerLabel }] : [],
  );
  if (entries.length === 0) return none('the default branch has no valid definition of the affected sites');
  core.setOutput('matrix', JSON.stringify({ include: entries }));
  core.setOutput('has-sites', 'true');
  core.setOutput('pull-request-number', String(found.pr.number));
  core.info(`Previewing ${entries.map((e) => e.site).join(', ')} for PR #${found.pr.number}.`);
  return entries;
}
