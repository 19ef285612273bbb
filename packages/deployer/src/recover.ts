import * as os from 'node:os';
import * as path from 'node:path';
import { MANIFEST_FILE } from '@osa-gitops/render';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeployError } from './deploy-error';
import { readIfExists, type DeployFs } from './deploy-fs';
import type { DeployLog } from './deploy-log';
import { INVENTORY_FILE, inventoryFingerprint } from './inventory-fingerprint';
import { clearJournal, readJournal, type Journal } from './journal';
import { restoreCommand, writeUndoRecord } from './manual-restore';
import { isProcessGroupAlive, processLiveness, processStartTime } from './process-liveness';
import { removeTempFiles, rollBack } from './rollback';
import { STATE_DIR } from './state-paths';

export type Recovery = 'none' | 'rolled-back' | 'kept-new-files' | 'kept-for-inventory';

/**
 * Finish what a dead deploy left behind, under the lock, before anything else: stop its
 * orphaned playbook if it still runs (so two runs never overlap), then roll back to the previous
 * owned files, or keep the new ones when it had completed the sync and was told `--no-restore`,
 * or when its playbook had changed OSA's inventory (as a failed deploy does, see deploy-site.ts).
 */
export async function recoverUnfinishedDeploy(
  fs: DeployFs,
  configDir: string,
  log: DeployLog,
  opts: { readonly killGraceMs: number },
): Promise<Recovery> {
  await removeTempFiles(fs, configDir, [`${STATE_DIR}/journal.json`, `${STATE_DIR}/state.json`]);
  const journal = await readJournal(fs, configDir);
  if (journal === undefined) return 'none';
  if (processLiveness(journal.owner) === 'alive' && journal.owner.pid !== process.pid) {
    throw new DeployError(
      `the deploy journal belongs to pid ${journal.owner.pid}, which is still running; was its lock removed by hand? ` +
        'Wait for it to finish.',
    );
  }
  log.warn(
    `the previous deploy did not finish (site ${journal.site}, commit ${journal.commit ?? 'unknown'}, started ` +
      `${journal.startedAt} by pid ${journal.owner.pid} on ${journal.owner.host}, phase ${journal.phase}); recovering`,
  );
  if (journal.playbook) await stopOrphanedPlaybook(journal.playbook, log, opts.killGraceMs);

  if (journal.phase !== 'syncing' && !journal.restoreOnFailure) {
    await clearJournal(fs, configDir);
    log.warn('its sync had completed and it ran with --no-restore: keeping the files it wrote');
    return 'kept-new-files';
  }
  if (
    journal.phase === 'playbook' &&
    journal.inventoryBefore !== undefined &&
    (await inventoryFingerprint(fs, configDir)) !== journal.inventoryBefore
  ) {
    const manifest = (await readIfExists(fs, path.join(configDir, MANIFEST_FILE)))?.toString('utf8') ?? '';
    const id = await writeUndoRecord(fs, configDir, journal, manifest, new Date());
    await clearJournal(fs, configDir);
    log.warn(
      `its playbook had changed ${INVENTORY_FILE}, so the files it wrote are KEPT (they match the inventory now; ` +
        `OSA never removes what a run allocated). To put the previous files back anyway: ` +
        restoreCommand(journal.site, configDir, id),
    );
    return 'kept-for-inventory';
  }
  const result = await rollBack(fs, configDir, journal);
  await clearJournal(fs, configDir);
  log.warn(
    `rolled back to the files before that deploy: ${result.restored.length} restored` +
      `${journal.backupDir ? ` from ${journal.backupDir}` : ''}, ${result.removed.length} it had created removed` +
      (result.restored.length + result.removed.length > 0
        ? ` (${[...result.restored, ...result.removed].join(', ')})`
        : ''),
  );
  return 'rolled-back';
}

async function stopOrphanedPlaybook(
  pb: NonNullable<Journal['playbook']>,
  log: DeployLog,
  graceMs: number,
): Promise<void> {
  if (pb.host !== os.hostname() || !isProcessGroupAlive(pb.pgid)) return;
  // While any member of a group lives its id is not reused; a live leader with another start
  // time means the whole group is gone and the id now names someone else's group: leave it.
  const leaderStart = processStartTime(pb.pgid);
  if (pb.procStart !== undefined && leaderStart !== undefined && leaderStart !== pb.procStart) return;
  log.warn(`its playbook (process group ${pb.pgid}) is still running: stopping it before this deploy runs`);
  for (const [signal, waitMs] of [
    ['SIGTERM', graceMs],
    ['SIGKILL', 10_000],
  ] as const) {
    try {
      process.kill(-pb.pgid, signal);
    } catch {
      return; // gone
    }
    for (let waited = 0; waited < waitMs; waited += 100) {
      if (!isProcessGroupAlive(pb.pgid)) return;
      await sleep(100);
    }
  }
  throw new DeployError(`the orphaned playbook (process group ${pb.pgid}) does not stop; stop it by hand`);
}
