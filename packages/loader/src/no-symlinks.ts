import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

/**
 * A symbolic link where osa-gitops reads or writes under `environments/`. Every reader and writer
 * of site folders refuses links (SECURITY.md, "Symbolic links under environments/"): a committed
 * link, `openstack_deploy` itself included, would otherwise make `render` write or delete files
 * outside the repository and `check` print them, on an untrusted branch. Commands print the
 * message and exit 1; it is an expected refusal, not a bug.
 */
export class SymlinkRefusedError extends Error {
  /** The link, relative to the workspace root, `/`-separated. */
  readonly link: string;
  constructor(link: string) {
    super(
      `${link} is a symbolic link; osa-gitops does not follow links under environments/ ` +
        '(one could make it read or write outside the repository). Replace it with the real file or folder.',
    );
    this.name = 'SymlinkRefusedError';
    this.link = link;
  }
}

/** `rel` as path components; refuses absolute paths and `..` (callers build these paths). */
function components(rel: string): string[] {
  const parts = rel.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  if (path.isAbsolute(rel) || parts.includes('..')) {
    throw new Error(`internal: ${JSON.stringify(rel)} is not a relative path inside the workspace`);
  }
  return parts;
}

const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/**
 * The first component of `rel` (a workspace-relative path such as
 * `environments/<site>/openstack_deploy/host_vars/h.yml`) that is a symbolic link, checked with
 * lstat from the first component down, or undefined. The walk stops at the first component that
 * does not exist: nothing below it can be a link yet (writers call this again right before each
 * write). `root` itself is not checked; a checkout may live below a linked folder.
 */
export function findSymlinkSync(
  root: string,
  rel: string,
  /**
   * Folders already seen to be real folders during one load (filled here): each is lstat-ed
   * once instead of once per path below it. Only for work that reads a checkout whose folders
   * do not change while it runs; writers never pass one (they check right before each write).
   */
  realDirs?: Set<string>,
): string | undefined {
  let current = root;
  const seen: string[] = [];
  const parts = components(rel);
  for (const [i, part] of parts.entries()) {
    current = path.join(current, part);
    seen.push(part);
    if (realDirs?.has(current) && i < parts.length - 1) continue;
    let stats: fs.Stats;
    try {
      stats = fs.lstatSync(current);
    } catch (err) {
      if (MISSING.has((err as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw err;
    }
    if (stats.isSymbolicLink()) return seen.join('/');
    if (realDirs !== undefined && i < parts.length - 1 && stats.isDirectory()) realDirs.add(current);
  }
  return undefined;
}

/** findSymlinkSync, without blocking the event loop (the CLI's tree reader and writer). */
export async function findSymlink(root: string, rel: string): Promise<string | undefined> {
  let current = root;
  const seen: string[] = [];
  for (const part of components(rel)) {
    current = path.join(current, part);
    seen.push(part);
    let stats: fs.Stats;
    try {
      stats = await fsp.lstat(current);
    } catch (err) {
      if (MISSING.has((err as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw err;
    }
    if (stats.isSymbolicLink()) return seen.join('/');
  }
  return undefined;
}

/** Throws SymlinkRefusedError when any component of `rel` below `root` is a link. */
export function refuseSymlinksSync(root: string, rel: string, realDirs?: Set<string>): void {
  const link = findSymlinkSync(root, rel, realDirs);
  if (link !== undefined) throw new SymlinkRefusedError(link);
}

/** Throws SymlinkRefusedError when any component of `rel` below `root` is a link. */
export async function refuseSymlinks(root: string, rel: string): Promise<void> {
  const link = await findSymlink(root, rel);
  if (link !== undefined) throw new SymlinkRefusedError(link);
}
