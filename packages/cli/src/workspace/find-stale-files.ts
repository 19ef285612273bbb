import { findStaleTreeFiles, type StaleKind } from '@osa-gitops/render';
import { diffFile } from '@osa-gitops/report';
import { readCommittedTree } from './committed-tree';
import type { CompiledSite } from './compile-workspace';

export interface StaleFile {
  readonly site: string;
  /** Relative to the site's `openstack_deploy/`. */
  readonly path: string;
  /** See core's StaleKind: missing, changed or orphan. */
  readonly kind: StaleKind;
  /** Unified diff from the committed file to the fresh render. */
  readonly diff: string;
}

/**
 * Where the committed tree on disk differs from a fresh render of the site's definition (the
 * drift gate, style point 12; what counts as stale is core's findStaleTreeFiles, shared with the
 * Nx sync generator). A site without a tree (invalid definition) has nothing to compare: `[]`.
 */
export async function findStaleFiles(root: string, site: CompiledSite): Promise<StaleFile[]> {
  if (!site.tree) return [];
  const committed = await readCommittedTree(root, site.site);
  return findStaleTreeFiles(committed, site.tree).map((f) => ({
    site: site.site,
    path: f.path,
    kind: f.kind,
    diff: diffFile(f.path, f.committed, f.rendered).patch,
  }));
}
