import { joinPathFragments, type Tree } from '@nx/devkit';
import { hasErrors, renderedTreeDir, type Issue } from '@osa-gitops/core';
import { MANIFEST_FILE, parseManifest, findStaleTreeFiles, type StaleKind } from '@osa-gitops/render';
import { refuseSymlinksSync } from '@osa-gitops/loader';
import { renderSites, type RenderSitesOptions } from './render-sites';
import { describeStaleFile } from './stale-file-diff';

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
  /** Sites not asked for that have an error: they block all writes too. */
  readonly invalidElsewhere: readonly string[];
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
  const { sites, issues, invalidElsewhere } = rendered;
  if (hasErrors(issues) || invalidElsewhere.length > 0) return { sites, issues, invalidElsewhere, stale };

  // Folders seen to be real folders while reading (findSymlinkSync's `realDirs`): each read
  // lstat-s only what it has not seen. Writes and deletes check the whole way again.
  const realDirs = new Set<string>();
  for (const [site, next] of rendered.trees) {
    const dir = renderedTreeDir(site);
    const at = (p: string): string => joinPathFragments(dir, p);
    // The Tree reads and writes through links on disk: refuse any link on the way (lstat from
    // environments/ down, the site folder and openstack_deploy included) before each use.
    const read = (p: string): string | undefined => {
      refuseSymlinksSync(tree.root, at(p), realDirs);
      // One read: a missing path or a folder reads as null (Nx's Tree catches ENOENT and EISDIR),
      // where exists + isFile + read were three file-system calls per file (8,000 at 1,000 sites).
      return tree.read(at(p), 'utf-8') ?? undefined;
    };
    refuseSymlinksSync(tree.root, dir, realDirs);

    // The committed files the render could touch: what it renders, and what the manifest owns.
    const manifestText = read(MANIFEST_FILE);
    const previous = manifestText === undefined ? undefined : parseManifest(manifestText);
    const current = new Map<string, string>();
    for (const p of new Set([...next.keys(), ...(previous ?? [])])) {
      const text = read(p);
      if (text !== undefined) current.set(p, text);
    }
    for (const f of findStaleTreeFiles(current, next)) {
      stale.push({
        path: at(f.path),
        kind: f.kind,
        details: describeStaleFile(at(f.path), f.kind, f.committed ?? '', f.rendered ?? ''),
      });
      refuseSymlinksSync(tree.root, at(f.path));
      if (f.kind === 'orphan') tree.delete(at(f.path));
      else tree.write(at(f.path), f.rendered!);
    }
  }
  stale.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { sites, issues, invalidElsewhere, stale };
}
