import * as core from '@actions/core';
import { affectedSites, hasErrors, sortIssues } from '@osa-gitops/core';
import { reportToJson, type SiteDeploySettings, type StaleSite } from '@osa-gitops/report';
import { loadCliLibrary } from '../cli-library.js';
import { PullRequestEvent, readEvent } from '../event.js';
import type { ActionConfig } from '../inputs.js';
import { writeSummary } from '../summary.js';
import { writeReportArtifact, type ReportMeta } from '../report/artifact.js';
import { composeValidateMarkdown, validationPassed, type StaleFileLike } from '../report/compose.js';
import { fullReportHint, reportFooter } from '../report/footer.js';
import { annotateIssues, annotateStale } from './annotate.js';
import { workspaceGit } from './workspace-git.js';

/** The job summary may hold 1 MiB; leave room for other steps. */
const SUMMARY_BUDGET = 400_000;

/**
 * `pull_request`: compile the sites the change touches (fleet rules see every site), fail on
 * issues and on stale committed trees, and write the report. Needs no write permission and makes
 * no GitHub API call: fork PRs get a read-only token, so the report goes to a folder (uploaded
 * as an artifact) and the pr-comment workflow posts it.
 */
export async function runValidate(config: ActionConfig): Promise<void> {
  const event = readEvent(PullRequestEvent, config.github.eventPath);
  const baseInput = config.baseRef ?? event?.pull_request.base.sha;
  if (!baseInput) {
    throw new Error(
      "validate needs a base to compare with: run it on a pull_request event or set the 'base-ref' input.",
    );
  }
  const ws = await workspaceGit(config.workingDirectory);
  if (/^[0-9a-f]{40}$/.test(baseInput)) await ws.git.ensureCommit(baseInput, config.token || undefined);
  const base = await ws.git.resolveCommit(baseInput);
  const head = await ws.git.resolveCommit(config.headRef ?? 'HEAD');
  const root = config.workingDirectory;

  const changed = await ws.changedPaths(base, head);
  const cli = await loadCliLibrary();
  // The import edges at the head: a site importing a changed file of another folder is affected.
  const affected = affectedSites(changed, cli.readEnvironmentGraph(root));
  core.info(
    `Comparing ${base.slice(0, 12)}..${head.slice(0, 12)}: ${changed.length} changed file(s), affected sites: ${affected.join(', ') || 'none'}.`,
  );

  let issues: ReturnType<typeof sortIssues> = [];
  const stale: StaleFileLike[] = [];
  const deploy = new Map<string, SiteDeploySettings>();
  const invalid: string[] = [];
  if (affected.length > 0) {
    const compiled = await cli.compileWorkspace(root, { sites: affected });
    issues = sortIssues([...compiled.sites.flatMap((s) => s.issues), ...compiled.fleetIssues]);
    for (const site of compiled.sites) {
      if (hasErrors(site.issues)) invalid.push(site.site);
      stale.push(...(await cli.findStaleFiles(root, site)));
      const d = site.environment?.deploy;
      if (d)
        deploy.set(site.site, {
          runnerLabel: d.runnerLabel,
          configDir: d.configDir,
          hostNetworking: d.hostNetworking,
        });
    }
  }
  // The plan reads committed trees: it names the sites whose tree is stale, so it is not calmer
  // than the verdict above it.
  const report = await cli.diffRefs(root, base, head, {
    deploySettings: async () => deploy,
    stale: staleSites(stale, invalid),
  });
  const outcome = { affected, issues, stale };
  const ok = validationPassed(outcome);

  const compose = (budget: number): string =>
    composeValidateMarkdown(outcome, report, {
      budget,
      footer: reportFooter(config, event?.pull_request.head.sha ?? head),
      fullReportHint: fullReportHint(config),
    });
  const markdown = compose(config.budget);
  const meta: ReportMeta | undefined = event && {
    schemaVersion: 1,
    pullRequest: event.pull_request.number,
    headSha: event.pull_request.head.sha,
    ok,
    affected,
  };
  await writeReportArtifact(config.reportDir, {
    markdown,
    data: reportToJson(report),
    ...(meta ? { meta } : {}),
  });
  await writeSummary(compose(SUMMARY_BUDGET));

  annotateIssues(issues, ws.prefix);
  annotateStale(stale, ws.prefix);
  core.setOutput('ok', String(ok));
  core.setOutput('sites', JSON.stringify(affected));
  core.setOutput('deploy-sites', JSON.stringify(report.plan.steps.map((s) => s.site)));
  core.setOutput('report-dir', config.reportDir);
  if (!ok) {
    const errors = issues.filter((i) => i.severity === 'error').length;
    core.setFailed(
      `osa-gitops validate failed: ${errors} error(s), ${stale.length} stale rendered file(s). ` +
        `Details are in the job summary${hasErrors(issues) ? ' and the annotations' : ''}.`,
    );
  }
}

/** Stale files and invalid sites as the report's stale sites (see core's StaleSite), by site. */
export function staleSites(stale: readonly StaleFileLike[], invalid: readonly string[]): StaleSite[] {
  const files = new Map<string, string[]>();
  for (const f of stale) files.set(f.site, [...(files.get(f.site) ?? []), f.path]);
  return [
    ...[...files].map(([site, paths]) => ({ site, evidence: 'render' as const, files: paths })),
    ...invalid
      .filter((s) => !files.has(s))
      .map((site) => ({ site, evidence: 'invalid' as const, files: [] })),
  ].sort((a, b) => (a.site < b.site ? -1 : a.site > b.site ? 1 : 0));
}
