import { definitionFile, type RenderedTree } from '@osa-gitops/core';

/**
 * The ownership manifest (ADR 0003, style guide point 11): the files this tool owns in a site's
 * tree, so writers delete orphans and never touch anything else (OSA's config dir also holds
 * state, secrets and the operator's own files).
 */
export const MANIFEST_FILE = 'osa-gitops-manifest.json';

export interface Manifest {
  readonly generator: 'osa-gitops';
  readonly site: string;
  /** The definition the tree was rendered from, relative to the workspace root. */
  readonly source: string;
  /** Every owned path, the manifest itself included, sorted. */
  readonly files: readonly string[];
}

/** Relative POSIX path of plain segments: no absolute paths, `.`/`..`, backslashes or empties. */
const SAFE_PATH = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;
/** OSA state and secrets: never ours, whatever a manifest says (docs/osa-facts.md#config-search, ADR 0003). */
const NEVER_OWNED = new Set([
  'openstack_inventory.json',
  'backup_openstack_inventory.tar',
  'user_secrets.yml',
]);

export function isOwnablePath(path: string): boolean {
  return SAFE_PATH.test(path) && !path.split('/').includes('..') && !NEVER_OWNED.has(path);
}

/** Deterministic manifest text (2-space JSON, trailing newline) for the given rendered paths. */
export function renderManifest(site: string, paths: Iterable<string>): string {
  const files = [...new Set([...paths, MANIFEST_FILE])].sort(compare);
  const manifest: Manifest = { generator: 'osa-gitops', site, source: definitionFile(site), files };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The owned paths a manifest lists, or `undefined` when the text is not a manifest or lists a
 * path we could never have written (a tampered manifest must not steer deletions).
 */
export function parseManifest(text: string): string[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined; // not JSON: treated as "no previous manifest", the caller decides
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const files = (data as { files?: unknown }).files;
  if (!Array.isArray(files)) return undefined;
  if (!files.every((f): f is string => typeof f === 'string' && isOwnablePath(f))) return undefined;
  return [...new Set(files)].sort(compare);
}

export interface TreeSyncPlan {
  /** Rendered paths whose current bytes differ or are missing. */
  readonly write: string[];
  /** Owned before (previous manifest), not rendered now: orphans to delete. */
  readonly remove: string[];
  /** Rendered paths whose current bytes already match. */
  readonly unchanged: string[];
}

/**
 * What a writer must do to turn `current` into `next` (style guide point 12: write only changed
 * files). Only paths of the previous manifest are ever removed; without one nothing is removed.
 * `current` holds the files as they are now (missing entries count as absent).
 */
export function planTreeSync(
  previousManifestFiles: readonly string[] | undefined,
  next: RenderedTree,
  current: ReadonlyMap<string, string>,
): TreeSyncPlan {
  const write: string[] = [];
  const unchanged: string[] = [];
  for (const [path, text] of next) (current.get(path) === text ? unchanged : write).push(path);
  const remove = [...new Set(previousManifestFiles ?? [])].filter((p) => !next.has(p) && isOwnablePath(p));
  return { write: write.sort(compare), remove: remove.sort(compare), unchanged: unchanged.sort(compare) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
