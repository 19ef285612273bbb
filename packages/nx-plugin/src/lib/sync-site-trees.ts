import { joinPathFragments, type Tree } from '@nx/devkit';
import {
  hasErrors,
  MANIFEST_FILE,
  parseManifest,
  planTreeSync,
  renderedTreeDir,
  type Issue,
} from '@osa-gitops/core';
import { renderSites, type RenderSitesOptions } from './render-sites';
import { describeStaleFile, type StaleKind } from './stale-file-diff';

export interface StaleFile {
  /** Workspace-relative path. */
  readonly path: string;
  readonly kind: StaleKind;
  /** Headline and a short unified diff, for people. */
  readonly details: readonly string[];
}

export interface SyncSiteTreesResult {
  readonly sites: readonly string[];
  /** Every issue found (errors block all writes; warnings do not). */
  readonly issues: readonly Issue[];
  /** Files that differed from a fresh render and were written or deleted in the Tree, sorted. */
  readonly stale: readonly StaleFile[];
}

/**
 * Render the sites and bring their committed trees up to date in `tree`: write only files whose
 * bytes differ, delete only orphans the previous manifest lists, and leave everything else in
 * `openstack_deploy/` alone. With any error issue nothing is written.
 *
 * Shared by the render generator (writes), the sync generator (`nx sync` writes, `nx sync:check`
 * reports) and the drift spec (reports against the real workspace without flushing).
 */
export async function syncSiteTrees(tree: Tree, opts: RenderSitesOptions = {}): Promise<SyncSiteTreesResult> {
  const rendered = await renderSites(tree, opts);
  const stale: StaleFile[] = [];
  if (hasErrors(rendered.issues)) return { sites: rendered.sites, issues: rendered.issues, stale };

  for (const [site, next] of rendered.trees) {
    const dir = renderedTreeDir(site);
    const at = (p: string): string => joinPathFragments(dir, p);
    const read = (p: string): string | undefined =>
      tree.exists(at(p)) && tree.isFile(at(p)) ? (tree.read(at(p), 'utf-8') ?? undefined) : undefined;

    const manifestText = read(MANIFEST_FILE);
    const previous = manifestText === undefined ? undefined : parseManifest(manifestText);
    const current = new Map<string, string>();
    for (const p of new Set([...next.keys(), ...(previous ?? [])])) {
      const text = read(p);
      if (text !== undefined) current.set(p, text);
    }
    const plan = planTreeSync(previous, next, current);

    for (const p of plan.write) {
      const before = current.get(p);
      const kind: StaleKind = before === undefined ? 'missing' : 'changed';
      stale.push({ path: at(p), kind, details: describeStaleFile(at(p), kind, before ?? '', next.get(p)!) });
      tree.write(at(p), next.get(p)!);
    }
    for (const p of plan.remove) {
      if (!current.has(p)) continue; // already gone: nothing to do, nothing stale
      stale.push({
        path: at(p),
        kind: 'orphan',
        details: describeStaleFile(at(p), 'orphan', current.get(p)!, ''),
      });
      tree.delete(at(p));
    }
  }
  stale.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { sites: rendered.sites, issues: rendered.issues, stale };
}
