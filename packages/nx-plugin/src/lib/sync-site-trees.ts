import { joinPathFragments, type Tree } from '@nx/devkit';
import {
  hasErrors,
  MANIFEST_FILE,
  parseManifest,
  planTreeSync,
  renderedTreeDir,
  type Issue,
} from '@osa-gitops/core';
import { refuseSymlinksSync } from '@osa-gitops/loader';
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
 * `openstack_deploy/` alone. With any error issue nothing is written. A symbolic link on the way
 * to any file read, written or deleted throws SymlinkRefusedError (Nx then flushes nothing).
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
    // The Tree reads and writes through links on disk: refuse any link on the way (lstat from
    // environments/ down, the site folder and openstack_deploy included) before each use.
    const read = (p: string): string | undefined => {
      refuseSymlinksSync(tree.root, at(p));
      return tree.exists(at(p)) && tree.isFile(at(p)) ? (tree.read(at(p), 'utf-8') ?? undefined) : undefined;
    };
    refuseSymlinksSync(tree.root, dir);

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
      refuseSymlinksSync(tree.root, at(p));
      tree.write(at(p), next.get(p)!);
    }
    for (const p of plan.remove) {
      if (!current.has(p)) continue; // already gone: nothing to do, nothing stale
      stale.push({
        path: at(p),
        kind: 'orphan',
        details: describeStaleFile(at(p), 'orphan', current.get(p)!, ''),
      });
      refuseSymlinksSync(tree.root, at(p));
      tree.delete(at(p));
    }
  }
  stale.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { sites: rendered.sites, issues: rendered.issues, stale };
}
