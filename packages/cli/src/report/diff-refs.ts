import * as fs from 'node:fs';
import * as path from 'node:path';
import { definitionFile } from '@osa-gitops/core';
import { buildReport, type Report, type SiteDeploySettings, type StaleSite } from '@osa-gitops/report';
import { Git } from '@osa-gitops/git';
import { CommittedTrees } from '../git/committed-trees';
import { readCommittedTree } from '../workspace/committed-tree';
import { findStaleSites } from './stale-sites';

export interface DiffRefsOptions {
  /** Deploy settings (runner label, config dir) per site, shown in the plan when known. */
  readonly deploy?: ReadonlyMap<string, SiteDeploySettings>;
  /**
   * Or: a lookup for the changed sites that `deploy` lacks, e.g.
   * `(sites) => readDeploySettings(root, sites)` when `head` is the working tree.
   */
  readonly deploySettings?: (sites: readonly string[]) => Promise<ReadonlyMap<string, SiteDeploySettings>>;
  /** Passed to Git: sees every git command. */
  readonly gitLog?: (command: string) => void;
  /**
   * Sites whose committed tree is stale at head, when the caller already knows them (the Action
   * compiled the sites). Without it, `findStale: true` finds them (see findStaleSites).
   */
  readonly stale?: readonly StaleSite[];
  /** Look for stale sites (compiles the definitions that changed when head is the working tree). */
  readonly findStale?: boolean;
  /** Read for `OSA_GITOPS_LOAD_TIMEOUT_MS` when definitions are compiled. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Label of the working tree as a `head`. */
export const WORKING_TREE = 'working tree';

/**
 * The report between two states of the repository, built from the committed rendered trees (not
 * by rendering again, so the PR plan and the YAML that deploys cannot diverge). `head` omitted
 * means the working tree, as CI checks it out. Only sites whose rendered tree changed are read.
 *
 * A rendered tree with no definition at `head` (`environments/foo/openstack_deploy/` without
 * `environment.ts`) is not a site: it stays in the report's sites but moves from the plan's steps
 * to `skipped` with the reason, so the deploy plan after merge does not fail for the whole push
 * over a folder it cannot compile (`validate`/`check` report the folder as an error).
 */
export async function diffRefs(
  root: string,
  base: string,
  head?: string,
  opts: DiffRefsOptions = {},
): Promise<Report> {
  const repo = Git.at(root, opts.gitLog ? { log: opts.gitLog } : {});
  const git = new CommittedTrees(repo);
  const sites = await git.changedSites(base, head);
  const before = await git.readTreesAtRef(base, sites);
  const after =
    head === undefined
      ? new Map(
          (await Promise.all(sites.map(async (s) => [s, await readCommittedTree(root, s)] as const))).filter(
            ([, t]) => t.size > 0,
          ),
        )
      : await git.readTreesAtRef(head, sites);

  const defined = new Set(
    head === undefined
      ? sites.filter((s) => isFileIn(root, definitionFile(s)))
      : await git.definedSitesAtRef(head, sites),
  );
  const deploy = new Map(opts.deploy ?? []);
  const missing = sites.filter((s) => after.has(s) && defined.has(s) && !deploy.has(s));
  if (opts.deploySettings && missing.length > 0) {
    for (const [site, settings] of await opts.deploySettings(missing)) deploy.set(site, settings);
  }
  const report = buildReport(
    sites.map((site) => ({
      site,
      ...(before.has(site) ? { before: before.get(site)! } : {}),
      ...(after.has(site) ? { after: after.get(site)! } : {}),
      ...(deploy.has(site) ? { deploy: deploy.get(site)! } : {}),
    })),
    { base, head: head ?? WORKING_TREE },
  );
  const stale =
    opts.stale ??
    (opts.findStale ? await findStaleSites(repo, git, base, head, sites, opts.env ?? process.env) : []);
  return skipUndefinedSites(stale.length > 0 ? { ...report, stale } : report, defined);
}

/** Plan steps of sites without a definition at head become `skipped` entries (sorted by site). */
function skipUndefinedSites(report: Report, defined: ReadonlySet<string>): Report {
  const orphans = report.plan.steps.filter((s) => !defined.has(s.site));
  if (orphans.length === 0) return report;
  const skipped = [
    ...report.plan.skipped,
    ...orphans.map((s) => ({
      site: s.site,
      reason: `rendered tree without a definition: delete environments/${s.site}/openstack_deploy or add ${definitionFile(s.site)}; nothing is deployed`,
    })),
  ].sort((a, b) => (a.site < b.site ? -1 : a.site > b.site ? 1 : 0));
  return {
    ...report,
    plan: { ...report.plan, steps: report.plan.steps.filter((s) => defined.has(s.site)), skipped },
  };
}

function isFileIn(root: string, rel: string): boolean {
  try {
    return fs.statSync(path.join(root, rel)).isFile();
  } catch {
    return false; // missing: an explicitly optional probe
  }
}
