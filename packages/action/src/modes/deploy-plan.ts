import * as core from '@actions/core';
import { sortIssues } from '@osa-gitops/core';
import { hostNetworkingEnvironment, metalCutoverEnvironment } from '@osa-gitops/report';
import { loadCliLibrary } from '../cli-library.js';
import { NULL_SHA, PushEvent, readEvent } from '../event.js';
import type { GitHubClient } from '../github/client.js';
import { unprotectedEnvironments } from '../github/environments.js';
import type { ActionConfig } from '../inputs.js';
import { writeSummary } from '../summary.js';
import { annotateIssues } from './annotate.js';
import { workspaceGit } from './workspace-git.js';

/** A matrix entry: the site and the runner label its definition names. */
export interface RunnerEntry {
  readonly site: string;
  readonly runner: string;
}

export interface MatrixEntry extends RunnerEntry {
  /**
   * The host-networking stage: `approve` (it may run, after its own environment approves),
   * `manual` (the site runs it by hand), `none` (this change does not need it).
   */
  readonly hostNetworking: 'approve' | 'manual' | 'none';
}

/**
 * `push` to the default branch: which sites deploy, as a job matrix. A site deploys when its
 * committed tree changed between the push's `before` and `after` (the core's plan decides,
 * the same plan the PR comment showed); its runner label comes from its definition. An empty
 * plan is `{"include":[]}` plus `has-sites=false`: GitHub rejects a matrix job with no entries,
 * so the deploy job is skipped by that flag. Refuses the plan when a planned site's GitHub
 * environment is missing or unprotected (read with the job's token: `actions: read`).
 */
export async function runDeployPlan(config: ActionConfig, client: GitHubClient): Promise<void> {
  const event = readEvent(PushEvent, config.github.eventPath);
  const root = config.workingDirectory;
  const ws = await workspaceGit(root);
  const after = await ws.git.resolveCommit(config.headRef ?? event?.after ?? config.github.sha ?? 'HEAD');
  const cli = await loadCliLibrary();

  let sites: string[];
  let skipped: { site: string; reason: string }[] = [];
  // Sites whose planned stages include host networking; undefined: not known (manual choice of
  // sites, or no previous commit), so every auto site asks for the approval.
  let needsHostNetworking: Set<string> | undefined;
  const before = config.baseRef ?? event?.before;
  if (config.sites) {
    sites = config.sites === 'all' ? cli.discoverSites(root) : [...config.sites];
    core.info(`Sites chosen by the 'sites' input: ${sites.join(', ') || 'none'}.`);
  } else if (!before || NULL_SHA.test(before)) {
    // A push that created the branch has no "before": every site is new to it.
    sites = cli.discoverSites(root);
    core.info(`No previous commit to compare with; planning every site.`);
  } else {
    try {
      await ws.git.ensureCommit(before, config.token || undefined);
    } catch (err) {
      throw new Error(
        `Cannot find the commit before this push (${before.slice(0, 12)}), e.g. after a force-push. ` +
          `Run the deploy workflow manually with the 'sites' input to choose what to deploy.`,
        { cause: err },
      );
    }
    const report = await cli.diffRefs(root, await ws.git.resolveCommit(before), after);
    sites = report.plan.steps.map((s) => s.site);
    needsHostNetworking = new Set(
      report.plan.steps.filter((s) => s.stages.some((x) => x.name === 'host-networking')).map((s) => s.site),
    );
    skipped = [...report.plan.skipped];
  }

  const entries: MatrixEntry[] = [];
  if (sites.length > 0) {
    const compiled = await cli.compileWorkspace(root, { sites });
    if (!compiled.ok) {
      const issues = sortIssues([...compiled.sites.flatMap((s) => s.issues), ...compiled.fleetIssues]);
      annotateIssues(issues, ws.prefix);
      throw new Error(
        `Refusing to plan a deploy: ${issues.filter((i) => i.severity === 'error').length} definition error(s) ` +
          `in ${sites.join(', ')} at ${after.slice(0, 12)} (see the annotations).`,
      );
    }
    for (const s of compiled.sites) {
      if (!s.environment) continue;
      const needed = needsHostNetworking?.has(s.site) ?? true;
      entries.push({
        site: s.site,
        runner: s.environment.deploy.runnerLabel,
        hostNetworking: !needed
          ? 'none'
          : s.environment.deploy.hostNetworking === 'manual'
            ? 'manual'
            : 'approve',
      });
    }
  }
  for (const s of skipped) core.warning(`${s.site} is not deployed: ${s.reason}`);
  // The cut-over's approval is asked for only on a person's dispatch: whether a site still runs
  // HAProxy on metal is known on its deploy host alone (its inventory), so a merge's deploy stops
  // before the cut-over (exit 91) and says to dispatch with `metal-cutover: approved`.
  if (config.metalCutover && !config.sites) {
    throw new Error(
      "Refusing to plan a deploy: the 'metal-cutover' input applies to the sites a person chose " +
        "(the 'sites' input of a manual run), not to the sites a push changed.",
    );
  }
  const cutover = config.metalCutover === 'approved' ? entries.map((e) => ({ site: e.site })) : [];

  // Each site deploys in `environment: <site>`, and its host-networking stage, when it needs an
  // approval, in `<site>-host-networking`: a missing or unprotected one would let that run with
  // nobody's approval, so the whole plan is refused (issue 16, item 9).
  const environments = entries.flatMap((e) => [
    { site: e.site, environment: e.site },
    ...(e.hostNetworking === 'approve'
      ? [{ site: e.site, environment: hostNetworkingEnvironment(e.site) }]
      : []),
  ]);
  for (const c of cutover) environments.push({ site: c.site, environment: metalCutoverEnvironment(c.site) });
  const unprotected = await unprotectedEnvironments(client, environments);
  if (unprotected.length > 0) {
    throw new Error(
      `Refusing to plan a deploy: ${unprotected.map((u) => `${u.site}: ${u.reason}`).join('; ')}. ` +
        "Create each site's environment (and `<site>-host-networking` where its host networking needs approval, " +
        '`<site>-metal-cutover` where a metal cut-over is asked for) ' +
        'with required reviewers and a deployment-branch rule for the default ' +
        'branch (docs/github.md, "Environments, one per site"), then re-run this workflow.',
    );
  }

  const matrix = { include: entries };
  core.setOutput('matrix', JSON.stringify(matrix));
  core.setOutput('has-sites', String(entries.length > 0));
  // The approval job's matrix: GitHub evaluates a job's `if` before its matrix, so the sites whose
  // host networking needs its own approval get a matrix of their own.
  const approve = entries.filter((e) => e.hostNetworking === 'approve');
  core.setOutput('host-networking-matrix', JSON.stringify({ include: approve }));
  core.setOutput('has-host-networking', String(approve.length > 0));
  core.setOutput('metal-cutover-matrix', JSON.stringify({ include: cutover }));
  core.setOutput('has-metal-cutover', String(cutover.length > 0));
  core.setOutput('sites', JSON.stringify(entries.map((e) => e.site)));
  core.setOutput('commit', after);
  const rows = entries.map((e) => `| \`${e.site}\` | \`${e.runner}\` | ${e.hostNetworking} |`);
  await writeSummary(
    entries.length
      ? `### osa-gitops deploy plan for ${after.slice(0, 12)}\n\n| site | runner | host networking |\n| --- | --- | --- |\n${rows.join('\n')}\n`
      : `### osa-gitops deploy plan for ${after.slice(0, 12)}\n\nNo rendered tree changed: nothing to deploy.\n`,
  );
}
