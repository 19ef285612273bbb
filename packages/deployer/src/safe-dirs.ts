import * as path from 'node:path';
import type { Stats } from 'node:fs';
import { DeployError, describeFsError } from './deploy-error';
import { errorCode, type DeployFs } from './deploy-fs';

/**
 * Directories the deployer writes in must be ones nobody else can change under it (issue 16,
 * item 3). A `host_vars/` replaced by a symlink between the plan's checks and a write would send
 * the write outside the config dir; that needs write access to the parent, so the config dir and
 * every directory below it that we write in must be owned by the deploying user and not group- or
 * world-writable, and each one is checked again (lstat: a real directory, not a link) right before
 * every temp-file write, rename and removal. The remaining window between that lstat and the
 * syscall is open only to the deploying user itself (or root).
 */
export async function requireTrustedDir(
  fs: DeployFs,
  dir: string,
  what: string,
  opts: { readonly followLink?: boolean } = {},
): Promise<void> {
  let stats: Stats;
  try {
    stats = opts.followLink ? await fs.stat(dir) : await fs.lstat(dir);
  } catch (err) {
    throw describeFsError('inspect', dir, err);
  }
  if (stats.isSymbolicLink()) {
    throw new DeployError(`${what} ${dir} is a symbolic link; refusing to write through it`);
  }
  if (!stats.isDirectory())
    throw new DeployError(`${what} ${dir} is not a directory; refusing to write below it`);
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new DeployError(
      `${what} ${dir} is owned by uid ${stats.uid}, not by the deploying user (uid ${uid}); another user could ` +
        'swap its contents during the deploy. chown it to the deploy user',
    );
  }
  if ((stats.mode & 0o022) !== 0) {
    throw new DeployError(
      `${what} ${dir} is group- or world-writable (mode ${(stats.mode & 0o7777).toString(8).padStart(4, '0')}); ` +
        `another user could swap its contents during the deploy. chmod go-w ${dir}`,
    );
  }
}

/**
 * Every existing directory from `configDir` (itself not re-checked: `requireTrustedDir` at the
 * start) down to the parent of `rel`: a real directory we own and only we can write. Directories
 * that do not exist yet end the walk (the deploy creates them, and checks again before writing
 * into them).
 */
export async function requireSafeParents(fs: DeployFs, configDir: string, rel: string): Promise<void> {
  const parts = rel.split('/').slice(0, -1);
  let dir = configDir;
  for (const part of parts) {
    dir = path.join(dir, part);
    try {
      await fs.lstat(dir);
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return;
      throw describeFsError('inspect', dir, err);
    }
    await requireTrustedDir(fs, dir, 'the directory');
  }
}
