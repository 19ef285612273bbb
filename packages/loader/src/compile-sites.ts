import * as path from 'node:path';
import {
  definitionFile,
  hasErrors,
  sortIssues,
  type Environment,
  type Issue,
  type RenderedTree,
} from '@osa-gitops/core';
import { compileEnvironment } from '@osa-gitops/render';
import { validateEnvironment, validateFleet } from '@osa-gitops/rules';
import { discoverSites } from './discover-sites';
import { locateIssues, withLocations } from './locate/locate-issues';
import { startEvaluator, type StartedEvaluator } from './evaluate/run-in-worker';
import { loadSites, type LoadResult } from './load-sites';
import { findOrphanTrees, orphanTreeIssue } from './orphan-trees';
import { refuseSymlinksSync } from './no-symlinks';
import { createFsSourceReader, DEFINITIONS_DIR, type SourceReader } from './source-reader';

/** Sites compiled between two yields to the event loop (see compileSites). */
const COMPILE_CHUNK = 25;

export interface CompiledSite {
  readonly site: string;
  /** The definition file, relative to the workspace root. */
  readonly file: string;
  /** Load, validation, render and fleet issues of this site, sorted. */
  readonly issues: Issue[];
  readonly environment?: Environment;
  /** Only when the site has no error issue of its own (fleet issues do not remove it). */
  readonly tree?: RenderedTree;
}

export interface CompiledWorkspace {
  /** The requested sites (all by default), sorted. */
  readonly sites: CompiledSite[];
  /**
   * Fleet issues of the requested sites: a conflict is reported on both sites it concerns, so it
   * is here when either of them was requested.
   */
  readonly fleetIssues: Issue[];
  /** No error issue in `sites` or `fleetIssues`. */
  readonly ok: boolean;
  /**
   * Sites that were not requested but have an error (their own or a fleet issue), sorted; empty
   * when every site was requested. Writers (`render`) refuse to write while this is non-empty:
   * nothing is written when any site is invalid.
   */
  readonly invalidElsewhere: string[];
}

export interface CompileSitesOptions {
  /** Sites to return; every discovered site is still loaded for the fleet checks. @default all */
  readonly sites?: readonly string[];
  /**
   * `false`: load and check only the requested sites, without the fleet rules (which compare
   * every site). For per-site Nx targets, whose fleet rules run once in the fleet target; never
   * for anything that writes or deploys. @default true
   */
  readonly fleet?: boolean;
  /** Where definition sources are read. @default an fs reader over `root` */
  readonly reader?: SourceReader;
  /** Evaluation budget per definition, in milliseconds. @default the loader's (10 s) */
  readonly timeoutMs?: number;
  /** Called as work advances (the CLI turns it into a progress line). */
  readonly onProgress?: (done: number, total: number, phase: string) => void;
  /**
   * `false`: validate only, no trees (`validate`, which reports issues and writes nothing; render
   * was ~40% of its time at 1,000 sites). Issues are the same: render adds none. @default true
   */
  readonly render?: boolean;
  /** The loader's bundle cache (LoadSitesOptions.bundleCache). @default on */
  readonly bundleCache?: false | { readonly dir: string };
}

/**
 * The one load → compile → fleet pipeline, shared by the CLI (`compileWorkspace`: validate,
 * render, check, ci, deploy, and the GitHub Action through it) and the Nx plugin (render and sync
 * generators), so they cannot disagree about what is valid.
 *
 * Every site is loaded, because fleet rules (overlapping networks, shared VRRP segments,
 * duplicate VIPs) need all of them; only the requested subset is returned. A requested site that
 * does not exist comes back with a LOAD_FAILED issue rather than being ignored. A folder holding
 * a rendered tree but no definition is a LOAD_FAILED site too, returned when every site is
 * requested or it is named. Fleet issues are in `fleetIssues` only; the site's `issues` are its
 * own. Never throws for a bad definition; throws SymlinkRefusedError when `environments` itself
 * is a symbolic link.
 */
export async function compileSites(root: string, opts: CompileSitesOptions = {}): Promise<CompiledWorkspace> {
  // The evaluator's start (a process, ~35 ms) overlaps finding the sites. loadSites takes it;
  // if anything throws first, it is disposed of here (a no-op once taken).
  const started = startEvaluator();
  try {
    return await compileStarted(root, opts, started);
  } finally {
    started.dispose();
  }
}

async function compileStarted(
  root: string,
  opts: CompileSitesOptions,
  started: StartedEvaluator,
): Promise<CompiledWorkspace> {
  // environments/ as a link would make every site vanish from the reader (a green, empty run).
  refuseSymlinksSync(path.resolve(root), DEFINITIONS_DIR);
  const reader = opts.reader ?? createFsSourceReader(path.resolve(root));
  const all = discoverSites(root, reader);
  // A site whose definition is a link is in `all` (its link is the issue), not an orphan.
  const orphans = new Set(findOrphanTrees(reader).filter((s) => !all.includes(s)));
  const requested = [...new Set(opts.sites ?? [...all, ...orphans])].sort();
  const fleetChecks = opts.fleet ?? true;
  const toLoad = [...new Set(fleetChecks ? [...all, ...requested] : requested)]
    .filter((s) => !orphans.has(s))
    .sort();
  opts.onProgress?.(0, toLoad.length, 'loading');
  const compiled = new Map<string, CompiledSite>();
  for (const site of orphans) {
    compiled.set(site, { site, file: definitionFile(site), issues: [orphanTreeIssue(site)] });
  }
  let done = 0;
  // Each site is validated (and rendered) as soon as the loader hands it over, while later sites are
  // still bundled and evaluated: at fleet scale this overlaps most of validation with loading.
  const compileLoaded = (r: LoadResult): void => {
    opts.onProgress?.(++done, toLoad.length, 'validating');
    if (!r.ok) {
      compiled.set(r.site, { site: r.site, file: r.file, issues: sortIssues(r.issues) });
      return;
    }
    const result =
      opts.render === false
        ? validateEnvironment(r.value, { site: r.site })
        : compileEnvironment(r.value, { site: r.site });
    compiled.set(r.site, {
      site: r.site,
      file: r.file,
      issues: sortIssues(result.issues.map((i) => withFile(i, r.file))),
      ...(result.environment ? { environment: result.environment } : {}),
      ...('tree' in result && result.tree ? { tree: result.tree } : {}),
    });
  };
  // Loaded sites are compiled a few at a time, yielding between chunks: the bundler's plugin
  // callbacks for the next batch run on this thread too, and a whole batch compiled in one go
  // stalled the bundler for as long (bench: 1,000 sites).
  const queue: LoadResult[] = [];
  let running = false;
  let drained: Promise<void> = Promise.resolve();
  let compileError: { readonly err: unknown } | undefined;
  const drain = async (): Promise<void> => {
    running = true;
    try {
      while (queue.length > 0) {
        for (const r of queue.splice(0, COMPILE_CHUNK)) compileLoaded(r);
        // Sites queued while this one waits are taken by this loop, not a second drain.
        if (queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (err) {
      compileError ??= { err };
      queue.length = 0;
    } finally {
      running = false;
    }
  };
  await loadSites(root, toLoad, {
    reader,
    started,
    ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    ...(opts.bundleCache === undefined ? {} : { bundleCache: opts.bundleCache }),
    onLoaded: (batch) => {
      queue.push(...batch);
      if (!running) drained = drain();
    },
  });
  await drained; // nothing arrives after loadSites resolved: the last drain takes every site
  if (compileError !== undefined) throw compileError.err;

  const environments = toLoad.flatMap((s) => {
    const env = compiled.get(s)?.environment;
    return env ? [env] : [];
  });
  const wanted = new Set(requested);
  const fleet = fleetChecks ? validateFleet(environments) : [];
  const fleetIssues = await locateIssues(
    sortIssues(
      fleet
        .filter((i) => i.site === '*' || wanted.has(i.site))
        .map((i) => (i.site === '*' ? i : withFile(i, definitionFile(i.site)))),
    ),
    reader,
  );
  // Line and column in the definition for each issue (the compiler loads only if there are any).
  const sites = await Promise.all(requested.map((s) => withLocations(compiled.get(s)!, reader)));
  const ok = !sites.some((s) => hasErrors(s.issues)) && !hasErrors(fleetIssues);
  const fleetErrors = new Set(fleet.filter((i) => i.severity === 'error').map((i) => i.site));
  const invalidElsewhere = [...compiled.values()] // without fleet checks only requested sites are here
    .filter((c) => !wanted.has(c.site) && (hasErrors(c.issues) || fleetErrors.has(c.site)))
    .map((c) => c.site)
    .sort();
  return { sites, fleetIssues, ok, invalidElsewhere };
}

function withFile(i: Issue, file: string): Issue {
  return i.file === undefined ? { ...i, file } : i;
}
