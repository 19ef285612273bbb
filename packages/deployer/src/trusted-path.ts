import * as path from 'node:path';
import type { Stats } from 'node:fs';
import { DeployError, describeFsError } from './deploy-error';
import type { DeployFs } from './deploy-fs';

/**
 * Paths the deploy host trusts (issue 26, item 4): the OSA config dir the deployer writes and OSA
 * reads, and the openstack-ansible checkout whose playbooks, inventory script and generator run as
 * the deploying user (and, through the wrapper, as root on the hosts). Only an existence check
 * used to guard them; a symlinked config dir was followed.
 *
 * Whoever can write a directory on the way to a path can replace what is below it. So every
 * component from `/` down to the path is checked with lstat:
 * - no symbolic link (name the real path instead; `realpath` prints it);
 * - a directory owned by root or by the deploying user;
 * - not group- or world-writable, except a sticky directory (such as /tmp): there only an entry's
 *   owner can rename or remove it, so it is accepted when the next component is owned by root or
 *   the deploying user.
 * The window between these checks and the deploy's own use of the paths is open only to root and
 * the deploying user (they own every directory on the way).
 */

/** Entries of one checkout subtree looked at; the stock checkout has about 270. */
export const MAX_TREE_ENTRIES = 20_000;

/** The folders of an openstack-ansible checkout whose files the deploy and the preview run. */
export const OSA_CODE_DIRS: readonly string[] = ['playbooks', 'inventory', 'osa_toolkit', 'scripts'];

type LstatFs = Pick<DeployFs, 'lstat' | 'readdir'>;

/** Options for tests: another uid than the process's (`process.getuid()`). */
export interface TrustOptions {
  readonly uid?: number;
}

const STICKY = 0o1000;

function mode(stats: Stats): string {
  return (stats.mode & 0o7777).toString(8).padStart(4, '0');
}

function ownedByTrusted(stats: Stats, uid: number | undefined): boolean {
  return uid === undefined || stats.uid === 0 || stats.uid === uid;
}

async function lstatOf(fs: LstatFs, p: string): Promise<Stats> {
  try {
    return await fs.lstat(p);
  } catch (err) {
    throw describeFsError('inspect', p, err);
  }
}

/**
 * `target` (a directory) and every directory on the way from `/`, as described above. `what`
 * names it in messages ("the OSA config dir (--config-dir)").
 */
export async function requireTrustedPath(
  fs: LstatFs,
  target: string,
  what: string,
  opts: TrustOptions = {},
): Promise<void> {
  if (!path.isAbsolute(target))
    throw new DeployError(`${what} must be an absolute path, not ${JSON.stringify(target)}`);
  const uid = opts.uid ?? process.getuid?.();
  const parts = path
    .resolve(target)
    .split(path.sep)
    .filter((p) => p !== '');
  let current: string = path.sep;
  let parent: Stats | undefined;
  for (let i = 0; i <= parts.length; i++) {
    if (i > 0) current = path.join(current, parts[i - 1]!);
    const stats = await lstatOf(fs, current);
    const where = current === target ? `${what} ${target}` : `${current}, on the way to ${what} ${target},`;
    if (stats.isSymbolicLink()) {
      throw new DeployError(
        `${where} is a symbolic link; refusing to follow it, because whoever can change the link chooses what is read and written there. Name the real path (realpath ${target})`,
      );
    }
    if (!stats.isDirectory()) throw new DeployError(`${where} is not a directory`);
    if (!ownedByTrusted(stats, uid)) {
      throw new DeployError(
        `${where} is owned by uid ${stats.uid}, neither root nor the deploying user (uid ${uid}): that user could replace what is below it. chown it to root or the deploy user`,
      );
    }
    // A sticky parent (such as /tmp) protects this entry if it is ours or root's (checked above).
    if (parent !== undefined && (parent.mode & 0o022) !== 0 && (parent.mode & STICKY) === 0) {
      const above = path.dirname(current);
      throw new DeployError(
        `${above}, on the way to ${what} ${target}, is group- or world-writable (mode ${mode(parent)}) and not sticky: another user could replace ${current}. chmod go-w ${above}`,
      );
    }
    parent = stats;
  }
  if (parent !== undefined && (parent.mode & 0o022) !== 0) {
    throw new DeployError(
      `${what} ${target} is group- or world-writable (mode ${mode(parent)}): another user could change what is in it. chmod go-w ${target}`,
    );
  }
}

/**
 * Every entry below `root` (a trusted directory): no symbolic link, owned by root or the deploying
 * user, not group- or world-writable. At most MAX_TREE_ENTRIES entries.
 */
export async function requireTrustedTree(
  fs: LstatFs,
  root: string,
  what: string,
  opts: TrustOptions = {},
): Promise<void> {
  const uid = opts.uid ?? process.getuid?.();
  let seen = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir);
    } catch (err) {
      throw describeFsError('list', dir, err);
    }
    for (const e of entries) {
      if (++seen > MAX_TREE_ENTRIES) {
        throw new DeployError(`${root} has more than ${MAX_TREE_ENTRIES} entries; is it ${what}?`);
      }
      const p = path.join(dir, e.name);
      const stats = await lstatOf(fs, p);
      if (stats.isSymbolicLink()) {
        throw new DeployError(
          `${p}, in ${what}, is a symbolic link; refusing to run code it could point anywhere`,
        );
      }
      if (!ownedByTrusted(stats, uid)) {
        throw new DeployError(
          `${p}, in ${what}, is owned by uid ${stats.uid}, neither root nor the deploying user (uid ${uid}): that user could change code the deploy runs`,
        );
      }
      if ((stats.mode & 0o022) !== 0) {
        throw new DeployError(
          `${p}, in ${what}, is group- or world-writable (mode ${mode(stats)}): another user could change code the deploy runs. chmod go-w ${p}`,
        );
      }
      if (stats.isDirectory()) await walk(p);
    }
  };
  await walk(root);
}

/**
 * The openstack-ansible checkout: itself and the way to it, then every entry of the folders whose
 * code the deploy and the preview run (OSA_CODE_DIRS, those that exist).
 */
export async function requireTrustedOsaDir(
  fs: LstatFs,
  osaDir: string,
  what: string,
  opts: TrustOptions = {},
): Promise<void> {
  await requireTrustedPath(fs, osaDir, what, opts);
  for (const sub of OSA_CODE_DIRS) {
    const dir = path.join(osaDir, sub);
    try {
      await fs.lstat(dir);
    } catch {
      continue; // not every checkout has every folder; what is missing is reported where it is needed
    }
    await requireTrustedPath(fs, dir, `${what}'s ${sub}/`, opts);
    await requireTrustedTree(fs, dir, `${what} (${sub}/)`, opts);
  }
}
