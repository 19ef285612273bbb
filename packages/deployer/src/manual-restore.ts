import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { MANIFEST_FILE } from '@osa-gitops/render';
import { backupName, mkdirIfMissing } from './backup';
import { DeployError, describeFsError } from './deploy-error';
import { atomicWrite, lstatIfExists, readIfExists, type DeployFs } from './deploy-fs';
import type { DeployLog } from './deploy-log';
import { clearJournal, writeJournal, type Journal } from './journal';
import { currentProcessIdentity } from './process-liveness';
import { rollBack, type RollbackResult } from './rollback';
import { statePaths, STATE_DIR } from './state-paths';
import { BACKUP_ID, backupIdOf, firstProblem, UndoRecordSchema } from './state-schema';

/**
 * Restoring a deploy's previous files by hand, later: `osa-gitops deploy <site> --restore <id>`.
 *
 * A failed deploy whose playbook changed OSA's inventory keeps its new files (the inventory now
 * matches them), and leaves in its backup dir an undo record: the deploy's journal and the hash of
 * the manifest it wrote. `--restore` replays exactly the rollback the deploy skipped, under the
 * lock and with a journal (a crash half-way is finished by the next deploy's recovery), and only
 * while that deploy's manifest is still in place: after a later deploy the record no longer
 * describes the config dir. The record's name starts with a dot, which no owned path can (its
 * pattern), so it never shadows a backed-up file.
 */
export const UNDO_FILE = '.osa-gitops-undo.json';

export { BACKUP_ID } from './state-schema';

interface UndoRecord {
  readonly version: 1;
  readonly site: string;
  /** sha256 of the manifest the deploy wrote: the record applies only while it is in place. */
  readonly manifestSha256: string;
  readonly journal: Journal;
}

/** Keep the way back: write the undo record into the deploy's backup dir (made if it had none). */
export async function writeUndoRecord(
  fs: DeployFs,
  configDir: string,
  journal: Journal,
  manifestText: string,
  at: Date,
): Promise<string> {
  let backupDir = journal.backupDir;
  if (backupDir === null) {
    const { backups } = statePaths(configDir);
    await mkdirIfMissing(fs, backups, 0o700);
    let name = backupName(at);
    for (let n = 1; (await lstatIfExists(fs, path.join(backups, name))) !== undefined; n++) {
      name = `${backupName(at)}-${n}`;
    }
    await fs.mkdir(path.join(backups, name), 0o700);
    await fs.fsyncDir(backups);
    backupDir = path.posix.join(STATE_DIR, 'backups', name);
  }
  const record: UndoRecord = {
    version: 1,
    site: journal.site,
    manifestSha256: sha256(manifestText),
    journal: { ...journal, backupDir },
  };
  const file = path.join(configDir, backupDir, UNDO_FILE);
  try {
    await atomicWrite(fs, file, `${JSON.stringify(record, null, 2)}\n`, 0o600);
  } catch (err) {
    throw describeFsError('write the undo record', file, err);
  }
  return path.posix.basename(backupDir);
}

/** The command that restores a kept deploy's previous files (printed, and in `--json`). */
export function restoreCommand(site: string, configDir: string, id: string): string {
  return `osa-gitops deploy ${site} --config-dir ${configDir} --restore ${id}`;
}

/**
 * Put back the files a kept deploy replaced, removed or created, from its backup `id`. The caller
 * holds the lock and has recovered any unfinished deploy.
 */
export async function restoreBackup(
  fs: DeployFs,
  configDir: string,
  site: string,
  id: string,
  log: DeployLog,
): Promise<RollbackResult> {
  if (!BACKUP_ID.test(id)) throw new DeployError(`${JSON.stringify(id)} is not a backup id`);
  const dir = path.join(statePaths(configDir).backups, id);
  const file = path.join(dir, UNDO_FILE);
  const raw = await readIfExists(fs, file).catch((err: unknown) => {
    throw describeFsError('read', file, err);
  });
  if (raw === undefined) {
    throw new DeployError(
      (await lstatIfExists(fs, dir)) === undefined
        ? `there is no backup ${dir}`
        : `${dir} has no undo record: only a failed deploy whose files were kept (the inventory had changed) ` +
            'leaves one. To restore another backup, copy its files over the config dir by hand, then deploy the ' +
            'commit they came from',
    );
  }
  let record: UndoRecord;
  try {
    // Validated, not trusted: its journal steers the restore (state-schema.ts).
    const parsed = UndoRecordSchema.safeParse(JSON.parse(raw.toString('utf8')));
    if (!parsed.success) throw new Error(firstProblem(parsed.error));
    record = parsed.data as UndoRecord;
    if (record.journal.backupDir === null || backupIdOf(record.journal.backupDir) !== id) {
      throw new Error(`its journal's backup dir ${String(record.journal.backupDir)} is not this backup`);
    }
  } catch (err) {
    throw new DeployError(`${file} is unreadable (${(err as Error).message}); restore by hand`, {
      cause: err,
    });
  }
  if (record.site !== site) {
    throw new DeployError(`backup ${id} belongs to site ${record.site}, not ${site}; nothing was changed`);
  }
  const manifest = await readIfExists(fs, path.join(configDir, MANIFEST_FILE));
  if (manifest === undefined || sha256(manifest) !== record.manifestSha256) {
    throw new DeployError(
      `the owned files in ${configDir} are no longer the ones the deploy of backup ${id} wrote (a later deploy ` +
        'or a restore changed them), so its undo record does not apply; nothing was changed. Deploy the commit ' +
        'you want instead',
    );
  }
  // Journalled like a sync: a crash half-way is rolled forward to the old files by the next deploy.
  const journal: Journal = {
    ...record.journal,
    phase: 'syncing',
    owner: currentProcessIdentity(),
    restoreOnFailure: true,
  };
  delete (journal as { playbook?: unknown }).playbook;
  await writeJournal(fs, configDir, journal);
  const result = await rollBack(fs, configDir, journal);
  await clearJournal(fs, configDir);
  log.warn(
    `restored the files from before the deploy of ${record.journal.commit ?? 'an unknown commit'} (backup ${id}): ` +
      `${result.restored.length} restored, ${result.removed.length} it had created removed. openstack_inventory.json ` +
      'was not touched: it still holds what that deploy allocated',
  );
  return result;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
