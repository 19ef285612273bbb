import { MANIFEST_FILE, parseManifest, planTreeSync } from './manifest';
import type { RenderedTree } from '@osa-gitops/core';

/**
 * How a committed file differs from a fresh render: `missing` (rendered, not committed),
 * `changed` (committed bytes differ), `orphan` (the committed manifest owns it, the render no
 * longer produces it).
 */
export type StaleKind = 'missing' | 'changed' | 'orphan';

export interface StaleTreeFile {
  /** Relative to the site's `openstack_deploy/`. */
  readonly path: string;
  readonly kind: StaleKind;
  /** The committed text; undefined when `missing`. */
  readonly committed: string | undefined;
  /** The freshly rendered text; undefined for an `orphan`. */
  readonly rendered: string | undefined;
}

/**
 * The drift gate's one definition of "stale", shared by the CLI (`check`, deploy, the action's
 * validate) and the Nx sync generator: exactly the files a render would write or delete
 * (planTreeSync against the committed manifest), sorted by path. Files the committed manifest
 * does not own and the render does not produce are not ours and never stale.
 */
export function findStaleTreeFiles(
  committed: ReadonlyMap<string, string>,
  fresh: RenderedTree,
): StaleTreeFile[] {
  const manifest = committed.get(MANIFEST_FILE);
  const previous = manifest === undefined ? undefined : parseManifest(manifest);
  const plan = planTreeSync(previous, fresh, committed);
  const stale: StaleTreeFile[] = [];
  for (const path of plan.write) {
    const before = committed.get(path);
    stale.push({
      path,
      kind: before === undefined ? 'missing' : 'changed',
      committed: before,
      rendered: fresh.get(path),
    });
  }
  for (const path of plan.remove) {
    const before = committed.get(path);
    if (before !== undefined) stale.push({ path, kind: 'orphan', committed: before, rendered: undefined });
  }
  return stale.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
