import type { Tree } from '@nx/devkit';
import type { Issue, RenderedTree } from '@osa-gitops/core';
import { compileSites, discoverSites, loadTimeoutSetting } from '@osa-gitops/loader';
import { createTreeSourceReader } from './tree-source-reader';
import { GeneratorFailure } from './generator-failure';

export interface RenderSitesOptions {
  /** Only this site's tree and issues are returned; every site is still loaded for the fleet checks. */
  readonly site?: string;
  /**
   * Evaluation budget per site (loader). @default `OSA_GITOPS_LOAD_TIMEOUT_MS` from the
   * environment when set (as the CLI reads it), else 10_000
   */
  readonly timeoutMs?: number;
}

export interface RenderedSites {
  /** The sites whose trees were asked for, sorted. */
  readonly sites: readonly string[];
  /**
   * Load, site and fleet issues of `sites` (warnings included), in the CLI's order: each site's
   * own, then the fleet's.
   */
  readonly issues: readonly Issue[];
  /** Sites not asked for that have an error (theirs or a fleet one): nothing may be written. */
  readonly invalidElsewhere: readonly string[];
  /** Rendered trees of `sites`; empty when any error exists anywhere. */
  readonly trees: ReadonlyMap<string, RenderedTree>;
}

/**
 * Load every site through the Tree, compile each and run the fleet checks: the loader's
 * `compileSites`, the same pipeline and the same request as the CLI (`osa-gitops render [site]`),
 * so `nx g render` and the CLI report the same issues, in the same order, at the same lines.
 *
 * An error anywhere blocks rendering, in a site not asked for too (`invalidElsewhere`): fleet
 * rules compare sites, and a site that does not load leaves those checks blind.
 */
export async function renderSites(tree: Tree, opts: RenderSitesOptions = {}): Promise<RenderedSites> {
  const reader = createTreeSourceReader(tree);
  const all = discoverSites(tree.root, reader);
  if (opts.site !== undefined && !all.includes(opts.site)) {
    throw new GeneratorFailure(
      `There is no site "${opts.site}" (no environments/${opts.site}/environment.ts). Sites: ${all.join(', ') || '(none)'}`,
    );
  }
  const timeoutMs = opts.timeoutMs ?? timeoutFromEnv();
  const ws = await compileSites(tree.root, {
    reader,
    ...(opts.site === undefined ? {} : { sites: [opts.site] }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  const issues = [...ws.sites.flatMap((s) => s.issues), ...ws.fleetIssues];
  const sites = opts.site === undefined ? all : [opts.site];
  const trees = new Map<string, RenderedTree>();
  if (ws.ok && ws.invalidElsewhere.length === 0) {
    const bySite = new Map(ws.sites.map((s) => [s.site, s]));
    for (const site of sites) trees.set(site, bySite.get(site)!.tree!);
  }
  return { sites, issues, invalidElsewhere: ws.invalidElsewhere, trees };
}

function timeoutFromEnv(): number | undefined {
  const setting = loadTimeoutSetting(process.env);
  if (!setting.ok) throw new GeneratorFailure(setting.message);
  return setting.timeoutMs;
}
