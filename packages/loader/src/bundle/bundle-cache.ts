import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as esbuild from 'esbuild';
import { esbuildVersion } from './esbuild-api';
import type { SourceReader } from '../source-reader';
import { BUNDLE_FINGERPRINT } from './bundle-site';
import type { CoreLocation } from './core-location';
import {
  definitionResolver,
  escapeOfCached,
  POLICY_FINGERPRINT,
  type PolicyCache,
} from './import-policy-plugin';

/**
 * Bundles of unchanged definitions, kept between runs: an operator who edits one site and runs
 * `validate` again waits for esbuild on that site only (esbuild's per-definition work was the
 * largest part of loading 1,000 sites, ADR 0013). CI starts from a clean checkout and gains
 * nothing; a cold load only pays for writing the entries.
 *
 * A cached bundle is used only when everything that made it is proven the same, with the checks
 * the bundler itself runs, or it is bundled again (and that build reports whatever is wrong):
 *
 * - the bundler: esbuild's version, how it is called and the import policy's own code
 *   (`BUNDLE_FINGERPRINT`, `POLICY_FINGERPRINT`);
 * - every file the bundle was built from (the definition, what it imports, core's definition API
 *   and anything that pulls in), by the SHA-256 of its text, definition files read through the
 *   load's SourceReader with no symbolic link on the way;
 * - every import written in a definition file resolves, by the plugin's own resolver, to the same
 *   file as when it was bundled (a new file could take precedence, a link could appear).
 *
 * Entries live in `node_modules/.cache/osa-gitops-bundles/<workspace hash>/<site>.json`, written
 * by temp file and rename. A missing, unreadable or malformed entry is a miss. Source maps are not
 * kept: a definition that throws is bundled again with one (load-sites.ts).
 */

interface CachedInput {
  /** Absolute path. */
  readonly file: string;
  readonly sha256: string;
}

interface CachedImport {
  /** Absolute path of the importing definition file. */
  readonly importer: string;
  /** The specifier as written. */
  readonly spec: string;
  /** Absolute path it resolved to. */
  readonly resolved: string;
}

interface CacheEntry {
  readonly format: typeof FORMAT;
  readonly key: string;
  readonly site: string;
  readonly code: string;
  readonly inputs: readonly CachedInput[];
  readonly imports: readonly CachedImport[];
}

const FORMAT = 1;

export interface BundleCache {
  /** The cached bundle's code for `site` when every check above passes; undefined otherwise. */
  lookup(site: string, entry: string): string | undefined;
  /** Keep what a successful build of `site` read and produced (from esbuild's metafile). */
  store(site: string, code: string, outputKey: string, metafile: esbuild.Metafile): void;
}

export interface BundleCacheOptions {
  readonly root: string;
  readonly reader: SourceReader;
  readonly core: CoreLocation;
  readonly policy: PolicyCache;
  /** Where entries go. @default node_modules/.cache/osa-gitops-bundles/<workspace hash> */
  readonly dir?: string;
}

/** The default folder for `root`'s entries: next to the other caches of this installation. */
export function defaultBundleCacheDir(root: string): string {
  const nodeModules = path.dirname(path.dirname(require.resolve('esbuild/package.json')));
  const workspace = sha256(path.resolve(root)).slice(0, 16);
  return path.join(nodeModules, '.cache', 'osa-gitops-bundles', workspace);
}

export function createBundleCache(opts: BundleCacheOptions): BundleCache {
  const { root, reader, policy } = opts;
  const dir = opts.dir ?? defaultBundleCacheDir(root);
  const key = sha256(
    [FORMAT, esbuildVersion(), BUNDLE_FINGERPRINT, POLICY_FINGERPRINT, opts.core.entry].join('\0'),
  );
  const envDir = path.join(root, 'environments') + path.sep;
  const relToRoot = (abs: string): string => path.relative(root, abs).split(path.sep).join('/');
  const resolver = definitionResolver({ root, reader, core: opts.core, cache: policy });
  // Per load: a file shared by many sites (core, `_shared/`) is read and hashed once.
  const hashes = new Map<string, string | undefined>();
  const hashOf = (file: string): string | undefined => {
    if (hashes.has(file)) return hashes.get(file);
    let text: string | undefined;
    if (file.startsWith(envDir)) {
      // A definition file: the same confinement and link checks as the plugin's onLoad.
      text = escapeOfCached(policy, file) === undefined ? reader.readFile(relToRoot(file)) : undefined;
    } else {
      try {
        text = fs.readFileSync(file, 'utf8'); // tool code (core, its dependencies)
      } catch {
        text = undefined;
      }
    }
    const hash = text === undefined ? undefined : sha256(text);
    hashes.set(file, hash);
    return hash;
  };
  const resolvesAgain = (imp: CachedImport): boolean => {
    const now = resolver.resolve(imp.importer, imp.spec);
    return (now.errors === undefined || now.errors.length === 0) && now.path === imp.resolved;
  };
  const entryFile = (site: string): string => path.join(dir, `${site}.json`);
  let prepared = false;
  /** Once per load, before the first write: the folder, its workspace named, others' folders whose workspace is gone removed. */
  const prepare = (): void => {
    if (prepared) return;
    prepared = true;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, ROOT_FILE), root);
    if (opts.dir === undefined) pruneGoneWorkspaces(path.dirname(dir));
  };

  return {
    lookup(site, entry) {
      let cached: CacheEntry;
      try {
        cached = JSON.parse(fs.readFileSync(entryFile(site), 'utf8')) as CacheEntry;
      } catch {
        return undefined; // none yet, or unreadable: bundle
      }
      if (!isEntry(cached) || cached.key !== key || cached.site !== site) return undefined;
      if (!cached.inputs.some((i) => i.file === entry)) return undefined;
      for (const input of cached.inputs) if (hashOf(input.file) !== input.sha256) return undefined;
      for (const imp of cached.imports) if (!resolvesAgain(imp)) return undefined;
      return cached.code;
    },
    store(site, code, outputKey, metafile) {
      const output = metafile.outputs[outputKey];
      if (output === undefined) return;
      const files = Object.keys(output.inputs).map((k) => path.resolve(root, k));
      const inputs: CachedInput[] = [];
      for (const file of files) {
        const hash = hashOf(file);
        if (hash === undefined) return; // cannot be proven later: do not keep it
        inputs.push({ file, sha256: hash });
      }
      const imports: CachedImport[] = [];
      for (const [k, input] of Object.entries(metafile.inputs)) {
        const importer = path.resolve(root, k);
        if (!importer.startsWith(envDir) || !files.includes(importer)) continue;
        for (const imp of input.imports) {
          if (imp.original === undefined || imp.external === true) continue;
          imports.push({ importer, spec: imp.original, resolved: path.resolve(root, imp.path) });
        }
      }
      const entry: CacheEntry = { format: FORMAT, key, site, code, inputs, imports };
      try {
        prepare();
        const tmp = `${entryFile(site)}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(entry));
        fs.renameSync(tmp, entryFile(site));
      } catch {
        // a read-only cache: the next run bundles again
      }
    },
  };
}

/** Each workspace's folder names its root, so the folders of deleted workspaces can go. */
const ROOT_FILE = 'workspace-root';

/** Removes the entry folders of workspaces that no longer exist (temporary checkouts, bench fleets). */
function pruneGoneWorkspaces(bundles: string): void {
  for (const name of fs.readdirSync(bundles)) {
    const folder = path.join(bundles, name);
    let root: string;
    try {
      root = fs.readFileSync(path.join(folder, ROOT_FILE), 'utf8');
    } catch {
      continue; // being written by another run, or not ours: leave it
    }
    if (!fs.existsSync(root)) fs.rmSync(folder, { recursive: true, force: true });
  }
}

function isEntry(v: unknown): v is CacheEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Partial<CacheEntry>;
  return (
    e.format === FORMAT &&
    typeof e.key === 'string' &&
    typeof e.site === 'string' &&
    typeof e.code === 'string' &&
    Array.isArray(e.inputs) &&
    e.inputs.every((i) => typeof i?.file === 'string' && typeof i?.sha256 === 'string') &&
    Array.isArray(e.imports) &&
    e.imports.every(
      (i) =>
        typeof i?.importer === 'string' && typeof i?.spec === 'string' && typeof i?.resolved === 'string',
    )
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
