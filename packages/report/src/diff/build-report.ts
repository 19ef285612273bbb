import type { RenderedTree } from '@osa-gitops/core';
import { diffTrees } from './diff-trees';
import { changedHostChains } from './host-chains';
import { worstDisruption } from './disruption';
import { networkChanges } from './network-changes';
import { buildPlan } from './plan';
import { readPublicPath } from './public-path';
import { cachingYamlReader, type YamlReader } from './yaml-reader';
import type { Report, SiteDeploySettings, SiteReport, TreeDiff } from './types';

/** One site's two sides; a missing side means the site did not exist there. */
export interface SiteTrees {
  readonly site: string;
  readonly before?: RenderedTree;
  readonly after?: RenderedTree;
  /** From the site's (after) definition, when the caller loaded it. */
  readonly deploy?: SiteDeploySettings;
}

export interface BuildReportOptions {
  /** What "before" is, for people (`origin/main`, `nothing (first deploy)`). */
  readonly base: string;
  /** What "after" is (`HEAD`, `working tree`). */
  readonly head: string;
}

/**
 * Diff every site, classify its network changes and plan the deploys. Sites whose trees are equal
 * are left out; the rest come out sorted by name.
 */
function hostChainsOf(after: RenderedTree | undefined, diff: TreeDiff, load: YamlReader) {
  const chains = after === undefined ? [] : changedHostChains(after, diff, load);
  return chains.length > 0 ? { hostChains: chains } : {};
}

export function buildReport(sites: readonly SiteTrees[], options: BuildReportOptions): Report {
  const reports: SiteReport[] = [];
  const deploy = new Map<string, SiteDeploySettings | undefined>();
  for (const s of [...sites].sort((x, y) => (x.site < y.site ? -1 : x.site > y.site ? 1 : 0))) {
    const diff = diffTrees(s.before, s.after);
    if (diff.differenceCount === 0 && (s.before === undefined) === (s.after === undefined)) continue;
    // One parse per file text for both the change list and the diagram (parsing dominates).
    const load = cachingYamlReader();
    const changes = networkChanges(s.site, s.before, s.after, load);
    deploy.set(s.site, s.deploy);
    reports.push({
      site: s.site,
      status: s.before === undefined ? 'added' : s.after === undefined ? 'removed' : 'changed',
      disruption: worstDisruption(changes.map((c) => c.disruption)),
      changes,
      diff,
      ...(s.after !== undefined ? { publicPath: readPublicPath(s.after, load) } : {}),
      ...hostChainsOf(s.after, diff, load),
    });
  }
  const trees = new Map(sites.map((s) => [s.site, s]));
  const plan = buildPlan(
    reports.map((r) => ({
      site: r.site,
      changes: r.changes,
      ...(deploy.get(r.site) ? { deploy: deploy.get(r.site)! } : {}),
      before: trees.get(r.site)?.before,
      after: trees.get(r.site)?.after,
    })),
  );
  return { base: options.base, head: options.head, sites: reports, plan };
}
