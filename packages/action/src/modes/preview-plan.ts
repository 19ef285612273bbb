import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as core from '@actions/core';
import { readEvent, WorkflowRunEvent } from '../event.js';
import type { GitHubClient } from '../github/client.js';
import { onlyOpenPullRequestFor } from '../github/only-pull-request.js';
import type { ActionConfig } from '../inputs.js';
import { loadCliLibrary } from '../cli-library.js';
import { readReportArtifact } from '../report/artifact.js';
import type { RunnerEntry } from './deploy-plan.js';
import { workspaceGit } from './workspace-git.js';

/** Where the PR head is fetched to; outside refs/heads, so no branch is touched. */
const HEAD_REF = 'refs/osa-gitops/preview-head';
/** A rendered tree's limits, as `osa-gitops preview --tree` enforces them again on the runner. */
const MAX_FILES = 2_000;
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** At most this many sites preview per PR: each takes a deploy runner for a while. */
export const MAX_PREVIEW_SITES = 50;

/**
 * The PR's committed trees of `sites`, as data, into `pr-tree-dir`: the head commit is fetched
 * from the base repository's `refs/pull/<n>/head` (where GitHub keeps every PR's head, a fork's
 * too, readable with this job's `contents: read` token, private repositories included) and only
 * the regular files under `environments/<site>/openstack_deploy/` are written, from git objects:
 * nothing of the PR is checked out, nothing of it runs. The site runners download this folder as
 * an artifact instead of checking out the PR themselves (actions/checkout refuses a fork's head in
 * a `workflow_run` job, and a site runner should never fetch PR code). Returns why not, or the
 * number of files.
 */
async function writePullRequestTrees(
  config: ActionConfig,
  pr: number,
  head: string,
  sites: readonly string[],
): Promise<number | string> {
  const { git, prefix } = await workspaceGit(config.workingDirectory);
  try {
    await git.run(
      [
        'fetch',
        '--no-tags',
        '--no-recurse-submodules',
        '--depth=1',
        'origin',
        `+refs/pull/${pr}/head:${HEAD_REF}`,
      ],
      { token: config.token || undefined },
    );
  } catch (err) {
    return `the head of PR #${pr} could not be fetched from refs/pull/${pr}/head (${(err as Error).message.split('\n')[0]})`;
  }
  const fetched = await git.resolveCommit(HEAD_REF);
  if (fetched !== head)
    return `PR #${pr} moved on to ${fetched.slice(0, 12)} since ${head.slice(0, 12)} was validated; its own run previews it`;
  const repoPath = (rel: string): string => (prefix ? `${prefix}/${rel}` : rel);
  let count = 0;
  for (const site of sites) {
    const folder = repoPath(`environments/${site}/openstack_deploy`);
    const listing = await git.run([
      'ls-tree',
      '-r',
      '-l',
      '-z',
      '--full-tree',
      head,
      '--',
      `:(literal)${folder}`,
    ]);
    const files = listing
      .split('\0')
      .filter(Boolean)
      .map((line) => /^(\d+) (\w+) ([0-9a-f]+) +(-|\d+)\t(.+)$/s.exec(line))
      .filter((m): m is RegExpExecArray => m !== null);
    if (files.length > MAX_FILES) return `PR #${pr}'s tree of ${site} has more than ${MAX_FILES} files`;
    for (const [, mode, type, id, size, file] of files) {
      // Only regular files: a link or a submodule in a rendered tree is refused on the runner anyway.
      if (type !== 'blob' || (mode !== '100644' && mode !== '100755')) continue;
      if (Number(size) > MAX_FILE_BYTES) return `PR #${pr}'s ${file} is larger than ${MAX_FILE_BYTES} bytes`;
      const rel = file!.slice(folder.length + 1);
      const target = path.join(config.prTreeDir, 'environments', site, 'openstack_deploy', ...rel.split('/'));
      if (rel.split('/').some((p) => p === '' || p === '.' || p === '..')) continue;
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, await git.showBuffer([id!]));
      count++;
    }
  }
  return count;
}

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
  const written = await writePullRequestTrees(
    config,
    found.pr.number,
    head,
    entries.map((e) => e.site),
  );
  if (typeof written === 'string') return none(written);
  core.setOutput('matrix', JSON.stringify({ include: entries }));
  core.setOutput('has-sites', 'true');
  core.setOutput('pull-request-number', String(found.pr.number));
  core.info(`Previewing ${entries.map((e) => e.site).join(', ')} for PR #${found.pr.number}.`);
  return entries;
}
