import * as core from '@actions/core';
import { sortIssues, type SiteDeploySettings } from '@osa-gitops/core';
import { loadCliLibrary } from '../cli-library.js';
import {
  botBranchName,
  commitRenderedTrees,
  deleteBotBranch,
  pushBotBranch,
  resetBotBranch,
} from '../git/bot-branch.js';
import type { GitHubClient } from '../github/client.js';
import {
  closePullRequest,
  createOrUpdatePullRequest,
  type PullRequestOperation,
} from '../github/pull-request.js';
import type { ActionConfig } from '../inputs.js';
import { writeSummary } from '../summary.js';
import { composeProposeMarkdown } from '../report/compose.js';
import { fullReportHint, reportFooter } from '../report/footer.js';
import { annotateIssues } from './annotate.js';
import { workspaceGit } from './workspace-git.js';

const TREE_PATH = /^environments\/[^/]+\/openstack_deploy\//;

/**
 * Push to a branch whose definitions changed (or a manual run): render every site, commit the
 * trees on `osa-gitops/render/<branch>` reset to the triggering commit, force-push, and keep one
 * PR from it into the source branch. When the render adds nothing, the PR is closed and the bot
 * branch deleted, so no "ghost" PR lingers (anchors §4).
 */
export async function runPropose(config: ActionConfig, client: GitHubClient): Promise<void> {
  const source = config.sourceBranch ?? branchFromRef(config.github.ref);
  if (!source) {
    throw new Error(
      "propose needs a source branch: run it on a branch push or set the 'source-branch' input.",
    );
  }
  if (source.startsWith(config.botBranchPrefix)) {
    core.notice(`${source} is an osa-gitops bot branch; nothing to propose.`);
    return setOutputs('none', undefined, '', '');
  }
  const bot = botBranchName(config.botBranchPrefix, source);
  const ws = await workspaceGit(config.workingDirectory);
  const sourceSha = await ws.git.revParse(config.headRef ?? 'HEAD');
  await resetBotBranch(ws.git, bot, sourceSha);

  const cli = await loadCliLibrary();
  const root = config.workingDirectory;
  const compiled = await cli.compileWorkspace(root);
  if (!compiled.ok) {
    const issues = sortIssues([...compiled.sites.flatMap((s) => s.issues), ...compiled.fleetIssues]);
    annotateIssues(issues, ws.prefix);
    throw new Error(
      `Cannot render ${source}: ${issues.filter((i) => i.severity === 'error').length} definition error(s) ` +
        `(see the annotations). The render PR is left as it was.`,
    );
  }
  const deploy = new Map<string, SiteDeploySettings>();
  for (const site of compiled.sites) {
    if (site.tree) await cli.writeSiteTree(root, site.site, site.tree);
    const d = site.environment?.deploy;
    if (d) deploy.set(site.site, { runnerLabel: d.runnerLabel, configDir: d.configDir });
  }
  const commit = await commitRenderedTrees(ws.git, {
    branch: bot,
    startPoint: sourceSha,
    owns: (p) => TREE_PATH.test(ws.toWorkspace(p) ?? ''),
    message: `osa-gitops: render trees for ${source}\n\nRendered from ${sourceSha}.`,
    identity: config.committer,
  });

  if (!commit) {
    const closed = await closePullRequest(
      client,
      bot,
      source,
      `${source} already carries fresh rendered trees as of ${sourceSha}; nothing left to propose.`,
    );
    const deleted = await deleteBotBranch(ws.git, bot, config.token);
    core.info(
      `Rendered trees of ${source} are up to date.` +
        (closed ? ` Closed PR #${closed.number}.` : '') +
        (deleted ? ` Deleted ${bot}.` : ''),
    );
    await writeSummary(`### osa-gitops propose\n\n${source} is up to date: nothing to propose.\n`);
    return setOutputs(closed ? 'closed' : 'none', closed?.number, '', bot);
  }

  await pushBotBranch(ws.git, bot, config.token);
  const report = await cli.diffRefs(root, sourceSha, commit.sha, { deploySettings: async () => deploy });
  const body = composeProposeMarkdown(report, {
    budget: config.budget,
    footer: reportFooter(config, commit.sha),
    fullReportHint: fullReportHint(config),
    sourceBranch: source,
    sourceSha,
  });
  const { operation, pullRequest } = await createOrUpdatePullRequest(client, bot, source, {
    title: `osa-gitops: rendered trees for ${source}`,
    body,
  });
  core.info(`PR #${pullRequest.number} ${operation}: ${commit.files.length} rendered file(s) on ${bot}.`);
  await writeSummary(body);
  setOutputs(operation, pullRequest.number, commit.sha, bot);
}

function setOutputs(
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

function branchFromRef(ref: string | undefined): string | undefined {
  return ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}
