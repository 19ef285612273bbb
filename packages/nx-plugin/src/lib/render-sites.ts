import type { Tree } from '@nx/devkit';
import {
  compileEnvironment,
  sortIssues,
  validateFleet,
  type Environment,
  type Issue,
  type RenderedTree,
} from '@osa-gitops/core';
import { discoverSites, loadSites } from '@osa-gitops/loader';
import { createTreeSourceReader } from './tree-source-reader';

export interface RenderSitesOptions {
  /** Only this site's tree is returned; every site is still loaded for the fleet checks. */
  readonly site?: string;
  /** Evaluation budget per site (loader). @default 10_000 */
  readonly timeoutMs?: number;
}

export interface RenderedSites {
  /** The sites whose trees were asked for, sorted. */
  readonly sites: readonly string[];
  /** Load, site and fleet issues of every site (warnings included), sorted. */
  readonly issues: readonly Issue[];
  /** Rendered trees of `sites`; empty when any error exists anywhere. */
  readonly trees: ReadonlyMap<string, RenderedTree>;
}

/**
 * Load every site through the Tree, compile each, and run the fleet checks across all of them.
 *
 * All sites are loaded even for a single-site render: fleet rules (overlapping networks, shared
 * VIPs, router ids) compare sites, and a site that does not load leaves those checks blind, so
 * an error anywhere blocks rendering.
 */
export async function renderSites(tree: Tree, opts: RenderSitesOptions = {}): Promise<RenderedSites> {
  const reader = createTreeSourceReader(tree);
  const all = discoverSites(tree.root, reader);
  if (opts.site !== undefined && !all.includes(opts.site)) {
    throw new Error(
      `There is no site "${opts.site}" (no environments/${opts.site}/environment.ts). Sites: ${all.join(', ') || '(none)'}`,
    );
  }
  const loaded = await loadSites(tree.root, all, {
    reader,
    ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
  });

  const issues: Issue[] = [];
  const environments: Environment[] = [];
  const compiled = new Map<string, RenderedTree>();
  for (const result of loaded) {
    if (!result.ok) {
      issues.push(...result.issues);
      continue;
    }
    const out = compileEnvironment(result.value, { site: result.site });
    issues.push(...out.issues.map((i) => (i.file ? i : { ...i, file: result.file })));
    if (out.environment) environments.push(out.environment);
    if (out.tree) compiled.set(result.site, out.tree);
  }
  issues.push(...validateFleet(environments));

  const sites = opts.site === undefined ? all : [opts.site];
  const blocked = issues.some((i) => i.severity === 'error');
  const trees = new Map<string, RenderedTree>();
  if (!blocked) for (const site of sites) trees.set(site, compiled.get(site)!);
  return { sites, issues: sortIssues(issues), trees };
}
