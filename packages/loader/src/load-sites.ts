import * as path from 'node:path';
import { definitionFile, renderedTreeDir, SITE_NAME, SITE_NAME_MAX } from '@osa-gitops/core';
import { bundleSites, type SiteBundle } from './bundle/bundle-site';
import { createBundleCache, type BundleCache } from './bundle/bundle-cache';
import { locateCore, type CoreLocation } from './bundle/core-location';
import { createPolicyCache, type PolicyCache } from './bundle/import-policy-plugin';
import { mapFrames } from './evaluate/map-location';
import type { EvaluationJob } from './evaluate/protocol';
import {
  evaluateInWorkers,
  startEvaluator,
  type EvaluationOutcome,
  type StartedEvaluator,
} from './evaluate/run-in-worker';
import { loadIssue, type LoadIssue } from './load-issue';
import { findSymlinkSync, SymlinkRefusedError } from './no-symlinks';
import { createFsSourceReader, type SourceReader } from './source-reader';

export type LoadResult =
  | { readonly site: string; readonly file: string; readonly ok: true; readonly value: unknown }
  | {
      readonly site: string;
      readonly file: string;
      readonly ok: false;
      readonly issues: readonly LoadIssue[];
    };

export interface LoadSitesOptions {
  /** Where definition sources are read. @default an fs reader over `root` */
  readonly reader?: SourceReader;
  /** Evaluation budget per site, in milliseconds. @default 10_000 */
  readonly timeoutMs?: number;
  /**
   * Called with results as soon as they are final, before `loadSites` resolves: each evaluated
   * site on its own as the evaluator finishes it, the sites that failed before evaluation (or
   * threw) a few at a time; in no particular order. A caller validates them while later sites are
   * still bundled and evaluated. The returned list still holds every result.
   */
  readonly onLoaded?: (results: readonly LoadResult[]) => void;
  /** Fewest sites per batch (`batchesOf`). @default MIN_BATCH (tests use small ones) */
  readonly batchMinSites?: number;
  /**
   * Bundles of unchanged definitions kept between runs (bundle-cache.ts); `false` bundles every
   * site. @default on, in `node_modules/.cache/osa-gitops-bundles/`, unless the environment sets
   * `OSA_GITOPS_NO_CACHE` (every cache) or `OSA_GITOPS_NO_BUNDLE_CACHE` (this one)
   */
  readonly bundleCache?: false | { readonly dir: string };
  /**
   * An evaluator the caller started earlier (`startEvaluator`), so its start overlaps the caller's
   * own work: used for the first batch, disposed of otherwise. loadSites owns it from the call on.
   */
  readonly started?: StartedEvaluator;
  /** Filled in when given: how many sites were bundled, and how many bundles came from the cache. */
  readonly stats?: { bundled: number; reused: number };
}

/**
 * Sites per batch (see `batchesOf`). Every batch is one esbuild build and one evaluator process
 * (~40 ms of CPU to start, overlapped), so below a few hundred sites one batch is fastest. From
 * 400 sites two batches let the first be evaluated while the second is bundled, and the two
 * evaluate side by side when their bundles come from the cache; results are validated as each
 * site is evaluated. Measured at 1,000 sites (2 cores): 2, 4 and 5 batches within noise without
 * the bundle cache (1.87–1.93 s), 2 batches fastest with it (1.10 s against 1.17–1.26 s).
 */
export const MIN_BATCH = 200;
export const MAX_BATCHES = 2;
/** Evaluator processes alive at once during a load (memory: ADR 0007, ADR 0013). */
export const MAX_EVALUATORS = 2;

/** `sites` in order, cut into at most MAX_BATCHES batches of at least `min` sites (one when fewer). */
export function batchesOf<T>(sites: readonly T[], min = MIN_BATCH): T[][] {
  if (sites.length === 0) return [];
  const count = Math.max(1, Math.min(MAX_BATCHES, Math.floor(sites.length / Math.max(1, min))));
  const size = Math.ceil(sites.length / count);
  const out: T[][] = [];
  for (let i = 0; i < sites.length; i += size) out.push(sites.slice(i, i + size));
  return out;
}

/**
 * Load site definitions: bundle each `environments/<site>/environment.ts` with esbuild (imports
 * checked against the definition import policy, suspicious-code warnings promoted to errors),
 * evaluate the bundles in a child process under an OS memory limit with a per-site time budget,
 * each site in its own `vm` context, and return each default export as plain data.
 *
 * Many sites are loaded as a pipeline of batches (`batchesOf`): while batch k is evaluated in its
 * own process (each site handed to `onLoaded` as it is done), batch k+1 is bundled. Each batch keeps every guarantee
 * of a single load: a site's result never depends on which batch it was in (esbuild bisects a
 * failed build down to the bad site; an evaluator crash is blamed on a site only when proven).
 *
 * Never throws for a bad definition: every problem is an issue on that site's result
 * (`NAME_INVALID`, `LOAD_FAILED`, `LOAD_FORBIDDEN_IMPORT`, `LOAD_TIMEOUT`, `LOAD_NOT_DATA`,
 * `SITE_NAME_MISMATCH`). Results come in the order of `sites` (duplicates removed). The value is
 * not validated: pass it to core's `validateEnvironment`/`compileEnvironment`.
 */
export async function loadSites(
  root: string,
  sites: readonly string[],
  opts: LoadSitesOptions = {},
): Promise<LoadResult[]> {
  const absRoot = path.resolve(root);
  const reader = opts.reader ?? createFsSourceReader(absRoot);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const unique = [...new Set(sites)];
  const results = new Map<string, LoadResult>();
  let failure: { readonly err: unknown } | undefined;
  // Called from the evaluator's message handler too: a caller's exception is kept and rethrown
  // once the load is done, never thrown into the evaluation machinery.
  const deliver = (batch: readonly LoadResult[]): void => {
    for (const r of batch) results.set(r.site, r);
    if (batch.length === 0 || opts.onLoaded === undefined) return;
    try {
      opts.onLoaded(batch);
    } catch (err) {
      failure ??= { err };
    }
  };

  // The first evaluator starts now, while the sites are checked and bundled: a process start
  // (~50 ms) is otherwise on the path of every load. Disposed of when nothing is left to evaluate.
  let prestarted: StartedEvaluator | undefined =
    opts.started ?? (unique.length > 0 ? startEvaluator() : undefined);
  const evaluations: Promise<void>[] = [];
  try {
    const policy = createPolicyCache(absRoot);
    const toBundle: string[] = [];
    const early: LoadResult[] = [];
    for (const site of unique) {
      const refused = precheck(absRoot, site, reader, policy.realDirs);
      if (refused) early.push({ site, file: definitionFile(site), ok: false, issues: [refused] });
      else toBundle.push(site);
    }
    deliver(early);

    const core = locateCore();
    const cache =
      opts.bundleCache === false ||
      (opts.bundleCache === undefined &&
        (process.env['OSA_GITOPS_NO_CACHE'] || process.env['OSA_GITOPS_NO_BUNDLE_CACHE']))
        ? undefined
        : createBundleCache({
            root: absRoot,
            reader,
            core,
            policy,
            ...(opts.bundleCache ? { dir: opts.bundleCache.dir } : {}),
          });
    // Bundling is sequential (one esbuild service); each batch's evaluation starts when its bundle
    // is ready and runs alongside the next bundle. The evaluator of a batch starts while that batch
    // is bundled (both take a while, on different cores).
    for (const batch of batchesOf(toBundle, opts.batchMinSites)) {
      // At most two evaluators alive at once (each may use ADR 0007's 1 GiB): the batch being
      // evaluated and the one being bundled.
      if (evaluations.length >= MAX_EVALUATORS) await evaluations[evaluations.length - MAX_EVALUATORS];
      const started = prestarted ?? startEvaluator();
      prestarted = undefined;
      let bundled: Map<string, SiteBundle>;
      let failed: LoadResult[];
      try {
        ({ bundled, failed } = await bundleBatch(absRoot, batch, reader, core, policy, cache, opts.stats));
      } catch (err) {
        started.dispose();
        throw err;
      }
      deliver(failed);
      // Handled here, not only by the Promise.all below: a rejection while the next batch is still
      // being bundled would otherwise be an unhandled rejection, which ends Node.
      evaluations.push(
        evaluateBatch(bundled, started, timeoutMs, { root: absRoot, reader, core, policy }, deliver).catch(
          (err: unknown) => {
            failure ??= { err };
          },
        ),
      );
    }
  } finally {
    // Every site failed its precheck, or something threw: no evaluator may be left waiting.
    prestarted?.dispose();
  }
  await Promise.all(evaluations);
  if (failure !== undefined) throw failure.err;
  return unique.map((site) => results.get(site)!);
}

async function bundleBatch(
  root: string,
  batch: readonly string[],
  reader: SourceReader,
  core: CoreLocation,
  policy: PolicyCache,
  cache: BundleCache | undefined,
  stats: { bundled: number; reused: number } | undefined,
): Promise<{ bundled: Map<string, SiteBundle>; failed: LoadResult[] }> {
  const counted = stats === undefined || cache === undefined ? cache : countingCache(cache, stats);
  const built = await bundleSites(root, batch, reader, core, {
    policy,
    ...(counted === undefined ? {} : { cache: counted }),
  });
  if (stats !== undefined && cache === undefined) stats.bundled += batch.length;
  const bundled = new Map<string, SiteBundle>();
  const failed: LoadResult[] = [];
  for (const site of batch) {
    const b = built.get(site)!;
    if (b.ok) bundled.set(site, b.bundle);
    else failed.push({ site, file: definitionFile(site), ok: false, issues: b.issues });
  }
  return { bundled, failed };
}

interface Sources {
  readonly root: string;
  readonly reader: SourceReader;
  readonly core: CoreLocation;
  readonly policy: PolicyCache;
}

/**
 * Evaluate one batch, handing each site's result to `deliver` as soon as its outcome is final
 * (the caller validates it while the evaluator runs the next sites). Sites whose evaluation threw
 * are handed over at the end, once their bundles are rebuilt with source maps.
 */
async function evaluateBatch(
  bundles: ReadonlyMap<string, SiteBundle>,
  started: StartedEvaluator,
  timeoutMs: number,
  sources: Sources,
  deliver: (results: readonly LoadResult[]) => void,
): Promise<void> {
  const { root } = sources;
  const jobs: EvaluationJob[] = [...bundles.values()].map((b) => ({
    site: b.site,
    code: b.code,
    filename: `osa-gitops-bundle:${b.site}.js`,
  }));
  const result = (bundle: SiteBundle, outcome: EvaluationOutcome): LoadResult => {
    const { site } = bundle;
    const file = definitionFile(site);
    const issues = outcomeIssues(site, outcome, bundle, root, timeoutMs);
    if (issues.length > 0 || outcome.kind !== 'data') return { site, file, ok: false, issues };
    return { site, file, ok: true, value: outcome.value };
  };
  let outcomes: Map<string, EvaluationOutcome>;
  try {
    outcomes = await evaluateInWorkers(jobs, {
      timeoutMs,
      started,
      onOutcome: (site, outcome) => {
        if (outcome.kind !== 'threw') deliver([result(bundles.get(site)!, outcome)]);
      },
    });
  } finally {
    started.dispose();
  }
  const mapped = await withSourceMaps(bundles, outcomes, sources);
  deliver(
    [...bundles.values()]
      .filter((b) => outcomes.get(b.site)?.kind === 'threw')
      .map((b) => result(mapped.get(b.site) ?? b, outcomes.get(b.site)!)),
  );
}

/** `cache`, counting its hits and the sites it had to let the bundler build (LoadSitesOptions.stats). */
function countingCache(cache: BundleCache, stats: { bundled: number; reused: number }): BundleCache {
  return {
    lookup(site, entry) {
      const code = cache.lookup(site, entry);
      if (code === undefined) stats.bundled++;
      else stats.reused++;
      return code;
    },
    store: (...args) => cache.store(...args),
  };
}

/**
 * The bundles of the sites whose evaluation threw, built again with source maps so the error is
 * placed at its line in the `.ts` source. A rebuilt bundle is used only when its code is the very
 * code that ran (it is, for the same sources; a file edited in between leaves the error without a
 * line rather than at a wrong one).
 */
async function withSourceMaps(
  bundles: ReadonlyMap<string, SiteBundle>,
  outcomes: ReadonlyMap<string, EvaluationOutcome>,
  { root, reader, core, policy }: Sources,
): Promise<Map<string, SiteBundle>> {
  const threw = [...bundles.keys()].filter((site) => outcomes.get(site)?.kind === 'threw');
  const out = new Map<string, SiteBundle>();
  if (threw.length === 0) return out;
  const rebuilt = await bundleSites(root, threw, reader, core, { policy, sourcemap: true });
  for (const site of threw) {
    const again = rebuilt.get(site);
    if (again?.ok && again.bundle.code === bundles.get(site)!.code) out.set(site, again.bundle);
  }
  return out;
}

/** Refuse names before any path is built from them: a caller may pass `../x` from a command line. */
function precheck(
  root: string,
  site: string,
  reader: SourceReader,
  realDirs: Set<string>,
): LoadIssue | undefined {
  const file = definitionFile(site);
  if (!SITE_NAME.test(site) || site.length > SITE_NAME_MAX) {
    return loadIssue(
      'NAME_INVALID',
      site,
      `site folder "${site}" is not a valid site name (lowercase kebab-case, at most ${SITE_NAME_MAX} characters)`,
      { file: `environments/${site}` },
    );
  }
  // A link as the site folder, the definition or the rendered tree folder is this site's error, so
  // validate and ci fail on it (the CLI's tree reader and writer refuse links anywhere below).
  for (const rel of [file, renderedTreeDir(site)]) {
    const link = findSymlinkSync(root, rel, realDirs);
    if (link !== undefined)
      return loadIssue('LOAD_FAILED', site, new SymlinkRefusedError(link).message, { file: link });
  }
  if (!reader.isFile(file)) return loadIssue('LOAD_FAILED', site, `there is no ${file}`, { file });
  return undefined;
}

function outcomeIssues(
  site: string,
  outcome: EvaluationOutcome,
  bundle: SiteBundle,
  root: string,
  timeoutMs: number,
): LoadIssue[] {
  const file = definitionFile(site);
  switch (outcome.kind) {
    case 'data':
      return nameMismatch(site, outcome.value);
    case 'not-data':
      return [
        loadIssue(
          'LOAD_NOT_DATA',
          site,
          outcome.tooLarge
            ? `the default export is over the loader's limits: ${outcome.reason}`
            : `the default export is not plain data: ${outcome.reason}`,
          { file },
          outcome.path,
        ),
      ];
    case 'threw': {
      const where = (bundle.map === undefined
        ? undefined
        : mapFrames(outcome.frames, bundle.map, bundle.outDir, root)) ?? { file };
      return outcome.forbidden
        ? [loadIssue('LOAD_FORBIDDEN_IMPORT', site, outcome.text.replace(/^Error: /, ''), where)]
        : [loadIssue('LOAD_FAILED', site, `evaluating the definition threw ${outcome.text}`, where)];
    }
    case 'timeout':
      return [
        loadIssue(
          'LOAD_TIMEOUT',
          site,
          `evaluation did not finish within ${timeoutMs} ms (an endless loop?)`,
          { file },
        ),
      ];
    case 'crashed':
      return [loadIssue('LOAD_FAILED', site, outcome.reason, { file })];
  }
}

function nameMismatch(site: string, value: unknown): LoadIssue[] {
  if (typeof value !== 'object' || value === null) return [];
  const name = (value as { name?: unknown }).name;
  if (typeof name !== 'string' || name === site) return [];
  return [
    loadIssue(
      'SITE_NAME_MISMATCH',
      site,
      `name ${JSON.stringify(name)} differs from its folder environments/${site}/ (rename one of them)`,
      { file: definitionFile(site) },
      ['name'],
    ),
  ];
}
