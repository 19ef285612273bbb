import * as core from '@actions/core';
import { escapeMarkdown, inlineCode } from '@osa-gitops/core';
import { formatVerifyMarkdown } from '@osa-gitops/render';
import { deleteBotBranch, pushBotBranch } from '../git/bot-branch.js';
import type { Git } from '@osa-gitops/git';
import { revertFolder } from '../git/revert-folder.js';
import type { GitHubClient } from '../github/client.js';
import { closePullRequest, createOrUpdatePullRequest, findOpenPullRequest } from '../github/pull-request.js';
import type { ActionConfig } from '../inputs.js';
import { capMarkdown } from '../report/cap-markdown.js';
import { readDeployOutcomes, type DeployOutcome } from '../report/deploy-outcome.js';
import { writeSummary } from '../summary.js';
import { workspaceGit } from './workspace-git.js';

/** One branch, so one pull request, per site: `osa-gitops/revert/<site>`. */
export const REVERT_BRANCH_PREFIX = 'osa-gitops/revert/';
/** Where the default branch's tip is fetched to; outside refs/heads, so no branch is touched. */
const BASE_REF = 'refs/osa-gitops/revert-base';
const MAX_LISTED_FILES = 50;
/** Names, in a revert PR's body, the failed deploy's commit it was made for. */
const FOR_COMMIT = /<!-- osa-gitops:revert-for ([0-9a-f]{40}(?:[0-9a-f]{24})?) -->/;
const FULL_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export interface RevertResult {
  readonly site: string;
  /** `created`/`updated`: the revert PR; `closed`: a stale one; `none`: nothing to do; `refused`. */
  readonly operation: 'created' | 'updated' | 'closed' | 'none' | 'refused';
  readonly number?: number;
  readonly why: string;
}

/**
 * The follow-up job of deploy.yml (default-branch code, the App token of the publish
 * environment). For each site whose deploy ran verify and failed it, one pull request from
 * `osa-gitops/revert/<site>` into the default branch that puts the site's folder (its definition
 * and its rendered tree) back to the last commit verified on the site's deploy host, on top of the
 * branch's current tip, with the findings in its body; created, or updated in place on the next
 * failure. A site that has no verified commit yet (its first deploy) gets none, and the summary
 * says so. A site whose verify passed has its open revert PR closed. Nothing is ever merged.
 */
export async function runRevertPr(config: ActionConfig, client: GitHubClient): Promise<RevertResult[]> {
  const ref = config.github.ref ?? '';
  if (!ref.startsWith('refs/heads/'))
    throw new Error(`revert-pr runs on the default branch (GITHUB_REF=refs/heads/…), not on '${ref}'.`);
  const base = ref.slice('refs/heads/'.length);
  const outcomes = await readDeployOutcomes(config.outcomeDir);
  if (outcomes.length === 0) core.warning(`No deploy outcomes in ${config.outcomeDir}: no site to look at.`);
  const failed = outcomes.filter((o) => o.verify && !o.verify.ok);
  const passed = outcomes.filter((o) => o.verify?.ok);

  const results: RevertResult[] = [];
  const { git, prefix } = await workspaceGit(config.workingDirectory);
  // Revert jobs of different runs may run side by side (no concurrency group: GitHub's would
  // cancel a pending one) and finish out of order: the history decides, so main's tip is fetched
  // first and an outcome older than the one an open revert PR was made for changes nothing.
  const tip = outcomes.length > 0 ? await fetchTip(git, base, config.token) : '';
  const newer = (o: DeployOutcome) => supersededBy(client, git, base, o, config.token);
  // A later deploy verified: its revert PR, if one is open, is no longer needed.
  for (const o of passed) {
    const branch = REVERT_BRANCH_PREFIX + o.site;
    const later = await newer(o);
    if (later) {
      results.push({ site: o.site, operation: 'none', why: later });
      continue;
    }
    const closed = await closePullRequest(
      client,
      branch,
      base,
      `${o.site} passed verification at ${o.commit ?? 'the deployed commit'}: this revert is no longer needed.`,
    );
    if (closed) {
      await deleteBotBranch(git, branch, config.token);
      results.push({ site: o.site, operation: 'closed', number: closed.number, why: 'verified again' });
    }
  }
  for (const o of failed) {
    const later = await newer(o);
    results.push(
      later
        ? { site: o.site, operation: 'none', why: later }
        : await revertSite(config, client, git, prefix, base, tip, o),
    );
  }
  for (const o of outcomes.filter((x) => !x.verify))
    results.push({
      site: o.site,
      operation: 'none',
      why: `verify did not judge (deploy exit ${o.exitCode})`,
    });

  results.sort((a, b) => (a.site < b.site ? -1 : a.site > b.site ? 1 : 0));
  for (const r of results)
    core.info(`${r.site}: ${r.operation}${r.number ? ` (#${r.number})` : ''}: ${r.why}`);
  await writeSummary(summary(results));
  const reverts = results
    .filter((r) => r.number !== undefined)
    .map((r) => ({ site: r.site, number: r.number, operation: r.operation }));
  core.setOutput('reverts', JSON.stringify(reverts));
  const refused = results.filter((r) => r.operation === 'refused');
  if (refused.length > 0)
    throw new Error(`No revert pull request for ${refused.map((r) => `${r.site} (${r.why})`).join('; ')}.`);
  return results;
}

async function revertSite(
  config: ActionConfig,
  client: GitHubClient,
  git: Git,
  prefix: string,
  base: string,
  tip: string,
  o: DeployOutcome,
): Promise<RevertResult> {
  const site = o.site;
  const verified = o.lastVerifiedCommit;
  if (!verified)
    return {
      site,
      operation: 'none',
      why: 'no verified commit recorded on its deploy host yet (first deploy): nothing to revert to; fix forward',
    };
  if (verified === o.commit)
    return {
      site,
      operation: 'none',
      why: `${short(verified)} passed verify before on this host: what is live changed, not the definition; nothing to revert`,
    };
  if (!FULL_SHA.test(verified))
    return { site, operation: 'refused', why: `the verified commit ${verified} is not a full commit id` };
  const folder = `${prefix ? `${prefix}/` : ''}environments/${site}`;
  try {
    await git.ensureCommit(verified, config.token || undefined);
    // Not `merge-base --is-ancestor`: its answer is the exit code alone, with nothing on stderr.
    const common = await git.run(['merge-base', verified, tip]).then(
      (out) => out.trim(),
      () => '',
    );
    const onBase = common === verified;
    if (!onBase) return { site, operation: 'refused', why: `${short(verified)} is not on ${base}` };
    if (o.commit && FULL_SHA.test(o.commit)) {
      await git.ensureCommit(o.commit, config.token || undefined);
      // The site changed again on the branch after the failed commit: that newer deploy decides.
      const moved = (await git.changedPaths(o.commit, tip, [`:(literal)${folder}`])).length > 0;
      if (moved)
        return {
          site,
          operation: 'none',
          why: `${folder} changed on ${base} since the failed ${short(o.commit)}: its own deploy verifies it`,
        };
    }
    const branch = REVERT_BRANCH_PREFIX + site;
    const commit = await revertFolder(git, {
      parent: tip,
      from: verified,
      folder,
      message: `osa-gitops: revert ${site} to ${short(verified)}\n\nVerification failed at ${o.commit ?? 'the deployed commit'}; ${verified} is the last commit verified on its deploy host.`,
      identity: config.committer,
    });
    if (!commit) {
      const closed = await closePullRequest(
        client,
        branch,
        base,
        `${base} already has ${folder} as verified at ${verified}.`,
      );
      await deleteBotBranch(git, branch, config.token);
      return {
        site,
        operation: closed ? 'closed' : 'none',
        ...(closed ? { number: closed.number } : {}),
        why: `${base} already has the verified ${folder}`,
      };
    }
    const outside = (
      await git.changedPaths(verified, tip, [`:(literal)${prefix ? `${prefix}/` : ''}environments`])
    )
      .map((p) => (prefix ? p.slice(prefix.length + 1) : p))
      .filter((p) => !p.startsWith(`environments/${site}/`))
      .filter((p) => !/^environments\/[^/]+\/(environment\.ts$|openstack_deploy\/)/.test(p));
    await pushBotBranch(git, branch, config.token, commit.sha);
    const { operation, pullRequest } = await createOrUpdatePullRequest(client, branch, base, {
      title: `osa-gitops: revert ${site} to ${short(verified)} (verification failed)`,
      body: capMarkdown(
        body(config, o, verified, commit.files, outside),
        config.budget,
        'Shortened to fit the pull request body limit; the deploy job summary has every check.',
      ),
    });
    return { site, operation, number: pullRequest.number, why: `back to ${short(verified)}` };
  } catch (err) {
    return { site, operation: 'refused', why: (err as Error).message };
  }
}

/**
 * Why this outcome must not touch the site's open revert PR: that PR was made for the outcome of
 * a later deploy of the site (its commit descends from this one's), so this job ran late. Undefined
 * when it may.
 */
async function supersededBy(
  client: GitHubClient,
  git: Git,
  base: string,
  o: DeployOutcome,
  token: string,
): Promise<string | undefined> {
  if (!o.commit || !FULL_SHA.test(o.commit)) return undefined;
  const open = await findOpenPullRequest(client, REVERT_BRANCH_PREFIX + o.site, base);
  const theirs = FOR_COMMIT.exec(open?.body ?? '')?.[1];
  if (!theirs || theirs === o.commit) return undefined;
  try {
    await git.ensureCommit(o.commit, token || undefined);
    await git.ensureCommit(theirs, token || undefined);
  } catch {
    return undefined;
  }
  const common = await git.run(['merge-base', o.commit, theirs]).then(
    (out) => out.trim(),
    () => '',
  );
  return common === o.commit
    ? `its open revert pull request #${open!.number} is for the later deploy of ${short(theirs)}; this outcome (${short(o.commit)}) is older`
    : undefined;
}

/** The default branch's current tip, with history (the ancestry check walks it). */
async function fetchTip(git: Git, base: string, token: string): Promise<string> {
  const shallow = (await git.run(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  await git.run(
    [
      'fetch',
      '--no-tags',
      '--no-recurse-submodules',
      ...(shallow ? ['--unshallow'] : []),
      'origin',
      `+refs/heads/${base}:${BASE_REF}`,
    ],
    { token: token || undefined },
  );
  return git.resolveCommit(BASE_REF);
}

function body(
  config: ActionConfig,
  o: DeployOutcome,
  verified: string,
  files: readonly string[],
  outside: readonly string[],
): string {
  const run =
    config.github.runId && config.github.repository
      ? ` ([run ${config.github.runId}](${config.github.serverUrl}/${config.github.repository}/actions/runs/${config.github.runId}))`
      : '';
  const out = [
    ...(o.commit && FULL_SHA.test(o.commit) ? [`<!-- osa-gitops:revert-for ${o.commit} -->`] : []),
    `## Verification of ${inlineCode(o.site)} failed: back to its last verified commit`,
    '',
    `The deploy of ${inlineCode(o.commit ? short(o.commit) : 'the merged commit')}${run} ran its stages, and verify found ${o.verify!.counts.fail} failed check(s) on the live site (below). ` +
      `This pull request puts ${inlineCode(`environments/${o.site}/`)} (the definition and its rendered tree) back to ${inlineCode(verified)}, ` +
      "the last commit whose deploy passed verify on the site's deploy host, on top of the branch as it is now.",
    '',
    'Nothing merges it automatically. Merging it deploys the verified state again, through the same stages and approvals; or close it and fix forward. ' +
      'The next failure of this site updates this pull request; a later deploy that passes verify closes it.',
    '',
    `**Files this revert changes** (${files.length}):`,
    '',
    ...files.slice(0, MAX_LISTED_FILES).map((f) => `- ${inlineCode(f)}`),
    ...(files.length > MAX_LISTED_FILES ? [`- … and ${files.length - MAX_LISTED_FILES} more`] : []),
    '',
  ];
  if (outside.length > 0) {
    out.push(
      `**Not reverted:** ${outside.length} file(s) under ${inlineCode('environments/')} outside any site folder changed since ${inlineCode(short(verified))}; the definition may import them, so the validate check of this pull request shows whether the reverted tree still matches:`,
      '',
      ...outside.slice(0, MAX_LISTED_FILES).map((f) => `- ${inlineCode(f)}`),
      '',
    );
  }
  out.push('## Findings', '', formatVerifyMarkdown(o.verify!));
  return out.join('\n');
}

function summary(results: readonly RevertResult[]): string {
  const out = ['### osa-gitops revert-pr', ''];
  if (results.length === 0) out.push('No site failed verification: no revert pull request.', '');
  else {
    out.push('| site | revert pull request | why |', '| --- | --- | --- |');
    for (const r of results)
      out.push(
        `| ${inlineCode(r.site)} | ${r.number ? `#${r.number} ${r.operation}` : r.operation} | ${escapeMarkdown(r.why)} |`,
      );
    out.push('');
  }
  return out.join('\n');
}

function short(sha: string): string {
  return sha.slice(0, 12);
}
