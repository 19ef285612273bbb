import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MANIFEST_FILE } from '@osa-gitops/core';
import { createBackup, mkdirIfMissing, pruneBackups } from './backup';
import { DeployError, describeFsError } from './deploy-error';
import { nodeDeployFs, type DeployFs } from './deploy-fs';
import { DEFAULTS, type DeploySiteOptions } from './deploy-options';
import type { DeployStep } from './deploy-steps';
import { describeDryRun } from './dry-run';
import { checkExtraArgs } from './extra-args';
import { checkInventory } from './inventory-check';
import { INVENTORY_FILE, inventoryFingerprint } from './inventory-fingerprint';
import { clearJournal, writeJournal, type Journal } from './journal';
import { acquireDeployLock } from './lock';
import { restoreBackup, restoreCommand, writeUndoRecord } from './manual-restore';
import type { Finding } from './finding';
import { checkUnownedOverrides } from './preflight';
import { currentProcessIdentity, processStartTime } from './process-liveness';
import { recoverUnfinishedDeploy } from './recover';
import { rollBack } from './rollback';
import { formatCommand, PLAYBOOK, playbookArgs, resolveExecutable, runPlaybook } from './run-playbook';
import { writeState } from './state';
import { statePaths, STATE_DIR } from './state-paths';
import { applySync } from './sync';
import { describeRefusedAdoption, filesToBackUp, planSync, type SyncPlan } from './sync-plan';

/**
 * Deploy one site's committed tree into an OSA config dir and run the limited playbook:
 * checks that need no change → lock → recover a dead deploy → plan → preflight (unowned
 * overrides, OSA's inventory check on a copy) → backup → journal → sync (manifest last) →
 * playbook → state.json, or restore the previous files when it fails (unless the playbook
 * changed OSA's inventory: then they are kept and the way back, `restoreSite`, is printed).
 *
 * Returns the exit code: the playbook's own code once it ran; 1 for a refused or failed deploy
 * (DeployError is thrown for those before the playbook; the caller prints it).
 */
export async function deploySite(opts: DeploySiteOptions): Promise<number> {
  const fs = opts.fs ?? nodeDeployFs;
  const problems = checkExtraArgs(opts.extraArgs);
  if (problems.length > 0) throw new DeployError(`refusing --extra-arg:\n  ${problems.join('\n  ')}`);
  await requireDirectory(opts.configDir, 'the OSA config dir (--config-dir)');
  await requireDirectory(opts.osaDir, 'the openstack-ansible checkout (--osa-dir)');
  await requirePlaybook(opts.osaDir);
  const osaBin = await resolveExecutable(opts.osaBin, opts.env);

  if (opts.report) opts.report.configDir = opts.configDir;
  if (opts.dryRun) return describeDryRun({ ...opts, fs, osaBin });
  return withDeployLock(opts, fs, () => deployLocked(opts, fs, osaBin));
}

/** What `--restore` needs: no tree, no OSA dir, no playbook. */
export type RestoreSiteOptions = Pick<
  DeploySiteOptions,
  'site' | 'configDir' | 'lockTimeoutMs' | 'log' | 'fs' | 'now' | 'signal' | 'killGraceMs' | 'lockPollMs'
> &
  Pick<DeploySiteOptions, 'report' | 'onStep'> & {
    /** The backup id a kept deploy printed. */
    readonly backupId: string;
  };

/**
 * `osa-gitops deploy <site> --restore <backup-id>`: put back the previous files of a deploy whose
 * files were kept because its playbook changed the inventory (manual-restore.ts). Under the lock,
 * after recovering any unfinished deploy; no playbook runs. Returns 0, or throws DeployError.
 */
export async function restoreSite(opts: RestoreSiteOptions): Promise<number> {
  const fs = opts.fs ?? nodeDeployFs;
  await requireDirectory(opts.configDir, 'the OSA config dir (--config-dir)');
  if (opts.report) {
    opts.report.configDir = opts.configDir;
    opts.report.restoreFrom = opts.backupId;
  }
  return withDeployLock(opts, fs, async () => {
    await recoverUnfinishedDeploy(fs, opts.configDir, opts.log, {
      killGraceMs: opts.killGraceMs ?? DEFAULTS.killGraceMs,
    });
    await step(opts, 'recovered');
    const r = await restoreBackup(fs, opts.configDir, opts.site, opts.backupId, opts.log);
    if (opts.report) {
      opts.report.restored = true;
      opts.report.written = r.restored;
      opts.report.removed = r.removed;
      opts.report.backupDir = path.posix.join(STATE_DIR, 'backups', opts.backupId);
    }
    return 0;
  });
}

async function withDeployLock(
  opts: RestoreSiteOptions | DeploySiteOptions,
  fs: DeployFs,
  locked: () => Promise<number>,
): Promise<number> {
  const paths = statePaths(opts.configDir);
  try {
    await mkdirIfMissing(fs, paths.stateDir, 0o700);
  } catch (err) {
    throw describeFsError('create the deployer state dir', paths.stateDir, err);
  }
  const lock = await acquireDeployLock({
    fs,
    configDir: opts.configDir,
    site: opts.site,
    log: opts.log,
    timeoutMs: opts.lockTimeoutMs,
    ...(opts.lockPollMs !== undefined ? { pollMs: opts.lockPollMs } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  try {
    await step(opts, 'locked');
    return await locked();
  } finally {
    await lock.release().catch((err: unknown) => opts.log.warn(`could not release the lock: ${String(err)}`));
  }
}

async function deployLocked(opts: DeploySiteOptions, fs: DeployFs, osaBin: string): Promise<number> {
  const { log, configDir } = opts;
  const now = opts.now ?? (() => new Date());
  const killGraceMs = opts.killGraceMs ?? DEFAULTS.killGraceMs;

  await recoverUnfinishedDeploy(fs, configDir, log, { killGraceMs });
  await step(opts, 'recovered');

  const plan = await planSync(fs, configDir, opts.tree, opts.adopt ?? []);
  refuseUnownedFiles(opts, plan);
  await preflight(opts, fs, plan);
  await step(opts, 'preflight-done');
  interruptible(opts);

  for (const w of plan.writes.filter((x) => x.adopted)) {
    log.warn(
      `adopting ${w.path} (--adopt): it is replaced whole and owned from now on (the old file is backed up)`,
    );
  }
  let backupDir: string | null;
  try {
    backupDir = await createBackup(fs, configDir, filesToBackUp(plan), now());
  } catch (err) {
    throw describeFsError(
      'back up the files about to change in',
      path.join(configDir, '.osa-gitops/backups'),
      err,
    );
  }
  if (backupDir)
    log.info(`backed up ${filesToBackUp(plan).length} file(s) to ${path.join(configDir, backupDir)}`);
  if (opts.report) {
    opts.report.backupDir = backupDir;
    opts.report.backedUp = backupDir ? filesToBackUp(plan) : [];
    opts.report.adopted = plan.writes.filter((w) => w.adopted).map((w) => w.path);
  }
  await step(opts, 'backed-up');

  let journal: Journal = {
    version: 1,
    phase: 'syncing',
    site: opts.site,
    commit: opts.commit,
    startedAt: now().toISOString(),
    owner: currentProcessIdentity(),
    backupDir,
    ops: [
      ...plan.writes.map((w) => ({ path: w.path, op: 'write' as const, backedUp: w.existed })),
      ...plan.removes.map((r) => ({ path: r, op: 'remove' as const, backedUp: true })),
    ],
    manifest: !plan.manifestChanged ? 'unchanged' : plan.manifestExists ? 'replaced' : 'created',
    createdDirs: plan.createDirs,
    restoreOnFailure: opts.restoreOnFailure,
  };
  await writeJournal(fs, configDir, journal);
  await step(opts, 'journal-written');

  let inventoryBefore: string | null = null;
  try {
    await applySync(fs, configDir, plan, opts.tree);
    // What the inventory was before the playbook could change it (see inventory-fingerprint.ts).
    inventoryBefore = await inventoryFingerprint(fs, configDir);
    journal = { ...journal, phase: 'synced', inventoryBefore };
    await writeJournal(fs, configDir, journal);
  } catch (err) {
    log.error(err instanceof Error ? err.message : String(err));
    await restore(opts, fs, journal, 'the sync failed');
    throw new DeployError('the sync failed; the previous owned files are back in place', { cause: err });
  }
  logSync(opts, plan);
  if (opts.report) {
    opts.report.written = plan.writes.map((w) => w.path);
    opts.report.removed = [...plan.removes];
  }
  await step(opts, 'synced');

  const args = playbookArgs(opts.extraArgs);
  log.info(`running ${formatCommand(osaBin, args)} in ${opts.osaDir} (OSA_CONFIG_DIR=${configDir})`);
  const result = await runPlaybook({
    osaBin,
    osaDir: opts.osaDir,
    configDir,
    extraArgs: opts.extraArgs,
    env: opts.env,
    timeoutMs: opts.timeoutMs,
    killGraceMs,
    log,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onSpawn: async (pid) => {
      const procStart = processStartTime(pid);
      const playbook = {
        pid,
        pgid: pid,
        host: os.hostname(),
        ...(procStart !== undefined ? { procStart } : {}),
      };
      journal = { ...journal, phase: 'playbook', playbook };
      await writeJournal(fs, configDir, journal);
      await step(opts, 'playbook-started');
    },
  });
  await step(opts, 'playbook-done');
  const how = result.timedOut ? ' (timed out)' : result.aborted ? ' (interrupted)' : '';
  const exitLine = `the playbook exited with code ${result.exitCode}${how}`;
  if (result.exitCode === 0) log.info(exitLine);
  else log.error(exitLine);
  if (opts.report) opts.report.playbookExitCode = result.exitCode;

  if (result.exitCode !== 0) {
    const inventoryChanged = (await inventoryFingerprint(fs, configDir)) !== inventoryBefore;
    let outcome: string;
    if (opts.restoreOnFailure && inventoryChanged) {
      await keepForInventory(opts, fs, journal, now());
      outcome = `the new files were kept because it changed ${INVENTORY_FILE} (see restoreCommand)`;
    } else if (opts.restoreOnFailure) {
      await restore(opts, fs, journal, 'the playbook failed');
      outcome = 'the previous owned files were restored';
    } else {
      await clearJournal(fs, configDir);
      log.warn('--no-restore: the new files stay in place although the playbook failed');
      outcome = 'the new files stay in place (--no-restore)';
    }
    // The summary's `error` is "the refusal or failure message" (docs/cli.md): a failed playbook
    // returns its exit code instead of throwing, so the caller would otherwise leave it null.
    if (opts.report) opts.report.error = `${exitLine}; ${outcome}`;
    await prune(opts, fs);
    return result.exitCode;
  }

  // Journal first: were it still there, the next deploy would roll this successful one back.
  await clearJournal(fs, configDir);
  await step(opts, 'journal-cleared');
  const deployedAt = now().toISOString();
  await writeState(fs, configDir, { site: opts.site, commit: opts.commit, deployedAt, backupDir });
  await step(opts, 'state-written');
  await prune(opts, fs);
  log.info(`deployed ${opts.site} at commit ${opts.commit ?? 'unknown'} to ${configDir}`);
  return 0;
}

/** Unowned overrides and OSA's inventory check: errors stop the deploy before any change. */
async function preflight(opts: DeploySiteOptions, fs: DeployFs, plan: SyncPlan): Promise<void> {
  const findings = await checkUnownedOverrides(fs, opts.configDir, opts.tree, plan.previousOwned);
  reportFindings(opts, findings);
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    throw new DeployError(
      `${errors.length} file(s) in ${opts.configDir} that osa-gitops does not own would override what it deploys; ` +
        'nothing was changed',
    );
  }
  const inv = await checkInventory({
    configDir: opts.configDir,
    osaDir: opts.osaDir,
    python: opts.python,
    tree: opts.tree,
    plan,
    env: opts.env,
  });
  opts.log.info(
    inv.ran
      ? "OSA's inventory check passed on the synced copy"
      : `OSA's inventory check skipped: ${inv.reason}`,
  );
}

export function reportFindings(
  opts: Pick<DeploySiteOptions, 'log' | 'configDir'>,
  findings: readonly Finding[],
): void {
  for (const f of findings) {
    const line = `${path.join(opts.configDir, f.file)} ${f.message}`;
    if (f.severity === 'error') opts.log.error(line);
    else opts.log.warn(line);
  }
}

/**
 * The playbook failed after it changed openstack_inventory.json: OSA never removes what it
 * allocated, so the new config is the one that matches the inventory now. Keep it, leave the way
 * back (an undo record in the backup), and say so loudly with the exact command.
 */
async function keepForInventory(
  opts: DeploySiteOptions,
  fs: DeployFs,
  journal: Journal,
  at: Date,
): Promise<void> {
  const id = await writeUndoRecord(fs, opts.configDir, journal, opts.tree.get(MANIFEST_FILE)!, at);
  await clearJournal(fs, opts.configDir);
  const command = restoreCommand(opts.site, opts.configDir, id);
  if (opts.report) {
    opts.report.restoreSkipped = 'inventory-changed';
    opts.report.restoreCommand = command;
    // A first deploy backed nothing up (backupDir null until now), but the undo record made a
    // backup dir: the one restoreCommand names, so the summary must name it too.
    opts.report.backupDir = path.posix.join(STATE_DIR, 'backups', id);
  }
  opts.log.error(
    [
      `the playbook failed AFTER it changed ${INVENTORY_FILE}: the previous files were NOT restored.`,
      'OSA never removes the containers and addresses a run allocated, so the config this deploy wrote is the one that',
      'matches the inventory now; putting the old one back automatically would leave the two out of step (e.g. an',
      'is_metal: false override reverted while the inventory already holds the new containers).',
      'Find out why it failed, then deploy again (the same commit, or a fix). To put the previous files back anyway:',
      `  ${command}`,
      `(the old files are in ${path.join(opts.configDir, STATE_DIR, 'backups', id)}/; ${INVENTORY_FILE} is not restored either way)`,
    ].join('\n'),
  );
}

/** Operator files we would replace whole without `--adopt`: refused, saying what to do. */
function refuseUnownedFiles(opts: DeploySiteOptions, plan: SyncPlan): void {
  for (const p of plan.adoptNotNeeded)
    opts.log.warn(`--adopt ${p}: nothing to adopt (it is ours already, absent, or identical to ours)`);
  if (plan.refusedAdoptions.length === 0) return;
  for (const f of plan.refusedAdoptions) opts.log.error(describeRefusedAdoption(f, opts.configDir));
  throw new DeployError(
    `${plan.refusedAdoptions.length} file(s) in ${opts.configDir} that osa-gitops does not own would be replaced ` +
      `whole (${plan.refusedAdoptions.map((f) => f.path).join(', ')}); nothing was changed`,
  );
}

async function restore(opts: DeploySiteOptions, fs: DeployFs, journal: Journal, why: string): Promise<void> {
  try {
    const r = await rollBack(fs, opts.configDir, journal);
    await clearJournal(fs, opts.configDir);
    if (opts.report) opts.report.restored = true;
    opts.log.warn(
      `${why}: restored the previous owned files (${r.restored.length} restored` +
        `${journal.backupDir ? ` from ${journal.backupDir}` : ''}, ${r.removed.length} new file(s) removed)`,
    );
  } catch (err) {
    throw new DeployError(
      `${why}, and restoring the previous files failed too: ${(err as Error).message}. The journal ` +
        `${statePaths(opts.configDir).journal} stays, so the next deploy retries the restore first.`,
      { cause: err },
    );
  }
}

function logSync(opts: DeploySiteOptions, plan: SyncPlan): void {
  for (const w of plan.writes) opts.log.info(`wrote ${w.path}`);
  for (const r of plan.removes) opts.log.info(`removed ${r} (no longer rendered)`);
  opts.log.info(
    `synced ${plan.writes.length} written, ${plan.removes.length} removed, ${plan.unchanged.length} unchanged` +
      (plan.manifestChanged ? '; manifest updated' : ''),
  );
}

async function prune(opts: DeploySiteOptions, fs: DeployFs): Promise<void> {
  try {
    const dropped = await pruneBackups(fs, opts.configDir, opts.keepBackups);
    if (dropped.length > 0)
      opts.log.info(`removed ${dropped.length} old backup(s), keeping ${opts.keepBackups}`);
  } catch (err) {
    opts.log.warn(`could not prune old backups: ${(err as Error).message}`);
  }
}

async function step(opts: Pick<DeploySiteOptions, 'report' | 'onStep'>, name: DeployStep): Promise<void> {
  opts.report?.steps.push(name);
  await opts.onStep?.(name);
}

function interruptible(opts: DeploySiteOptions): void {
  if (opts.signal?.aborted) throw new DeployError('interrupted before the sync; nothing was changed');
}

async function requireDirectory(dir: string, what: string): Promise<void> {
  if (!path.isAbsolute(dir))
    throw new DeployError(`${what} must be an absolute path, not ${JSON.stringify(dir)}`);
  try {
    if ((await fsp.stat(dir)).isDirectory()) return;
  } catch {
    // reported below
  }
  throw new DeployError(`${what} ${dir} does not exist or is not a directory; nothing was changed`);
}

async function requirePlaybook(osaDir: string): Promise<void> {
  const file = path.join(osaDir, PLAYBOOK);
  try {
    if ((await fsp.stat(file)).isFile()) return;
  } catch {
    // reported below
  }
  throw new DeployError(
    `${file} does not exist: is ${osaDir} an openstack-ansible checkout? Nothing was changed`,
  );
}
