import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { definitionFile } from '@osa-gitops/core';
import { loadIssue, type LoadIssue } from '../load-issue';
import type { SourceReader } from '../source-reader';
import type { CoreLocation } from './core-location';
import { FORBIDDEN_IMPORT, importPolicyPlugin } from './import-policy-plugin';

export interface SiteBundle {
  readonly site: string;
  /** CommonJS text; `module.exports.default` is the definition. */
  readonly code: string;
  /** The esbuild source map (JSON text); sources are relative to `outDir`. */
  readonly map: string;
  /** Where the bundle would live; only used to resolve the map's source paths. */
  readonly outDir: string;
}

export type BundleResult =
  | { readonly ok: true; readonly bundle: SiteBundle }
  | { readonly ok: false; readonly issues: readonly LoadIssue[] };

/**
 * Compile one site's definition and everything it imports into a single CommonJS script, in the
 * calling thread. Nothing is evaluated here; compile errors and refused imports come back as
 * issues with file:line:column. The script requires nothing at run time: core, and
 * any npm package core uses, are bundled in.
 */
export async function bundleSite(
  root: string,
  site: string,
  reader: SourceReader,
  core: CoreLocation,
): Promise<BundleResult> {
  const outDir = path.join(root, '.osa-gitops-bundle');
  try {
    const result = await esbuild.build({
      entryPoints: [path.join(root, definitionFile(site))],
      absWorkingDir: root,
      outfile: path.join(outDir, `${site}.js`),
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [importPolicyPlugin({ root, reader, core })],
    });
    const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
    const map = result.outputFiles.find((f) => f.path.endsWith('.js.map'));
    if (!js || !map) throw new Error(`esbuild produced no bundle for ${definitionFile(site)}`);
    return { ok: true, bundle: { site, code: js.text, map: map.text, outDir } };
  } catch (err) {
    if (!isBuildFailure(err)) throw err;
    return { ok: false, issues: err.errors.map((m) => messageToIssue(site, m)) };
  }
}

function messageToIssue(site: string, m: esbuild.Message): LoadIssue {
  const code = m.detail === FORBIDDEN_IMPORT ? 'LOAD_FORBIDDEN_IMPORT' : 'LOAD_FAILED';
  const loc = m.location;
  if (!loc) return loadIssue(code, site, m.text, { file: definitionFile(site) });
  // esbuild: file relative to absWorkingDir, line 1-based, column 0-based.
  return loadIssue(code, site, m.text, {
    file: loc.file.split(path.sep).join('/'),
    line: loc.line,
    column: loc.column + 1,
  });
}

function isBuildFailure(err: unknown): err is esbuild.BuildFailure {
  return typeof err === 'object' && err !== null && Array.isArray((err as { errors?: unknown }).errors);
}
