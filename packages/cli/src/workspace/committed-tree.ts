import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { constants as fsConstants } from 'node:fs';
import { renderedTreeDir, toRenderedTree } from '@osa-gitops/core';
import { refuseSymlinks, SymlinkRefusedError } from '@osa-gitops/loader';

/** Absolute path of a site's committed tree. */
export function siteTreeDir(root: string, site: string): string {
  return path.join(root, ...renderedTreeDir(site).split('/'));
}

/**
 * The files under `environments/<site>/openstack_deploy/` as they are on disk: POSIX relative
 * path → text, sorted. A symbolic link anywhere on the way (`environments`, the site folder,
 * `openstack_deploy` itself) or inside the tree throws SymlinkRefusedError: a tree we own never
 * contains one, and following one could read (and `check` print) files outside the repository.
 * Other special files (fifos, sockets) are skipped. A missing folder is an empty tree.
 */
export async function readCommittedTree(root: string, site: string): Promise<Map<string, string>> {
  const dir = siteTreeDir(root, site);
  await refuseSymlinks(root, renderedTreeDir(site));
  const files: [string, string][] = [];
  await walk(dir, '', files, renderedTreeDir(site));
  return new Map(toRenderedTree(files));
}

async function walk(dir: string, rel: string, out: [string, string][], treeDir: string): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isSymbolicLink()) throw new SymlinkRefusedError(`${treeDir}/${child}`);
    if (e.isDirectory()) await walk(dir, child, out, treeDir);
    else if (e.isFile()) out.push([child, await readNoFollow(path.join(dir, child), `${treeDir}/${child}`)]);
  }
}

/**
 * Read a file without following a link in its last component (O_NOFOLLOW): the entry was a
 * regular file when listed, and a link swapped in since then fails here (ELOOP) instead of being
 * read.
 */
async function readNoFollow(file: string, rel: string): Promise<string> {
  let handle;
  try {
    handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new SymlinkRefusedError(rel);
    throw err;
  }
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
