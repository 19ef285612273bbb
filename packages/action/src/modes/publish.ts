import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import { commitTrees } from '../git/commit-trees.js';
import { botBranchName } from '../git/bot-branch.js';
import { Git } from '@osa-gitops/git';
import type { GitHubClient } from '../github/client.js';
import type { ActionConfig } from '../inputs.js';
import { readEvent, PushEvent, WorkflowRunEvent } from '../event.js';
import { capMarkdown } from '../report/cap-markdown.js';
import { readRenderArtifact, RenderArtifactError } from '../render-artifact/read-render-artifact.js';
import { siteTreeFolder } from '../render-artifact/layout.js';
import { publishBotBranch, setBotOutputs } from './bot-pull-request.js';
import { isBotBranch, sourceBranch } from './source-branch.js';

/** Where publish fetches the source branch to; outside refs/heads, so no branch is touched. */
const SOURCE_REF = 'refs/osa-gitops/publish-source';

/**
 * The second half of propose.yml, in the job that holds the App token. It runs only the default
 * branch's action and never executes the pushed branch's code: the render job's artifact is
 * untrusted data (see readRenderArtifact for the checks). From it, publish
 * - refuses unless the artifact's source branch and commit are the ones this run was for
 *   (`source-branch`, `source-sha` = the triggering run's `workflow_run.head_sha`, or the event), and
 *   that commit is the source branch's current tip on origin (fetched here, no code run);
 * - refuses a site whose definition the source commit does not have;
 * - makes the bot commit = source commit with each listed site's `openstack_deploy/` replaced by
 *   the artifact's copy, with git plumbing only (commitTrees), force-pushes it and keeps the PR,
 *   exactly as `propose` does (same outputs).
 * A site missing from the artifact (its definition was deleted, or the render left it out) keeps
 * its committed tree untouched.
 */
export async function runPublish(config: ActionConfig, client: GitHubClient): Promise<void> {
  const source = sourceBranch(config);
  if (isBotBranch(config, source)) {
    core.notice(`${source} is an osa-gitops bot branch; nothing to publish.`);
    return setBotOutputs('none', undefined, '', '');
  }
  // From the event, never from the artifact: the render job ran the branch's code.
  const expected =
    config.sourceSha ??
    readEvent(WorkflowRunEvent, config.github.eventPath)?.workflow_run.head_sha ??
    readEvent(PushEvent, config.github.eventPath)?.after;
  if (!expected) {
    throw new Error(
      "publish needs the commit the render job rendered: set 'source-sha' (github.event.workflow_run.head_sha) or run it on a workflow_run or push event.",
    );
  }
  const { meta, treesDir } = await readRenderArtifact(config.renderDir);
  if (meta.sourceBranch !== source) {
    throw new RenderArtifactError(
      `it was rendered for branch ${JSON.stringify(meta.sourceBranch)}, not ${JSON.stringify(source)}.`,
    );
  }
  if (meta.sourceSha !== expected) {
    throw new RenderArtifactError(
      `it was rendered from ${meta.sourceSha.slice(0, 12)}, but this run is for ${expected.slice(0, 12)}.`,
    );
  }

  const { git, prefix } = await repositoryOf(config.workingDirectory);
  await git.run(
    [
      'fetch',
      '--no-tags',
      '--no-recurse-submodules',
      '--depth=1',
      'origin',
      `+refs/heads/${source}:${SOURCE_REF}`,
    ],
    { token: config.token },
  );
  const tip = await git.resolveCommit(SOURCE_REF);
  if (tip !== meta.sourceSha) {
    throw new RenderArtifactError(
      `${meta.sourceSha.slice(0, 12)} is not the tip of ${source} on origin (${tip.slice(0, 12)}). ` +
        'If the branch moved on, the run for the newer push publishes.',
    );
  }
  const repoPath = (rel: string): string => (prefix ? `${prefix}/${rel}` : rel);
  // From the trees alone (ls-tree): the job's sparse checkout is a blobless partial clone, and
  // asking for a blob (`cat-file -e commit:path`) makes git fetch it from origin without a token,
  // which a private repository refuses (issue 29). One command for all sites.
  const definitions = meta.sites.map((site) => repoPath(`environments/${site}/environment.ts`));
  const present = new Set(
    definitions.length === 0
      ? []
      : (
          await git.run([
            'ls-tree',
            '-z',
            '--name-only',
            '--full-tree',
            tip,
            '--',
            ...definitions.map((d) => `:(literal)${d}`),
          ])
        )
          .split('\0')
          .filter(Boolean),
  );
  for (const definition of definitions) {
    if (!present.has(definition))
      throw new RenderArtifactError(`${source} at ${tip.slice(0, 12)} has no ${definition}.`);
  }

  const files = new Map(meta.files.map((f) => [repoPath(f), path.join(treesDir, ...f.split('/'))] as const));
  const commit = await commitTrees(git, {
    parent: tip,
    replace: meta.sites.map((s) => repoPath(siteTreeFolder(s))),
    files,
    message: `osa-gitops: render trees for ${source}\n\nRendered from ${tip}.`,
    identity: config.committer,
  });
  const body = capMarkdown(
    meta.report || `Rendered override trees for \`${source}\` at \`${tip.slice(0, 12)}\`.\n`,
    config.budget,
    'Report shortened to fit the PR body limit; the full report is in the render job summary.',
  );
  await publishBotBranch(config, client, git, {
    source,
    sourceSha: tip,
    bot: botBranchName(config.botBranchPrefix, source),
    ...(commit ? { commit } : {}),
    body,
  });
}

/**
 * The repository the job checked out and the workspace's place in it. The publish job's checkout
 * is sparse (only the action), so the workspace folder itself may not exist on disk: the nearest
 * existing folder locates the repository, and the prefix is computed from the path.
 */
async function repositoryOf(workingDirectory: string): Promise<{ git: Git; prefix: string }> {
  let existing = workingDirectory;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const git = await Git.open(existing);
  const full = path.join(fs.realpathSync(existing), path.relative(existing, workingDirectory));
  const prefix = path.relative(git.dir, full).split(path.sep).join('/');
  if (prefix.startsWith('..')) throw new Error(`${workingDirectory} is outside the repository ${git.dir}.`);
  return { git, prefix };
}
