import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { toRenderedTree, type RenderedTree } from '@osa-gitops/core';
import { isOwnablePath, MANIFEST_FILE, parseManifest } from '@osa-gitops/render';
import { DeployError } from './deploy-error';

/** Caps on a tree read from outside the workspace (a PR's folder on a runner). */
export const TREE_DIR_LIMITS = { files: 2_000, fileBytes: 2_000_000, totalBytes: 20_000_000 } as const;

/**
 * Read a rendered tree from a folder that is untrusted data (for the allocation preview: a pull
 * request's `environments/<site>/openstack_deploy`, checked out as files on a site's runner).
 * Only what its manifest lists is read, each path must be one the renderer could own, and every
 * component from the folder itself down must be a real directory or a regular file (lstat: a
 * symlink would read files outside the folder). planSync then checks the manifest lists exactly
 * these files, as for any deploy.
 */
export async function readUntrustedTreeDir(dir: string): Promise<RenderedTree> {
  const root = path.resolve(dir);
  await requireReal(root, 'directory', root);
  const manifestText = await readRegular(root, MANIFEST_FILE, TREE_DIR_LIMITS.fileBytes);
  const listed = parseManifest(manifestText);
  if (!listed) throw new DeployError(`${path.join(root, MANIFEST_FILE)} is not a valid osa-gitops manifest`);
  if (listed.length > TREE_DIR_LIMITS.files)
    throw new DeployError(`${root}: the manifest lists more than ${TREE_DIR_LIMITS.files} files`);
  const files: [string, string][] = [];
  let total = 0;
  for (const rel of listed) {
    if (!isOwnablePath(rel))
      throw new DeployError(
        `${root}: the manifest lists ${JSON.stringify(rel)}, which osa-gitops never renders`,
      );
    const text =
      rel === MANIFEST_FILE ? manifestText : await readRegular(root, rel, TREE_DIR_LIMITS.fileBytes);
    total += Buffer.byteLength(text);
    if (total > TREE_DIR_LIMITS.totalBytes)
      throw new DeployError(`${root}: the tree is over ${TREE_DIR_LIMITS.totalBytes} bytes`);
    files.push([rel, text]);
  }
  return toRenderedTree(files);
}

async function readRegular(root: string, rel: string, maxBytes: number): Promise<string> {
  let at = root;
  const parts = rel.split('/');
  for (const [i, part] of parts.entries()) {
    at = path.join(at, part);
    await requireReal(at, i === parts.length - 1 ? 'file' : 'directory', root);
  }
  const stat = await fsp.lstat(at);
  if (stat.size > maxBytes) throw new DeployError(`${at} is over ${maxBytes} bytes`);
  return fsp.readFile(at, 'utf8');
}

async function requireReal(p: string, kind: 'file' | 'directory', root: string): Promise<void> {
  const stat = await fsp.lstat(p).catch(() => undefined);
  if (!stat) throw new DeployError(`${p} does not exist (reading the tree in ${root})`);
  if (stat.isSymbolicLink())
    throw new DeployError(`${p} is a symbolic link; refusing to read the tree in ${root}`);
  if (kind === 'file' ? !stat.isFile() : !stat.isDirectory())
    throw new DeployError(`${p} is not a regular ${kind}; refusing to read the tree in ${root}`);
}
