import {
  compileSites,
  LOAD_TIMEOUT_ENV,
  LOAD_TIMEOUT_MAX_MS,
  LOAD_TIMEOUT_MIN_MS,
  loadTimeoutSetting,
  SymlinkRefusedError,
  type CompiledSite,
  type CompiledWorkspace,
} from '@osa-gitops/loader';
import { SITE_NAME, sortIssues, type Issue } from '@osa-gitops/core';
import { UsageError } from '../usage-error';
import { findCommittedSymlinks } from './committed-symlinks';

export { LOAD_TIMEOUT_ENV, LOAD_TIMEOUT_MAX_MS, LOAD_TIMEOUT_MIN_MS };
export type { CompiledSite, CompiledWorkspace };

/**
 * The per-definition load budget set by `OSA_GITOPS_LOAD_TIMEOUT_MS`, or `undefined` when it is
 * unset or empty (the loader's default then applies). Anything but a whole number of
 * milliseconds from 100 to 600000 is a UsageError (exit 2), so a typo never silently falls back.
 */
export function loadTimeoutFromEnv(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const setting = loadTimeoutSetting(env);
  if (!setting.ok) throw new UsageError(setting.message);
  return setting.timeoutMs;
}

export interface CompileWorkspaceOptions {
  /** Sites to return; all discovered sites are still loaded for fleet checks. @default all */
  readonly sites?: readonly string[];
  /**
   * Evaluation budget per definition. @default `OSA_GITOPS_LOAD_TIMEOUT_MS` from `env` when set
   * (see loadTimeoutFromEnv), else the loader's (10 s)
   */
  readonly timeoutMs?: number;
  /**
   * Where `OSA_GITOPS_LOAD_TIMEOUT_MS` is read when `timeoutMs` is not given. Commands pass their
   * `CliIo.env`. @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Called as work advances (the CLI turns it into a progress line). */
  readonly onProgress?: (done: number, total: number, phase: string) => void;
  /** `false`: only the requested sites, no fleet rules (`validate --no-fleet`). @default true */
  readonly fleet?: boolean;
  /** `false`: validate only, no trees (the loader's `compileSites` option). @default true */
  readonly render?: boolean;
}

/**
 * Load, validate and render sites from the file system: the loader's `compileSites` (the
 * pipeline the Nx plugin shares) plus the CLI's reading of `OSA_GITOPS_LOAD_TIMEOUT_MS`. Kept as
 * the CLI library's entry point, which the GitHub Action calls. A fleet conflict is in
 * `fleetIssues` when either site it concerns is requested; a folder with a rendered tree but no
 * definition is an invalid site. A symbolic link git tracks under environments/ is a LOAD_FAILED
 * error (withCommittedSymlinks). Throws a UsageError, before loading anything, when
 * `OSA_GITOPS_LOAD_TIMEOUT_MS` is set but invalid, and SymlinkRefusedError when `environments`
 * itself is a link.
 */
export async function compileWorkspace(
  root: string,
  opts: CompileWorkspaceOptions = {},
): Promise<CompiledWorkspace> {
  const timeoutMs = opts.timeoutMs ?? loadTimeoutFromEnv(opts.env ?? process.env);
  const [ws, links] = await Promise.all([
    compileSites(root, {
      ...(opts.sites === undefined ? {} : { sites: opts.sites }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }),
      ...(opts.fleet === undefined ? {} : { fleet: opts.fleet }),
      ...(opts.render === undefined ? {} : { render: opts.render }),
    }),
    findCommittedSymlinks(root),
  ]);
  return withCommittedSymlinks(ws, links);
}

/**
 * Each symlink git tracks under environments/ as a LOAD_FAILED error: on its site (which then
 * has no tree to write or deploy), or on `*` when it is not inside a site folder
 * (`environments/_shared/x`, `environments/link`). A link in a site that was not requested makes
 * that site invalid elsewhere, so writers still refuse to write.
 */
function withCommittedSymlinks(ws: CompiledWorkspace, links: readonly string[]): CompiledWorkspace {
  if (links.length === 0) return ws;
  const requested = new Set(ws.sites.map((s) => s.site));
  const issueFor = (link: string): Issue => {
    const folder = link.split('/')[1] ?? '';
    const site = SITE_NAME.test(folder) && link.split('/').length > 2 ? folder : '*';
    return {
      code: 'LOAD_FAILED',
      severity: 'error',
      site,
      path: [],
      message: `${new SymlinkRefusedError(link).message} (git tracks it as a symbolic link, mode 120000)`,
      file: link,
    };
  };
  const issues = links.map(issueFor);
  const sites = ws.sites.map((s): CompiledSite => {
    const own = issues.filter((i) => i.site === s.site);
    if (own.length === 0) return s;
    const { tree: _dropped, ...rest } = s;
    return { ...rest, issues: sortIssues([...s.issues, ...own]) };
  });
  const fleetIssues = sortIssues([...ws.fleetIssues, ...issues.filter((i) => i.site === '*')]);
  const elsewhere = issues.map((i) => i.site).filter((s) => s !== '*' && !requested.has(s));
  return {
    sites,
    fleetIssues,
    ok: false,
    invalidElsewhere: [...new Set([...ws.invalidElsewhere, ...elsewhere])].sort(),
  };
}
