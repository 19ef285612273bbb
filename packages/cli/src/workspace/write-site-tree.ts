import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import {
  isOwnablePath,
  MANIFEST_FILE,
  parseManifest,
  planTreeSync,
  type RenderedTree,
} from '@osa-gitops/core';
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
  const current = await readCommittedTree(root, site);
  const previous = parseManifest(current.get(MANIFEST_FILE) ?? '');
  const plan = planTreeSync(previous, tree, current);

  for (const rel of plan.write.filter((p) => p !== MANIFEST_FILE))
    await writeAtomic(dir, rel, tree.get(rel)!);
  for (const rel of plan.remove) await removeOwned(dir, rel);
  if (plan.write.includes(MANIFEST_FILE)) await writeAtomic(dir, MANIFEST_FILE, tree.get(MANIFEST_FILE)!);
  return { written: plan.write, removed: plan.remove, unchanged: plan.unchanged };
}

async function writeAtomic(dir: string, rel: string, text: string): Promise<void> {
  const target = resolveInside(dir, rel);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await assertRealInside(dir, path.dirname(target));
  const tmp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await fs.writeFile(tmp, text, { encoding: 'utf8', flag: 'wx' });
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw new Error(`could not write ${target}`, { cause: err });
  }
}

async function removeOwned(dir: string, rel: string): Promise<void> {
  if (!isOwnablePath(rel)) return;
  const target = resolveInside(dir, rel);
  await fs.rm(target, { force: true });
  // Drop folders the removal emptied (host_vars/ after the last host left), never `dir` itself.
  let parent = path.dirname(target);
  while (parent !== dir && parent.startsWith(dir + path.sep)) {
    try {
      await fs.rmdir(parent);
    } catch {
      break; // not empty (or already gone): stop climbing
    }
    parent = path.dirname(parent);
  }
}

/** A symlinked folder inside the tree must not redirect a write elsewhere. */
async function assertRealInside(dir: string, folder: string): Promise<void> {
  const [realDir, realFolder] = await Promise.all([fs.realpath(dir), fs.realpath(folder)]);
  if (realFolder !== realDir && !realFolder.startsWith(realDir + path.sep)) {
    throw new Error(`refusing to write through a link that leaves ${dir}: ${folder}`);
  }
}

/** Rendered paths are validated by core, but a path must never leave the site's folder. */
function resolveInside(dir: string, rel: string): string {
  const abs = path.resolve(dir, ...rel.split('/'));
  if (!abs.startsWith(dir + path.sep)) throw new Error(`refusing to write outside ${dir}: ${rel}`);
  return abs;
}
