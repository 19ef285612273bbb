import { parseRenderedFilePath, sortIssues } from '@osa-gitops/core';
import { type SiteDeploySettings } from '@osa-gitops/report';
import { loadCliLibrary } from '../cli-library.js';
import { botBranchName, commitRenderedTrees, resetBotBranch } from '../git/bot-branch.js';
import type { ActionConfig } from '../inputs.js';
import { composeProposeMarkdown } from '../report/compose.js';
import { fullReportHint, reportFooter } from '../report/footer.js';
import { annotateIssues } from './annotate.js';
import { workspaceGit, type WorkspaceGit } from './workspace-git.js';

export interface LocalRender {
  readonly ws: WorkspaceGit;
  readonly sourceSha: string;
  readonly bot: string;
  /** Sites whose tree was written (every site that compiled), sorted. */
  readonly sites: readonly string[];
  /** The local render commit (never pushed here); undefined when the render changed nothing. */
  readonly commit?: { readonly sha: string; readonly files: readonly string[] };
  /** The PR body: the diff report from the source commit to the render commit. '' without one. */
  readonly body: string;
}

/**
 * Render every site of the checkout and commit the trees locally on the bot branch, reset to the
 * checked-out commit. This RUNS the definitions (they are TypeScript), so it belongs in a job
 * without write tokens (`render`), or in a local run (`propose`). It pushes nothing and makes no
 * API call. Invalid definitions are annotated and thrown, before anything is committed.
 */
export async function renderLocally(config: ActionConfig, source: string): Promise<LocalRender> {
  const bot = botBranchName(config.botBranchPrefix, source);
  const ws = await workspaceGit(config.workingDirectory);
  const sourceSha = await ws.git.resolveCommit(config.headRef ?? 'HEAD');
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
  const sites: string[] = [];
  for (const site of compiled.sites) {
    if (site.tree) {
      await cli.writeSiteTree(root, site.site, site.tree);
      sites.push(site.site);
    }
    const d = site.environment?.deploy;
    if (d)
      deploy.set(site.site, {
        runnerLabel: d.runnerLabel,
        configDir: d.configDir,
        hostNetworking: d.hostNetworking,
      });
  }
  const commit = await commitRenderedTrees(ws.git, {
    branch: bot,
    startPoint: sourceSha,
    owns: (p) => parseRenderedFilePath(ws.toWorkspace(p) ?? '') !== undefined,
    message: `osa-gitops: render trees for ${source}\n\nRendered from ${sourceSha}.`,
    identity: config.committer,
  });
  if (!commit) return { ws, sourceSha, bot, sites: sites.sort(), body: '' };

  const report = await cli.diffRefs(root, sourceSha, commit.sha, { deploySettings: async () => deploy });
  // The footer names the source commit: in the render job the local commit is thrown away and
  // publish makes its own, so its id would point at nothing.
  const body = composeProposeMarkdown(report, {
    budget: config.budget,
    footer: reportFooter(config, config.mode === 'propose' ? commit.sha : sourceSha),
    fullReportHint: fullReportHint(config),
    sourceBranch: source,
    sourceSha,
  });
  return { ws, sourceSha, bot, sites: sites.sort(), commit, body };
}
