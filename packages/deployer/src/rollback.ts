import * as path from 'node:path';
import { MANIFEST_FILE } from '@osa-gitops/render';
import { restoreFile } from './backup';
import { DeployError, describeFsError } from './deploy-error';
import { errorCode, isTempName, lstatIfExists, readIfExists, type DeployFs } from './deploy-fs';
import type { Journal } from './journal';
import { requireSafeParents } from './safe-dirs';

export interface RollbackResult {
  /** Files put back from the backup (bytes differed). */
  readonly restored: string[];
  /** Files this deploy had created, removed again. */
  readonly removed: string[];
}

/**
 * Put every owned file back as it was before the journal's deploy started: replaced and removed
 * files from the backup, created files deleted, the old manifest last. Idempotent, so a crash
 * during a rollback is repaired by running it again (the journal stays until the caller clears
 * it). Files already equal to their backup are left alone.
 */
export async function rollBack(fs: DeployFs, configDir: string, journal: Journal): Promise<RollbackResult> {
  const backupRoot = journal.backupDir === null ? undefined : path.join(configDir, journal.backupDir);
  const needsBackup = journal.ops.some((o) => o.backedUp) || journal.manifest === 'replaced';
  if (needsBackup && (backupRoot === undefined || (await lstatIfExists(fs, backupRoot)) === undefined)) {
    throw new DeployError(
      `the journal's backup ${backupRoot ?? '(none recorded)'} is missing, so the previous files cannot be ` +
        'restored; inspect the config dir by hand, then delete .osa-gitops/journal.json',
    );
  }
  const restored: string[] = [];
  const removed: string[] = [];
  const put = async (rel: string, backedUp: boolean): Promise<void> => {
    const target = path.join(configDir, rel);
    try {
      // Where we write or delete, and where the backup is read from, must be real directories
      // only we can change (safe-dirs.ts): a linked backup dir would copy chosen bytes in.
      await requireSafeParents(fs, configDir, rel);
      if (backedUp) {
        const backupFile = path.join(backupRoot!, rel);
        await requireSafeParents(fs, configDir, path.posix.join(journal.backupDir!, rel));
        if (!(await fs.lstat(backupFile)).isFile()) {
          throw new DeployError(`${backupFile} is not a regular file; refusing to restore from it`);
        }
        const [want, have] = await Promise.all([fs.readFile(backupFile), readIfExists(fs, target)]);
        if (have === undefined || !have.equals(want)) {
          await restoreFile(fs, backupFile, target);
          restored.push(rel);
        }
      } else if ((await lstatIfExists(fs, target)) !== undefined) {
        await fs.unlink(target);
        await fs.fsyncDir(path.dirname(target));
        removed.push(rel);
      }
    } catch (err) {
      if (err instanceof DeployError) throw err;
      throw describeFsError('restore', target, err);
    }
  };

  await removeTempFiles(fs, configDir, [...journal.ops.map((o) => o.path), MANIFEST_FILE]);
  for (const op of [...journal.ops].reverse()) await put(op.path, op.backedUp);
  if (journal.manifest !== 'unchanged') await put(MANIFEST_FILE, journal.manifest === 'replaced');
  for (const dir of [...journal.createdDirs].reverse()) {
    if ((await lstatIfExists(fs, path.join(configDir, dir))) === undefined) continue; // never created
    try {
      await fs.rmdir(path.join(configDir, dir));
    } catch (err) {
      // ENOTEMPTY: someone else's file lives there now; it is not ours to remove.
      if (errorCode(err) !== 'ENOENT' && errorCode(err) !== 'ENOTEMPTY') throw err;
    }
  }
  return { restored, removed };
}

/**
 * Remove leftovers of atomic writes interrupted by a crash: the temp files of exactly these
 * paths (`.<name>.<hex>.osa-gitops-tmp` next to each), nothing else.
 */
export async function removeTempFiles(
  fs: DeployFs,
  configDir: string,
  rels: readonly string[],
): Promise<void> {
  const byDir = new Map<string, Set<string>>();
  for (const rel of rels) {
    const dir = path.join(configDir, path.posix.dirname(rel));
    byDir.set(dir, (byDir.get(dir) ?? new Set()).add(`.${path.posix.basename(rel)}.`));
  }
  for (const [dir, prefixes] of byDir) {
    let entries;
    try {
      entries = await fs.readdir(dir);
    } catch (err) {
      if (errorCode(err) === 'ENOENT') continue;
      throw err;
    }
    for (const e of entries) {
      if (e.isFile() && isTempName(e.name) && [...prefixes].some((p) => e.name.startsWith(p))) {
        await fs.unlink(path.join(dir, e.name));
      }
    }
  }
}
