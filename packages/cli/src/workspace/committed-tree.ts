import * as path from 'node:path';
import * as fsSync from 'node:fs';
import { constants as fsConstants } from 'node:fs';
import { renderedTreeDir, toRenderedTree } from '@osa-gitops/core';
import { refuseSymlinksSync, SymlinkRefusedError } from '@osa-gitops/loader';

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
  refuseSymlinksSync(root, renderedTreeDir(site));
  const files: [string, string][] = [];
  walk(dir, '', files, renderedTreeDir(site));
  return new Map(toRenderedTree(files));
}

// Synchronous on purpose: a tree is a handful of small local files, and at 1,000 sites the
// promise API's thread-pool round trips (open, stat, read, close per file) cost more than the
// reads (bench: `e2e-render-1000`).
function walk(dir: string, rel: string, out: [string, string][], treeDir: string): void {
  let entries;
  try {
    entries = fsSync.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isSymbolicLink()) throw new SymlinkRefusedError(`${treeDir}/${child}`);
    if (e.isDirectory()) walk(dir, child, out, treeDir);
    else if (e.isFile()) out.push([child, readNoFollow(path.join(dir, child), `${treeDir}/${child}`)]);
  }
}

/**
 * Read a file without following a link in its last component (O_NOFOLLOW): the entry was a
 * regular file when listed, and a link swapped in since then fails here (ELOOP) instead of being
 * read.
 */
function readNoFollow(file: string, rel: string): string {
  let fd: number;
  try {
    fd = fsSync.openSync(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new SymlinkRefusedError(rel);
    throw err;
  }
  try {
    return fsSync.readFileSync(fd, 'utf8');
  } finally {
    fsSync.closeSync(fd);
  }
}
