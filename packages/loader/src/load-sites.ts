import * as path from 'node:path';
import { definitionFile, renderedTreeDir, SITE_NAME, SITE_NAME_MAX } from '@osa-gitops/core';
import { bundleSites, type SiteBundle } from './bundle/bundle-site';
import { locateCore } from './bundle/core-location';
import { mapFrames } from './evaluate/map-location';
import type { EvaluationJob } from './evaluate/protocol';
import { evaluateInWorkers, startEvaluator, type EvaluationOutcome } from './evaluate/run-in-worker';
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
}

/**
 * Load site definitions: bundle each `environments/<site>/environment.ts` with esbuild (imports
 * checked against the definition import policy, suspicious-code warnings promoted to errors),
 * evaluate all bundles in one child process under an OS memory limit with a per-site time
 * budget, each site in its own `vm` context, and return each default export as plain data.
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
  const failed = new Map<string, readonly LoadIssue[]>();
  const bundles = new Map<string, SiteBundle>();

  const toBundle: string[] = [];
  for (const site of unique) {
    const early = precheck(absRoot, site, reader);
    if (early) failed.set(site, [early]);
    else toBundle.push(site);
  }

  const core = locateCore();
  // The evaluator process starts while esbuild bundles (both take a while, on different cores).
  const started = toBundle.length > 0 ? startEvaluator() : undefined;
  let outcomes: Map<string, EvaluationOutcome>;
  try {
    const built = await bundleSites(absRoot, toBundle, reader, core);
    toBundle.forEach((site) => {
      const b = built.get(site)!;
      if (b.ok) bundles.set(site, b.bundle);
      else failed.set(site, b.issues);
    });

    const jobs: EvaluationJob[] = [...bundles.values()].map((b) => ({
      site: b.site,
      code: b.code,
      filename: `osa-gitops-bundle:${b.site}.js`,
    }));
    outcomes = await evaluateInWorkers(jobs, { timeoutMs, ...(started ? { started } : {}) });
  } finally {
    started?.dispose();
  }

  return unique.map((site): LoadResult => {
    const file = definitionFile(site);
    const early = failed.get(site);
    if (early) return { site, file, ok: false, issues: early };
    const outcome = outcomes.get(site)!;
    const issues = outcomeIssues(site, outcome, bundles.get(site)!, absRoot, timeoutMs);
    if (issues.length > 0 || outcome.kind !== 'data') return { site, file, ok: false, issues };
    return { site, file, ok: true, value: outcome.value };
  });
}

/** Refuse names before any path is built from them: a caller may pass `../x` from a command line. */
function precheck(root: string, site: string, reader: SourceReader): LoadIssue | undefined {
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
    const link = findSymlinkSync(root, rel);
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
          `the default export is not plain data: ${outcome.reason}`,
          { file },
          outcome.path,
        ),
      ];
    case 'threw': {
      const where = mapFrames(outcome.frames, bundle.map, bundle.outDir, root) ?? { file };
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
