import * as core from '@actions/core';
import { loadCliLibrary } from '../cli-library.js';
import type { ActionConfig } from '../inputs.js';
import { writeSummary } from '../summary.js';
import type { RunnerEntry } from './deploy-plan.js';

/**
 * First job of drift.yml: the sites (`sites`, default all) and the deploy runner each one's
 * definition names, as a job matrix. It makes no GitHub API call (the job's token only reads the
 * checkout) and reads no environment: drift deploys nothing and waits on no approval, so a
 * missing `<site>` or `<site>-host-networking` environment is deploy-plan's business, never a
 * reason to skip a drift check. A site whose definition does not compile is left out, with a
 * warning naming it; the others are still checked.
 */
export async function runRunnerPlan(config: ActionConfig): Promise<RunnerEntry[]> {
  const cli = await loadCliLibrary();
  const root = config.workingDirectory;
  const defined = cli.discoverSites(root);
  const wanted = !config.sites || config.sites === 'all' ? defined : [...config.sites];
  const unknown = wanted.filter((s) => !defined.includes(s));
  if (unknown.length > 0) core.warning(`Not defined on this branch: ${unknown.join(', ')}.`);
  const sites = wanted.filter((s) => defined.includes(s));
  const entries: RunnerEntry[] = [];
  if (sites.length > 0) {
    const compiled = await cli.compileWorkspace(root, { sites });
    for (const s of compiled.sites) {
      if (s.environment) entries.push({ site: s.site, runner: s.environment.deploy.runnerLabel });
      else core.warning(`${s.site} does not compile on this branch: no drift check for it.`);
    }
  }
  core.setOutput('matrix', JSON.stringify({ include: entries }));
  core.setOutput('has-sites', String(entries.length > 0));
  core.setOutput('sites', JSON.stringify(entries.map((e) => e.site)));
  await writeSummary(
    entries.length
      ? `### osa-gitops sites and runners\n\n| site | runner |\n| --- | --- |\n${entries.map((e) => `| \`${e.site}\` | \`${e.runner}\` |`).join('\n')}\n`
      : '### osa-gitops sites and runners\n\nNo site to check.\n',
  );
  return entries;
}
