import * as fs from 'node:fs';
import * as path from 'node:path';
import { definitionFile, hasErrors } from '@osa-gitops/core';
import { type StaleSite } from '@osa-gitops/report';
import type { Git } from '@osa-gitops/git';
import type { CommittedTrees } from '../git/committed-trees';
import { compileWorkspace } from '../workspace/compile-workspace';
import { findStaleFiles } from '../workspace/find-stale-files';

/**
 * Changes outside a site folder that can change what every site renders: anything else under
 * environments/ (`_shared/`, helper folders a definition may import) and the compiler itself.
 */
const SHARED_INPUT = /^(environments\/[^/]+$|environments\/[_.][^/]*\/|packages\/(core|loader|cli)\/src\/)/;
/** `environments/<site>/<anything but the rendered tree>`. */
const SITE_SOURCE = /^environments\/([^/_.][^/]*)\/(?!openstack_deploy\/)/;

/**
 * Sites whose committed tree does not follow their definition at `head`, for diff/plan: the
 * report compares committed trees only, and must not look calmer than CI's `check`.
 *
 * - `head` is the working tree: the sites whose sources changed since `base` (every site when a
 *   shared input changed) are compiled and rendered in memory, as `check` does; a site that does
 *   not validate is `invalid`, one whose render differs is `render` with the stale files.
 * - `head` is a commit: nothing is rendered (the definitions there are not on disk); a site whose
 *   own folder changed between `base` and `head` while its committed tree did not is
 *   `definition-changed`. A change to shared inputs alone is not flagged there (a commit's CI
 *   run checks it).
 */
export async function findStaleSites(
  git: Git,
  trees: CommittedTrees,
  base: string,
  head: string | undefined,
  treeChanged: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<StaleSite[]> {
  const paths = await trees.changedPaths(base, head, ['environments/', 'packages/']);
  const own = new Set<string>();
  for (const p of paths) {
    const m = SITE_SOURCE.exec(p);
    if (m) own.add(m[1]!);
  }
  if (head !== undefined) {
    const changed = new Set(treeChanged);
    // Sites only: a helper folder (`../common/x`) or a deleted site has no definition at head.
    const sites = await trees.definedSitesAtRef(head, [...own].sort());
    return sites
      .filter((s) => !changed.has(s))
      .map((site) => ({ site, evidence: 'definition-changed' as const, files: [] }));
  }
  // A folder without a definition is a helper a definition may import (`../common/x`), or a
  // deleted site: which sites depend on it is not known without loading them, so all are checked.
  const defined = [...own].filter((s) => fs.existsSync(path.join(git.dir, definitionFile(s)))).sort();
  const everySite = paths.some((p) => SHARED_INPUT.test(p)) || defined.length < own.size;
  if (!everySite && defined.length === 0) return [];
  const ws = await compileWorkspace(git.dir, { ...(everySite ? {} : { sites: defined }), env });
  const stale: StaleSite[] = [];
  // A tree without a definition is not stale but orphaned: the plan lists it as not deployed.
  for (const site of ws.sites.filter((s) => fs.existsSync(path.join(git.dir, definitionFile(s.site))))) {
    if (hasErrors(site.issues) || !site.tree) {
      stale.push({ site: site.site, evidence: 'invalid', files: [] });
      continue;
    }
    const files = await findStaleFiles(git.dir, site);
    if (files.length > 0)
      stale.push({ site: site.site, evidence: 'render', files: files.map((f) => f.path) });
  }
  return stale.sort((a, b) => (a.site < b.site ? -1 : a.site > b.site ? 1 : 0));
}
