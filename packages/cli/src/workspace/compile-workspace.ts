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
import { UsageError } from '../usage-error';

/** Shortens (or lengthens) the loader's 10 s budget per definition; a whole number of ms. */
export const LOAD_TIMEOUT_ENV = 'OSA_GITOPS_LOAD_TIMEOUT_MS';
export const LOAD_TIMEOUT_MIN_MS = 100;
export const LOAD_TIMEOUT_MAX_MS = 600_000;

/**
 * The per-definition load budget set by `OSA_GITOPS_LOAD_TIMEOUT_MS`, or `undefined` when it is
 * unset or empty (the loader's default then applies). Anything but a whole number of
 * milliseconds from 100 to 600000 is a UsageError (exit 2), so a typo never silently falls back.
 */
export function loadTimeoutFromEnv(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const raw = env[LOAD_TIMEOUT_ENV];
  if (raw === undefined || raw === '') return undefined;
  const ms = /^[0-9]{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!(ms >= LOAD_TIMEOUT_MIN_MS && ms <= LOAD_TIMEOUT_MAX_MS)) {
    const shown = JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
    throw new UsageError(
      `${LOAD_TIMEOUT_ENV} must be a whole number of milliseconds from ${LOAD_TIMEOUT_MIN_MS} to ${LOAD_TIMEOUT_MAX_MS}, got ${shown}`,
    );
  }
  return ms;
}

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
}

/**
 * Load, validate and render sites. Every site is loaded, because fleet rules (overlapping
 * networks, shared VRRP segments, duplicate VIPs) need all of them; only the requested subset is
 * returned. A requested site that does not exist comes back with a LOAD_FAILED issue from the
 * loader rather than being ignored. Throws a UsageError, before loading anything, when
 * `OSA_GITOPS_LOAD_TIMEOUT_MS` is set but invalid.
 */
export async function compileWorkspace(
  root: string,
  opts: CompileWorkspaceOptions = {},
): Promise<CompiledWorkspace> {
  const timeoutMs = opts.timeoutMs ?? loadTimeoutFromEnv(opts.env ?? process.env);
  const all = discoverSites(root);
  const requested = [...new Set(opts.sites ?? all)].sort();
  const toLoad = [...new Set([...all, ...requested])].sort();
  opts.onProgress?.(0, toLoad.length, 'loading');
  const loaded = await loadSites(root, toLoad, timeoutMs === undefined ? {} : { timeoutMs });

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
