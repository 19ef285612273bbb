import {
  compileEnvironment,
  definitionFile,
  hasErrors,
  sortIssues,
  validateFleet,
  type Environment,
  type Issue,
  type RenderedTree,
} from '@osa-gitops/core';
import { discoverSites, loadSites } from '@osa-gitops/loader';

export interface CompiledSite {
  readonly site: string;
  /** The definition file, relative to the workspace root. */
  readonly file: string;
  /** Load, validation and render issues of this site, sorted. */
  readonly issues: Issue[];
  readonly environment?: Environment;
  /** Only when the site has no error issue. */
  readonly tree?: RenderedTree;
}

export interface CompiledWorkspace {
  /** The requested sites (all by default), sorted. */
  readonly sites: CompiledSite[];
  /** Fleet issues that concern a requested site or the whole fleet (`site: '*'`). */
  readonly fleetIssues: Issue[];
  /** No error issue in `sites` or `fleetIssues`. */
  readonly ok: boolean;
}

export interface CompileWorkspaceOptions {
  /** Sites to return; all discovered sites are still loaded for fleet checks. @default all */
  readonly sites?: readonly string[];
  /** Evaluation budget per definition. @default the loader's (10 s) */
  readonly timeoutMs?: number;
  /** Called as work advances (the CLI turns it into a progress line). */
  readonly onProgress?: (done: number, total: number, phase: string) => void;
}

/**
 * Load, validate and render sites. Every site is loaded, because fleet rules (overlapping
 * networks, shared VRRP segments, duplicate VIPs) need all of them; only the requested subset is
 * returned. A requested site that does not exist comes back with a LOAD_FAILED issue from the
 * loader rather than being ignored.
 */
export async function compileWorkspace(
  root: string,
  opts: CompileWorkspaceOptions = {},
): Promise<CompiledWorkspace> {
  const all = discoverSites(root);
  const requested = [...new Set(opts.sites ?? all)].sort();
  const toLoad = [...new Set([...all, ...requested])].sort();
  opts.onProgress?.(0, toLoad.length, 'loading');
  const loaded = await loadSites(
    root,
    toLoad,
    opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs },
  );

  const compiled = new Map<string, CompiledSite>();
  loaded.forEach((r, i) => {
    opts.onProgress?.(i + 1, loaded.length, 'validating');
    if (!r.ok) {
      compiled.set(r.site, { site: r.site, file: r.file, issues: sortIssues(r.issues) });
      return;
    }
    const result = compileEnvironment(r.value, { site: r.site });
    compiled.set(r.site, {
      site: r.site,
      file: r.file,
      issues: sortIssues(result.issues.map((i) => withFile(i, r.file))),
      ...(result.environment ? { environment: result.environment } : {}),
      ...(result.tree ? { tree: result.tree } : {}),
    });
  });

  const environments = [...compiled.values()].flatMap((c) => (c.environment ? [c.environment] : []));
  const wanted = new Set(requested);
  const fleetIssues = sortIssues(
    validateFleet(environments)
      .filter((i) => i.site === '*' || wanted.has(i.site))
      .map((i) => (i.site === '*' ? i : withFile(i, definitionFile(i.site)))),
  );
  const sites = requested.map((s) => compiled.get(s)!);
  const ok = !sites.some((s) => hasErrors(s.issues)) && !hasErrors(fleetIssues);
  return { sites, fleetIssues, ok };
}

function withFile(i: Issue, file: string): Issue {
  return i.file === undefined ? { ...i, file } : i;
}
