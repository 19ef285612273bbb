import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { renderedTreeDir, type RenderedTree } from '@osa-gitops/core';
import { isOwnablePath, MANIFEST_FILE, parseManifest, planTreeSync } from '@osa-gitops/render';
import { refuseSymlinks, SymlinkRefusedError } from '@osa-gitops/loader';
import { readCommittedTree, siteTreeDir } from './committed-tree';

export interface WriteSiteTreeResult {
  /** Paths written (new or changed), relative to the site's `openstack_deploy/`. */
  readonly written: string[];
  /** Orphans removed (owned by the previous manifest, no longer rendered). */
  readonly removed: string[];
  readonly unchanged: string[];
}

/**
 * Write a site's rendered tree into `environments/<site>/openstack_deploy/`, byte for byte as core
 * renders it (the Nx generator writes the same bytes). Only changed files are written, each to a
 * temp file in its folder and renamed over the target, so a reader never sees half a file.
 * Orphans are removed only when the previous manifest owned them; files we never owned are not
 * touched. The manifest is written last, so an interrupted write leaves the old manifest, which
 * still owns every file that a later run may have to remove.
 */
export async function writeSiteTree(
  root: string,
  site: string,
  tree: RenderedTree,
): Promise<WriteSiteTreeResult> {
  const dir = siteTreeDir(root, site);
  // Refuses any link on the way or inside the tree (SymlinkRefusedError) before anything is written.
  const current = await readCommittedTree(root, site);
  const previous = parseManifest(current.get(MANIFEST_FILE) ?? '');
  const plan = planTreeSync(previous, tree, current);
  const at = new TreeFolder(root, site, dir);
  for (const rel of plan.write.filter((p) => p !== MANIFEST_FILE)) await at.writeAtomic(rel, tree.get(rel)!);
  for (const rel of plan.remove) await at.removeOwned(rel);
  if (plan.write.includes(MANIFEST_FILE)) await at.writeAtomic(MANIFEST_FILE, tree.get(MANIFEST_FILE)!);
  return { written: plan.write, removed: plan.remove, unchanged: plan.unchanged };
}

/**
 * Writes and removals below one site's `openstack_deploy/`. Every parent is checked with lstat
 * right before each mkdir, temp-file write, rename and removal (refuseSymlinks), so a link that
 * appeared since the tree was read is refused instead of followed out of the repository.
 */
class TreeFolder {
  constructor(
    private readonly root: string,
    private readonly site: string,
    private readonly dir: string,
  ) {}

  /** The workspace-relative path of `rel`, for the lstat walk from `environments` down. */
  private workspacePath(rel: string): string {
    return `${renderedTreeDir(this.site)}/${rel}`;
  }

  async writeAtomic(rel: string, text: string): Promise<void> {
    const target = resolveInside(this.dir, rel);
    const parentRel = path.posix.dirname(this.workspacePath(rel));
    await refuseSymlinks(this.root, parentRel);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await refuseSymlinks(this.root, parentRel);
    const tmp = path.join(
      path.dirname(target),
      `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
    );
    try {
      // 'wx': O_EXCL, so an existing name (a planted link included) is never opened.
      await fs.writeFile(tmp, text, { encoding: 'utf8', flag: 'wx' });
      await refuseSymlinks(this.root, parentRel);
      // rename replaces a link at `target` itself; it never writes through one.
      await fs.rename(tmp, target);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      if (err instanceof SymlinkRefusedError) throw err;
      throw new Error(`could not write ${target}`, { cause: err });
    }
  }

  async removeOwned(rel: string): Promise<void> {
    if (!isOwnablePath(rel)) return;
    const target = resolveInside(this.dir, rel);
    // rm of a link removes the link itself, but a linked parent would delete elsewhere.
    await refuseSymlinks(this.root, path.posix.dirname(this.workspacePath(rel)));
    await fs.rm(target, { force: true });
    // Drop folders the removal emptied (host_vars/ after the last host left), never `dir` itself.
    let parent = path.dirname(target);
    while (parent !== this.dir && parent.startsWith(this.dir + path.sep)) {
      try {
        await fs.rmdir(parent);
      } catch {
        break; // not empty (or already gone): stop climbing
      }
      parent = path.dirname(parent);
    }
  }
}

/** Rendered paths are validated by core, but a path must never leave the site's folder. */
function resolveInside(dir: string, rel: string): string {
  const abs = path.resolve(dir, ...rel.split('/'));
  if (!abs.startsWith(dir + path.sep)) throw new Error(`refusing to write outside ${dir}: ${rel}`);
  return abs;
}
