import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { renderedTreeDir, toRenderedTree } from '@osa-gitops/core';

/** Absolute path of a site's committed tree. */
export function siteTreeDir(root: string, site: string): string {
  return path.join(root, ...renderedTreeDir(site).split('/'));
}

/**
 * The files under `environments/<site>/openstack_deploy/` as they are on disk: POSIX relative
 * path → text, sorted. Symlinks are skipped (a tree we own never contains one, and following one
 * could read outside the repository). A missing folder is an empty tree.
 */
export async function readCommittedTree(root: string, site: string): Promise<Map<string, string>> {
  const dir = siteTreeDir(root, site);
  const files: [string, string][] = [];
  await walk(dir, '', files);
  return new Map(toRenderedTree(files));
}

async function walk(dir: string, rel: string, out: [string, string][]): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) await walk(dir, child, out);
    else if (e.isFile()) out.push([child, await fs.readFile(path.join(dir, child), 'utf8')]);
  }
}
