import * as path from 'node:path';
import { describeFsError } from './deploy-error';
import { atomicWrite, errorCode, lstatIfExists, tempPathFor, type DeployFs } from './deploy-fs';
import { statePaths, STATE_DIR } from './state-paths';

const PARTIAL = '.partial';

/** `2026-07-16T12-01-02.123Z`: UTC, sortable, no colons (awkward in scp and on some tools). */
export function backupName(at: Date): string {
  return at.toISOString().replace(/:/g, '-');
}

/**
 * Back up `files` (paths relative to the config dir) into `.osa-gitops/backups/<UTC ts>/`.
 * Returns the backup dir relative to the config dir, or null when there is nothing to keep.
 *
 * Each file is hard-linked, falling back to a durable copy: a link needs no data blocks, so the
 * backup still works on a nearly full disk, and it is safe because owned files are only ever
 * replaced by rename or unlinked, never rewritten in place, so the linked inode keeps the old
 * bytes. The dir is filled under `<ts>.partial` and renamed when complete, so a crash never leaves
 * a half backup that looks whole.
 */
export async function createBackup(
  fs: DeployFs,
  configDir: string,
  files: readonly string[],
  at: Date,
): Promise<string | null> {
  if (files.length === 0) return null;
  const { backups } = statePaths(configDir);
  await mkdirIfMissing(fs, backups, 0o700);
  let name = backupName(at);
  for (let n = 1; (await lstatIfExists(fs, path.join(backups, name))) !== undefined; n++) {
    name = `${backupName(at)}-${n}`;
  }
  const partial = path.join(backups, name + PARTIAL);
  await fs.rmTree(partial); // a leftover from a crash at this very step
  await fs.mkdir(partial, 0o700);
  const dirs = new Set<string>([partial]);
  for (const rel of files) {
    const target = path.join(partial, rel);
    for (const dir of parentsWithin(partial, path.dirname(target))) {
      if (!dirs.has(dir)) {
        await mkdirIfMissing(fs, dir, 0o700);
        dirs.add(dir);
      }
    }
    await preserve(fs, path.join(configDir, rel), target);
  }
  for (const dir of dirs) await fs.fsyncDir(dir);
  await fs.rename(partial, path.join(backups, name));
  await fs.fsyncDir(backups);
  return path.posix.join(STATE_DIR, 'backups', name);
}

/** Restore one file from a backup over `target`, atomically, keeping the backed-up mode. */
export async function restoreFile(fs: DeployFs, backupFile: string, target: string): Promise<void> {
  const stats = await fs.stat(backupFile);
  const data = await fs.readFile(backupFile);
  try {
    await atomicWrite(fs, target, data, stats.mode & 0o7777);
  } catch (err) {
    const code = errorCode(err);
    if (code !== 'ENOSPC' && code !== 'EDQUOT') throw err;
    // Disk full: a restore must not fail for lack of blocks. Link the backup's inode in place.
    const temp = tempPathFor(target);
    await fs.link(backupFile, temp);
    await fs.rename(temp, target);
    await fs.fsyncDir(path.dirname(target));
  }
}

/**
 * Keep the newest `keep` complete backups; drop older ones and leftovers of interrupted
 * backups. Returns the names removed.
 */
export async function pruneBackups(fs: DeployFs, configDir: string, keep: number): Promise<string[]> {
  const { backups } = statePaths(configDir);
  let entries;
  try {
    entries = await fs.readdir(backups);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return [];
    throw describeFsError('list the backups in', backups, err);
  }
  const complete = entries
    .filter((e) => e.isDirectory() && !e.name.endsWith(PARTIAL))
    .map((e) => e.name)
    .sort()
    .reverse();
  const drop = [
    ...entries.filter((e) => e.name.endsWith(PARTIAL)).map((e) => e.name),
    ...complete.slice(Math.max(0, keep)),
  ];
  for (const name of drop) await fs.rmTree(path.join(backups, name));
  return drop;
}

async function preserve(fs: DeployFs, source: string, target: string): Promise<void> {
  try {
    await fs.link(source, target);
    return;
  } catch (err) {
    const code = errorCode(err);
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK' && code !== 'ENOTSUP') throw err;
  }
  const stats = await fs.stat(source);
  await fs.writeFileDurable(target, await fs.readFile(source), stats.mode & 0o7777);
}

export async function mkdirIfMissing(fs: DeployFs, dir: string, mode = 0o755): Promise<boolean> {
  try {
    await fs.mkdir(dir, mode);
    return true;
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw err;
  }
}

/** `root/a`, `root/a/b` for `root/a/b` (only below root). */
function parentsWithin(root: string, dir: string): string[] {
  const rel = path.relative(root, dir);
  if (rel === '' || rel.startsWith('..')) return [];
  const parts = rel.split(path.sep);
  return parts.map((_, i) => path.join(root, ...parts.slice(0, i + 1)));
}
