import * as path from 'node:path';
import type * as esbuild from 'esbuild';
import { esbuildApi } from './esbuild-api';
import { definitionFile } from '@osa-gitops/core';
import { loadIssue, type LoadIssue } from '../load-issue';
import type { SourceReader } from '../source-reader';
import type { BundleCache } from './bundle-cache';
import type { CoreLocation } from './core-location';
import {
  createPolicyCache,
  FORBIDDEN_IMPORT,
  importPolicyPlugin,
  type PolicyCache,
} from './import-policy-plugin';

export interface SiteBundle {
  readonly site: string;
  /** CommonJS text; `module.exports.default` is the definition. */
  readonly code: string;
  /**
   * The esbuild source map (JSON text; sources relative to `outDir`), only when asked for
   * (`BundleOptions.sourcemap`): the loader needs one only for a site whose evaluation threw.
   */
  readonly map?: string;
  /** Where the bundle would live; only used to resolve the map's source paths. */
  readonly outDir: string;
}

/**
 * esbuild warnings that mean a definition does not do what its text says. TypeScript refuses
 * several of them outright (TS1117 duplicate keys, TS2367 impossible comparisons), but the loader
 * only strips types, so they are promoted to errors: LOAD_FAILED at file:line:column. (Assigning
 * to a constant or an import, and importing a name that is not exported, are esbuild errors
 * already.) Other warnings stay warnings and are ignored, e.g. a computed `require`, which the
 * worker refuses at run time. esbuild does not reject an unknown id here: `bundle-site.spec.ts`
 * triggers each one.
 */
export const PROMOTED_WARNINGS: readonly string[] = [
  'duplicate-object-key', // { a: 1, a: 2 } loads 2; also in imported .json files
  'duplicate-class-member', // the later member replaces the earlier one
  'duplicate-case', // the second `case 1:` never runs
  'equals-nan', // x === NaN is always false
  'equals-negative-zero', // x === -0 also matches 0
  'equals-new-object', // x === [] is always false
  'impossible-typeof', // typeof x === 'nul' is always false
  'suspicious-boolean-not', // !a in b negates a, not the test
  'suspicious-nullish-coalescing', // the right side of ?? is dead
  'semicolon-after-return', // `return` + newline returns undefined
  'commonjs-variable-in-esm', // module.exports = … replaces the default export a reviewer reads
  'direct-eval', // code in a string, run against names the bundler may have renamed
  'empty-import-meta', // import.meta.* is undefined in the loaded bundle
];

const LOG_OVERRIDE: Record<string, esbuild.LogLevel> = Object.fromEntries(
  PROMOTED_WARNINGS.map((id) => [id, 'error']),
);

export type BundleResult =
  | { readonly ok: true; readonly bundle: SiteBundle }
  | { readonly ok: false; readonly issues: readonly LoadIssue[] };

/**
 * Compile one site's definition and everything it imports into a single CommonJS script, in the
 * calling thread. Nothing is evaluated here; compile errors, refused imports and PROMOTED_WARNINGS
 * come back as issues with file:line:column. The script requires nothing at run time: core, and
 * any npm package core uses, are bundled in.
 */
export async function bundleSite(
  root: string,
  site: string,
  reader: SourceReader,
  core: CoreLocation,
  opts: BundleOptions = {},
): Promise<BundleResult> {
  return (await bundleSites(root, [site], reader, core, opts)).get(site)!;
}

/**
 * `bundleSite` for many sites at once: one esbuild build with every definition as an entry point,
 * so core, `_shared/` parts and the plugin's file checks are parsed and run once per batch rather
 * than once per site (the loader's main cost at 1,000 sites: docs/adr, bench). esbuild fails a
 * whole build for one error, so a failed batch is split in two and each half built again, down to
 * single sites: a good site never carries a neighbour's error, and a bad one gets exactly the
 * issues `bundleSite` alone would give it. Only a bundler that stops altogether (it crashed; the
 * plugin's size and nesting caps exist so that no definition can make it) fails every site not
 * bundled yet, each with LOAD_FAILED naming the crash.
 */
export interface BundleOptions {
  /** Shared by the batches of one load, so each path's link check runs once. */
  readonly policy?: PolicyCache;
  /**
   * Also produce source maps. Off by default: generating and passing them was a fifth of the
   * bundler's work at 1,000 sites, and only a definition that throws needs one (the loader
   * bundles such a site again with a map; the code is the same bytes either way).
   */
  readonly sourcemap?: boolean;
  /**
   * Bundles kept between runs (bundle-cache.ts): a site whose cached bundle is proven current is
   * not bundled again, and every site bundled is stored. Never with `sourcemap`.
   */
  readonly cache?: BundleCache;
}

export async function bundleSites(
  root: string,
  sites: readonly string[],
  reader: SourceReader,
  core: CoreLocation,
  opts: BundleOptions = {},
): Promise<Map<string, BundleResult>> {
  const policy = opts.policy ?? createPolicyCache(root);
  const withMap = opts.sourcemap === true;
  const cache = withMap ? undefined : opts.cache;
  const out = new Map<string, BundleResult>();
  const outDir = path.join(root, '.osa-gitops-bundle');
  const build = async (batch: readonly string[]): Promise<void> => {
    if (batch.length === 0) return;
    let result: esbuild.BuildResult<{ write: false; metafile: boolean }>;
    try {
      result = await esbuildApi().build({
        entryPoints: batch.map((site) => path.join(root, definitionFile(site))),
        absWorkingDir: root,
        outdir: outDir,
        outbase: path.join(root, 'environments'),
        bundle: true,
        write: false,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        sourcemap: withMap ? 'external' : false,
        sourcesContent: false,
        logLevel: 'silent',
        logOverride: LOG_OVERRIDE,
        // A computed `import(x)` becomes `require(x)`: the site context's refusing require, whose
        // error belongs to the site's realm. Left as `import()`, Node rejects it with a TypeError
        // of the evaluator's realm, a way out of the context (docs/SECURITY.md).
        supported: { 'dynamic-import': false },
        plugins: [importPolicyPlugin({ root, reader, core, cache: policy })],
        metafile: cache !== undefined,
      });
    } catch (err) {
      if (isBuildFailure(err) && err.errors.length > 0) {
        if (batch.length === 1) {
          out.set(batch[0]!, { ok: false, issues: err.errors.map((m) => messageToIssue(batch[0]!, m)) });
          return;
        }
        const half = Math.ceil(batch.length / 2);
        await Promise.all([build(batch.slice(0, half)), build(batch.slice(half))]);
        return;
      }
      const why = err instanceof Error ? err.message : String(err);
      for (const site of batch) {
        out.set(site, {
          ok: false,
          issues: [
            loadIssue(
              'LOAD_FAILED',
              site,
              `the bundler stopped while this site was being bundled (${why}); a definition it was bundled with may have crashed it`,
              { file: definitionFile(site) },
            ),
          ],
        });
      }
      return;
    }
    const files = new Map(result.outputFiles.map((f) => [f.path, f]));
    for (const site of batch) {
      const js = files.get(path.join(outDir, site, 'environment.js'));
      const map = files.get(path.join(outDir, site, 'environment.js.map'));
      if (!js || (withMap && !map)) throw new Error(`esbuild produced no bundle for ${definitionFile(site)}`);
      out.set(site, {
        ok: true,
        bundle: { site, code: js.text, ...(map ? { map: map.text } : {}), outDir: path.dirname(js.path) },
      });
      if (cache !== undefined && result.metafile !== undefined) {
        cache.store(site, js.text, path.relative(root, js.path).split(path.sep).join('/'), result.metafile);
      }
    }
  };
  const toBuild: string[] = [];
  for (const site of sites) {
    const code = cache?.lookup(site, path.join(root, definitionFile(site)));
    if (code === undefined) toBuild.push(site);
    else out.set(site, { ok: true, bundle: { site, code, outDir: path.join(outDir, site) } });
  }
  await build(toBuild);
  return out;
}

function messageToIssue(site: string, m: esbuild.Message): LoadIssue {
  const code = m.detail === FORBIDDEN_IMPORT ? 'LOAD_FORBIDDEN_IMPORT' : 'LOAD_FAILED';
  const text = PROMOTED_WARNINGS.includes(m.id)
    ? `${m.text} (refused: the definition would not do what it reads as)`
    : m.text;
  const loc = m.location;
  if (!loc) return loadIssue(code, site, text, { file: definitionFile(site) });
  // esbuild: file relative to absWorkingDir, line 1-based, column 0-based.
  return loadIssue(code, site, text, {
    file: loc.file.split(path.sep).join('/'),
    line: loc.line,
    column: loc.column + 1,
  });
}

function isBuildFailure(err: unknown): err is esbuild.BuildFailure {
  return typeof err === 'object' && err !== null && Array.isArray((err as { errors?: unknown }).errors);
}

/**
 * How definitions are bundled, as text (the build options live in `bundleSites`): part of the
 * bundle cache's key with the import policy's (bundle-cache.ts), so a promoted warning added or an
 * option changed never reuses a bundle made the old way. Every function of this file is listed.
 */
export const BUNDLE_FINGERPRINT = [bundleSite, bundleSites, messageToIssue, isBuildFailure]
  .map(String)
  .concat(JSON.stringify(PROMOTED_WARNINGS))
  .join('\n');
