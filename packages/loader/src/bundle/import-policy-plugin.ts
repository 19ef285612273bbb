import * as fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import * as path from 'node:path';
import type * as esbuild from 'esbuild';
import { findSymlinkSync } from '../no-symlinks';
import type { SourceReader } from '../source-reader';
import type { CoreLocation } from './core-location';

/** Marks esbuild errors that are policy refusals (LOAD_FORBIDDEN_IMPORT), not compile errors. */
export const FORBIDDEN_IMPORT = 'osa-gitops:forbidden-import';

export interface ImportPolicyOptions {
  /** Absolute workspace root (may be virtual for an in-memory Tree). */
  readonly root: string;
  readonly reader: SourceReader;
  readonly core: CoreLocation;
  /** Shared by the builds of one load (bisected batches), so each path is checked once. */
  readonly cache?: PolicyCache;
}

/** File-system answers that do not change during one load: real paths and link checks. */
export interface PolicyCache {
  readonly root: string;
  /** `symlinkOnTheWay` per absolute path. */
  readonly escapes: Map<string, string | undefined>;
  /**
   * The file an import target resolves to (undefined: none), per absolute target: every site
   * importing `../_shared/x` asks for the same target, so the probes run once per load.
   */
  readonly resolved: Map<string, string | undefined>;
  /** Folders seen to be real folders (`findSymlinkSync`'s `realDirs`), shared with the precheck. */
  readonly realDirs: Set<string>;
}

export function createPolicyCache(root: string): PolicyCache {
  return { root, escapes: new Map(), resolved: new Map(), realDirs: new Set() };
}

/**
 * Caps checked on every definition file before esbuild sees it. esbuild's parser recurses once
 * per nesting level and its Go stack overflow kills the bundler for every site of the run (a
 * 600 KB file of `[` did), so nesting is counted here first; the size cap bounds what one file
 * can cost to read, parse and echo. Both are far above any real definition (the examples: a few
 * KB, nesting under 10).
 */
export const MAX_SOURCE_CHARS = 2 * 1024 * 1024;
export const MAX_SOURCE_NESTING = 256;

const CORE_SPECIFIER = '@osa-gitops/core';
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'];
const BUILTINS = new Set(builtinModules);

/**
 * How the plugin resolves an import written in a definition file (`importer` under
 * `environments/`): the rules above, as a function the bundle cache (bundle-cache.ts) runs again
 * to prove a cached bundle would resolve the same today.
 */
export interface DefinitionResolver {
  resolve(importer: string, spec: string): esbuild.OnResolveResult;
}

export function definitionResolver(opts: ImportPolicyOptions): DefinitionResolver {
  const { root, reader, core } = opts;
  const cache = opts.cache ?? createPolicyCache(root);
  const escapeOf = (abs: string): string | undefined => escapeOfCached(cache, abs);
  const envDir = path.join(root, 'environments') + path.sep;
  const relToRoot = (abs: string): string => path.relative(root, abs).split(path.sep).join('/');
  return {
    resolve(importer, spec) {
      if (!importer.startsWith(envDir)) {
        return forbid(`"${spec}" is imported from outside environments/ (${importer})`);
      }
      if (spec === CORE_SPECIFIER) return { path: core.entry, sideEffects: false };
      if (!isPathSpecifier(spec)) return forbid(describeForbidden(spec));

      const target = path.resolve(path.dirname(importer), spec);
      if (!target.startsWith(envDir)) {
        return forbid(`"${spec}" leaves environments/; definitions may only import files under it`);
      }
      const linked = candidates(target)
        .map((c) => escapeOf(c))
        .find((l) => l !== undefined);
      if (linked !== undefined) {
        return forbid(
          `"${spec}" goes through the symbolic link ${relToRoot(linked)}; ` +
            'links under environments/ are not followed (replace it with the real file or folder)',
        );
      }
      let found: string | undefined;
      if (cache.resolved.has(target)) found = cache.resolved.get(target);
      else {
        found = candidates(target).find((c) => reader.isFile(relToRoot(c)));
        cache.resolved.set(target, found);
      }
      if (found === undefined) return { errors: [{ text: `Could not resolve "${spec}"` }] };
      if (!SOURCE_EXTENSIONS.includes(path.extname(found))) {
        return forbid(`"${spec}" is not a TypeScript, JavaScript or JSON file`);
      }
      return { path: found };
    },
  };
}

/** `symlinkOnTheWay` for `abs`, once per load. */
export function escapeOfCached(cache: PolicyCache, abs: string): string | undefined {
  if (cache.escapes.has(abs)) return cache.escapes.get(abs);
  const found = symlinkOnTheWay(cache.root, abs, cache.realDirs);
  cache.escapes.set(abs, found);
  return found;
}

/**
 * The import rules of a definition, as an esbuild plugin that owns all resolving and loading:
 *
 * - from a file under `environments/`: relative (or absolute) paths that stay under
 *   `environments/` with no symbolic link on the way (`symlinkOnTheWay`), read through the
 *   SourceReader; and `@osa-gitops/core`, bundled in;
 * - from core itself: its own files (from disk, marked side-effect free so unused parts drop)
 *   and the npm packages it imports, resolved as Node would and bundled in from disk too, so the
 *   bundle requires nothing at run time and all of it runs inside the site's own `vm` context.
 *   (`definition-api.ts` imports no npm package today; this keeps working if it ever does.) A
 *   Node built-in that such a package requires stays a `require` call, which the worker refuses.
 *
 * Anything else (Node built-ins, other packages, paths leaving `environments/`) is refused with
 * an error carrying `FORBIDDEN_IMPORT`, so esbuild reports it at the import's file:line.
 */
export function importPolicyPlugin(opts: ImportPolicyOptions): esbuild.Plugin {
  const { root, reader, core } = opts;
  const cache = opts.cache ?? createPolicyCache(root);
  const escapeOf = (abs: string): string | undefined => escapeOfCached(cache, abs);
  const resolver = definitionResolver({ ...opts, cache });
  const isCoreFile = (abs: string): boolean => abs.startsWith(core.packageDir + path.sep);
  /** Files of npm packages reached from core (tool code: read from disk, not through `reader`). */
  const dependencyFiles = new Set<string>();
  const isToolFile = (abs: string): boolean => isCoreFile(abs) || dependencyFiles.has(abs);
  const relToRoot = (abs: string): string => path.relative(root, abs).split(path.sep).join('/');

  return {
    name: 'osa-gitops-import-policy',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return { path: args.path };
        if (isCoreFile(args.importer)) return resolveFromCore(args, dependencyFiles);
        if (dependencyFiles.has(args.importer)) return resolveFromDependency(args, dependencyFiles);
        return resolver.resolve(args.importer, args.path);
      });

      build.onLoad({ filter: /.*/ }, (args) => {
        const linked = isToolFile(args.path) ? undefined : escapeOf(args.path);
        if (linked !== undefined) {
          return {
            errors: [
              {
                text: `${relToRoot(args.path)} goes through the symbolic link ${relToRoot(linked)}; links under environments/ are not followed`,
                detail: FORBIDDEN_IMPORT,
              },
            ],
          };
        }
        const ext = path.extname(args.path);
        const loader: esbuild.Loader = ext === '.json' ? 'json' : /^\.[cm]?ts$/.test(ext) ? 'ts' : 'js';
        const contents = isToolFile(args.path)
          ? fs.readFileSync(args.path, 'utf8')
          : reader.readFile(relToRoot(args.path));
        if (contents === undefined) return { errors: [{ text: `Could not read ${relToRoot(args.path)}` }] };
        if (!isToolFile(args.path)) {
          const refused = sourceCapError(contents);
          if (refused !== undefined) return { errors: [{ text: `${relToRoot(args.path)} ${refused}` }] };
        }
        return { contents, loader, resolveDir: path.dirname(args.path) };
      });
    },
  };
}

/**
 * The first symbolic link on the way from `<root>/environments` (itself included) to `abs`, as an
 * absolute path, or undefined. The path as written is all the checks above see, and not every
 * SourceReader refuses links (the Nx Tree reads through them from disk), so every link is refused
 * here, wherever it points (SECURITY.md, "Symbolic links under environments/"). Components that
 * do not exist on disk stop the walk: a Tree may hold files not written yet, and a virtual root
 * (an in-memory Tree) has nothing on disk to link.
 */
export function symlinkOnTheWay(root: string, abs: string, realDirs?: Set<string>): string | undefined {
  const rel = path.relative(root, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined; // not below: refused elsewhere
  const link = findSymlinkSync(root, rel.split(path.sep).join('/'), realDirs);
  return link === undefined ? undefined : path.join(root, ...link.split('/'));
}

function forbid(text: string): esbuild.OnResolveResult {
  return { errors: [{ text, detail: FORBIDDEN_IMPORT }] };
}

function isPathSpecifier(spec: string): boolean {
  return (
    spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || path.isAbsolute(spec)
  );
}

function describeForbidden(spec: string): string {
  const kind =
    spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]!)
      ? 'a Node built-in'
      : spec.startsWith('@osa-gitops/')
        ? 'a workspace package other than @osa-gitops/core'
        : 'an npm package';
  return `"${spec}" is ${kind}; definitions may only import "${CORE_SPECIFIER}" and files under environments/`;
}

/** TypeScript-style candidates: as written, `.js` written for `.ts`, extension omitted, folder index. */
function candidates(target: string): string[] {
  const out = [target];
  const swapped = target.replace(/\.(m|c)?js$/, (_m, mc: string | undefined) => `.${mc ?? ''}ts`);
  if (swapped !== target) out.push(swapped);
  for (const ext of SOURCE_EXTENSIONS) out.push(target + ext);
  out.push(path.join(target, 'index.ts'), path.join(target, 'index.js'));
  return out;
}

/** Core's own imports: its relative (TypeScript) files, and npm packages via `resolveFromDependency`. */
function resolveFromCore(args: esbuild.OnResolveArgs, dependencyFiles: Set<string>): esbuild.OnResolveResult {
  if (!isPathSpecifier(args.path)) return resolveFromDependency(args, dependencyFiles);
  const target = path.resolve(path.dirname(args.importer), args.path);
  const found = candidates(target).find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  if (found === undefined)
    return { errors: [{ text: `Could not resolve "${args.path}" in @osa-gitops/core` }] };
  return { path: found, sideEffects: false };
}

/**
 * An npm package core imports, or a file such a package requires: resolved as Node's `require`
 * would from the importer, and bundled. A Node built-in stays an external `require`, refused by
 * the worker when it runs (LOAD_FORBIDDEN_IMPORT).
 */
function resolveFromDependency(
  args: esbuild.OnResolveArgs,
  dependencyFiles: Set<string>,
): esbuild.OnResolveResult {
  let resolved: string;
  try {
    resolved = createRequire(args.importer).resolve(args.path);
  } catch (err) {
    return {
      errors: [{ text: `@osa-gitops/core needs "${args.path}", which cannot be resolved`, detail: err }],
    };
  }
  if (!path.isAbsolute(resolved)) return { path: args.path, external: true }; // a built-in
  if (!SOURCE_EXTENSIONS.includes(path.extname(resolved))) {
    return { errors: [{ text: `@osa-gitops/core needs "${args.path}", which is not JavaScript or JSON` }] };
  }
  dependencyFiles.add(resolved);
  return { path: resolved };
}

/**
 * Why a definition file is refused before parsing (MAX_SOURCE_CHARS, MAX_SOURCE_NESTING), or
 * undefined. Nesting counts every bracket, also inside strings and comments: a cheap upper bound
 * that a real file never comes near, and it can only refuse more, never let a deeper file through.
 */
export function sourceCapError(text: string): string | undefined {
  if (text.length > MAX_SOURCE_CHARS) {
    return `is ${text.length} characters long; a definition file may have at most ${MAX_SOURCE_CHARS}`;
  }
  // Only brackets matter: drop everything else first (a native regex pass), then count.
  const brackets = text.length < MAX_SOURCE_NESTING ? '' : text.replace(/[^[\]{}()]+/g, '');
  if (brackets.length <= MAX_SOURCE_NESTING) return undefined; // cannot nest deeper than its count
  let depth = 0;
  for (let i = 0; i < brackets.length; i++) {
    const c = brackets.charCodeAt(i);
    if (c === 0x5b || c === 0x7b || c === 0x28) {
      if (++depth > MAX_SOURCE_NESTING) {
        return `nests brackets more than ${MAX_SOURCE_NESTING} levels deep; refused before bundling`;
      }
    } else if (depth > 0) depth--;
  }
  return undefined;
}

/**
 * The import policy's own code, as text: part of the bundle cache's key (bundle-cache.ts), so a
 * change to how definitions are resolved or refused never reuses a bundle made under the old
 * rules. Every function of this file is listed; a new one belongs here too.
 */
export const POLICY_FINGERPRINT = [
  createPolicyCache,
  definitionResolver,
  escapeOfCached,
  importPolicyPlugin,
  symlinkOnTheWay,
  forbid,
  isPathSpecifier,
  describeForbidden,
  candidates,
  resolveFromCore,
  resolveFromDependency,
  sourceCapError,
]
  .map(String)
  .concat(JSON.stringify({ MAX_SOURCE_CHARS, MAX_SOURCE_NESTING, SOURCE_EXTENSIONS, CORE_SPECIFIER }))
  .join('\n');
