import { diffTrees, MANIFEST_FILE, parseManifest, toRenderedTree } from '@osa-gitops/core';
import { readCommittedTree } from './committed-tree';
import type { CompiledSite } from './compile-workspace';

export interface StaleFile {
  readonly site: string;
  /** Relative to the site's `openstack_deploy/`. */
  readonly path: string;
  /**
   * `missing`: rendered but not committed; `changed`: committed bytes differ from a fresh render;
   * `orphan`: owned by the committed manifest but no longer rendered.
   */
  readonly kind: 'missing' | 'changed' | 'orphan';
  /** Unified diff from the committed file to the fresh render. */
  readonly diff: string;
}

const KIND = { added: 'missing', changed: 'changed', removed: 'orphan' } as const;

/**
 * Where the committed tree differs from a fresh render of the site's definition (the drift gate,
 * style point 12). Files the committed manifest does not own are not ours and never reported.
 * A site without a tree (invalid definition) has nothing to compare and yields `[]`.
 */
export async function findStaleFiles(root: string, site: CompiledSite): Promise<StaleFile[]> {
  if (!site.tree) return [];
  const committed = await readCommittedTree(root, site.site);
  const owned = new Set(parseManifest(committed.get(MANIFEST_FILE) ?? '') ?? []);
  const before = toRenderedTree([...committed].filter(([p]) => site.tree!.has(p) || owned.has(p)));
  return diffTrees(before, site.tree).files.map((f) => ({
    site: site.site,
    path: f.path,
    kind: KIND[f.kind],
    diff: f.patch,
  }));
}
