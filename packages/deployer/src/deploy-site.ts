import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MANIFEST_FILE } from '@osa-gitops/render';
import { createBackup, mkdirIfMissing, pruneBackups } from './backup';
import { DeployError, describeFsError } from './deploy-error';
import { nodeDeployFs, type DeployFs } from './deploy-fs';
import { remainingMs } from './deadline';
import { DEFAULTS, type DeploySiteOptions } from './deploy-options';
import type { DeployReport } from './deploy-report';
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
import { requireTrustedDir } from './safe-dirs';
import { requireTrustedOsaDir, requireTrustedPath } from './trusted-path';
import { rollBack } from './rollback';
import {
  formatCommand,
  PLAYBOOK,
  playbookArgs,
  resolveExecutable,
  runPlaybook,
  type PlaybookResult,
} from './run-playbook';
import { writeState } from './state';
import { statePaths, STATE_DIR } from './state-paths';
import { applySync } from './sync';
import { describeRefusedAdoption, filesToBackUp, planSync, type SyncPlan } from './sync-plan';
import { EXIT_UNPLANNED, planDeployStages, unplannedStage } from './stages/deploy-stages';
import type { DeployStage } from '@osa-gitops/report';
import { appendFileSync } from 'node:fs';
import { runStages } from './stages/run-stages';

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
  await requireTrustedPath(fs, opts.configDir, 'the OSA config dir (--config-dir)');
  await requireTrustedOsaDir(fs, opts.osaDir, 'the openstack-ansible checkout (--osa-dir)');
  const osaBin = await resolveExecutable(opts.osaBin, opts.env);

  record(opts, { configDir: opts.configDir });
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
  await requireTrustedPath(fs, opts.configDir, 'the OSA config dir (--config-dir)');
  record(opts, { configDir: opts.configDir, restoreFrom: opts.backupId });
  return withDeployLock(opts, fs, async () => {
    await recoverUnfinishedDeploy(fs, opts.configDir, opts.log, {
      killGraceMs: opts.killGraceMs ?? DEFAULTS.killGraceMs,
    });
    await step(opts, 'recovered');
    const r = await restoreBackup(fs, opts.configDir, opts.site, opts.backupId, opts.log);
    record(opts, {
      restored: true,
      written: r.restored,
      removed: r.removed,
      backupDir: path.posix.join(STATE_DIR, 'backups', opts.backupId),
    });
    return 0;
  });
}

async function withDeployLock(
  opts: RestoreSiteOptions | DeploySiteOptions,
  fs: DeployFs,
  locked: () => Promise<number>,
): Promise<number> {
  const paths = statePaths(opts.configDir);
  // Not through a link: requireTrustedPath refused one before the lock (and this is checked again).
  await requireTrustedDir(fs, opts.configDir, 'the OSA config dir');
  try {
    await mkdirIfMissing(fs, paths.stateDir, 0o700);
  } catch (err) {
    throw describeFsError('create the deployer state dir', paths.stateDir, err);
  }
  await requireTrustedDir(fs, paths.stateDir, 'the deployer state dir');
  const lock = await acquireDeployLock({
    fs,
    configDir: opts.configDir,
    site: opts.site,
    log: opts.log,
    timeoutMs: 'deadline' in opts ? remainingMs(opts, opts.lockTimeoutMs) : opts.lockTimeoutMs,
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

/**
 * The deploy proper, under the lock: each step does one thing and returns what it did; the
 * `--json` summary is filled from those results here (record), in one place.
 */
async function deployLocked(opts: DeploySiteOptions, fs: DeployFs, osaBin: string): Promise<number> {
  const now = opts.now ?? (() => new Date());
  const killGraceMs = opts.killGraceMs ?? DEFAULTS.killGraceMs;

  await recoverUnfinishedDeploy(fs, opts.configDir, opts.log, { killGraceMs });
  await step(opts, 'recovered');

  const plan = await planSync(fs, opts.configDir, opts.tree, opts.adopt ?? []);
  refuseUnownedFiles(opts, plan);
  // Stages are planned from the files the config dir holds before the sync (what the hosts were
  // last built from) and whatever an earlier deploy left pending.
  const stages = opts.staged
    ? await planDeployStages(fs, opts.configDir, opts.site, opts.staged, opts.tree, plan.previousOwned)
    : undefined;
  if (stages) opts.log.info(`stages: ${stages.map((s) => s.name).join(' → ')}`);
  const unplanned = stages && unplannedHostNetworking(opts, stages);
  if (unplanned !== undefined) return unplanned;
  await preflight(opts, fs, plan);
  await step(opts, 'preflight-done');
  interruptible(opts);

  const backup = await backUp(opts, fs, plan, now());
  record(opts, backup);
  await step(opts, 'backed-up');

  const journal = await openJournal(opts, fs, plan, backup.backupDir, now());
  await step(opts, 'journal-written');

  const synced = await sync(opts, fs, plan, journal);
  record(opts, { written: synced.written, removed: synced.removed });
  await step(opts, 'synced');

  if (stages) {
    return runStages({
      opts,
      fs,
      osaBin,
      stages,
      journal: synced.journal,
      inventoryBefore: synced.inventoryBefore,
      backupDir: backup.backupDir,
      now,
      hooks: {
        keepForInventory: async (...a) => record(opts, await keepForInventory(...a)),
        restore: async (...a) => record(opts, await restore(...a)),
        prune,
        step,
      },
    });
  }

  const played = await play(opts, fs, osaBin, synced.journal, killGraceMs);
  record(opts, { playbookExitCode: played.exitCode });

  if (played.exitCode !== 0) {
    record(opts, await afterFailedPlaybook(opts, fs, played, synced.inventoryBefore, now()));
    await prune(opts, fs);
    return played.exitCode;
  }
  await finish(opts, fs, backup.backupDir, now());
  return 0;
}

/** The fields of the `--json` summary (DeployReport) a step of a deploy or restore fills in. */
type ReportFields = Partial<Omit<DeployReport, 'schemaVersion' | 'command' | 'steps'>>;

/** The one writer of the summary's fields: what the steps returned (steps: see `step`). */
function record(opts: Pick<DeploySiteOptions, 'report'>, fields: ReportFields): void {
  if (opts.report) Object.assign(opts.report, fields);
}

interface BackupResult {
  /** The backup's folder relative to the config dir; null when nothing needed backing up. */
  readonly backupDir: string | null;
  readonly backedUp: string[];
  readonly adopted: string[];
}

/** Copy every file about to be replaced or removed (and the manifest) into a new backup. */
async function backUp(
  opts: DeploySiteOptions,
  fs: DeployFs,
  plan: SyncPlan,
  at: Date,
): Promise<BackupResult> {
  const adopted = plan.writes.filter((w) => w.adopted).map((w) => w.path);
  for (const p of adopted) {
    opts.log.warn(
      `adopting ${p} (--adopt): it is replaced whole and owned from now on (the old file is backed up)`,
    );
  }
  const files = filesToBackUp(plan);
  let backupDir: string | null;
  try {
    backupDir = await createBackup(fs, opts.configDir, files, at);
  } catch (err) {
    throw describeFsError(
      'back up the files about to change in',
      path.join(opts.configDir, '.osa-gitops/backups'),
      err,
    );
  }
  if (backupDir)
    opts.log.info(`backed up ${files.length} file(s) to ${path.join(opts.configDir, backupDir)}`);
  return { backupDir, backedUp: backupDir ? files : [], adopted };
}

/** The journal a crashed deploy is recovered from (recover.ts), written before the first change. */
async function openJournal(
  opts: DeploySiteOptions,
  fs: DeployFs,
  plan: SyncPlan,
  backupDir: string | null,
  at: Date,
): Promise<Journal> {
  const journal: Journal = {
    version: 1,
    phase: 'syncing',
    site: opts.site,
    commit: opts.commit,
    startedAt: at.toISOString(),
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
  await writeJournal(fs, opts.configDir, journal);
  return journal;
}

interface SyncResult {
  /** The journal, now in phase `synced`. */
  readonly journal: Journal;
  /** OSA's inventory before the playbook could change it (inventory-fingerprint.ts). */
  readonly inventoryBefore: string | null;
  readonly written: string[];
  readonly removed: string[];
}

/** Write the plan into the config dir; on any failure put the previous files back and throw. */
async function sync(
  opts: DeploySiteOptions,
  fs: DeployFs,
  plan: SyncPlan,
  journal: Journal,
): Promise<SyncResult> {
  let synced: Journal;
  let inventoryBefore: string | null;
  try {
    await applySync(fs, opts.configDir, plan, opts.tree);
    inventoryBefore = await inventoryFingerprint(fs, opts.configDir);
    synced = { ...journal, phase: 'synced', inventoryBefore };
    await writeJournal(fs, opts.configDir, synced);
  } catch (err) {
    opts.log.error(err instanceof Error ? err.message : String(err));
    record(opts, await restore(opts, fs, journal, 'the sync failed'));
    throw new DeployError('the sync failed; the previous owned files are back in place', { cause: err });
  }
  logSync(opts, plan);
  return {
    journal: synced,
    inventoryBefore,
    written: plan.writes.map((w) => w.path),
    removed: [...plan.removes],
  };
}

interface PlaybookRun extends PlaybookResult {
  /** The journal as last written (phase `playbook` once the child ran). */
  readonly journal: Journal;
  /** "the playbook exited with code N", for the log and a failure's summary. */
  readonly exitLine: string;
}

/** Run the playbook, recording its process in the journal as soon as it exists; log how it ended. */
async function play(
  opts: DeploySiteOptions,
  fs: DeployFs,
  osaBin: string,
  synced: Journal,
  killGraceMs: number,
): Promise<PlaybookRun> {
  const { log, configDir } = opts;
  let journal = synced;
  const args = playbookArgs(opts.extraArgs);
  log.info(`running ${formatCommand(osaBin, args)} in ${opts.osaDir} (OSA_CONFIG_DIR=${configDir})`);
  const result = await runPlaybook({
    osaBin,
    osaDir: opts.osaDir,
    configDir,
    extraArgs: opts.extraArgs,
    env: opts.env,
    timeoutMs: Math.max(1, remainingMs(opts, opts.timeoutMs)),
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
  return { ...result, journal, exitLine };
}

/**
 * A failed playbook: restore the previous files, keep the new ones when the playbook changed
 * OSA's inventory (keepForInventory), or keep them on `--no-restore`. Returns the summary fields.
 */
async function afterFailedPlaybook(
  opts: DeploySiteOptions,
  fs: DeployFs,
  played: PlaybookRun,
  inventoryBefore: string | null,
  at: Date,
): Promise<ReportFields> {
  const inventoryChanged = (await inventoryFingerprint(fs, opts.configDir)) !== inventoryBefore;
  let outcome: string;
  let fields: ReportFields;
  if (opts.restoreOnFailure && inventoryChanged) {
    fields = await keepForInventory(opts, fs, played.journal, at);
    outcome = `the new files were kept because it changed ${INVENTORY_FILE} (see restoreCommand)`;
  } else if (opts.restoreOnFailure) {
    fields = await restore(opts, fs, played.journal, 'the playbook failed');
    outcome = 'the previous owned files were restored';
  } else {
    await clearJournal(fs, opts.configDir);
    opts.log.warn('--no-restore: the new files stay in place although the playbook failed');
    fields = {};
    outcome = 'the new files stay in place (--no-restore)';
  }
  // The summary's `error` is "the refusal or failure message" (docs/cli.md): a failed playbook
  // returns its exit code instead of throwing, so the caller would otherwise leave it null.
  return { ...fields, error: `${played.exitLine}; ${outcome}` };
}

/** A successful playbook: drop the journal, record state.json, prune old backups. */
async function finish(
  opts: DeploySiteOptions,
  fs: DeployFs,
  backupDir: string | null,
  at: Date,
): Promise<void> {
  // Journal first: were it still there, the next deploy would roll this successful one back.
  await clearJournal(fs, opts.configDir);
  await step(opts, 'journal-cleared');
  await writeState(fs, opts.configDir, {
    site: opts.site,
    commit: opts.commit,
    deployedAt: at.toISOString(),
    backupDir,
  });
  await step(opts, 'state-written');
  await prune(opts, fs);
  opts.log.info(`deployed ${opts.site} at commit ${opts.commit ?? 'unknown'} to ${opts.configDir}`);
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
): Promise<ReportFields> {
  const id = await writeUndoRecord(fs, opts.configDir, journal, opts.tree.get(MANIFEST_FILE)!, at);
  await clearJournal(fs, opts.configDir);
  const command = restoreCommand(opts.site, opts.configDir, id);
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
  return {
    restoreSkipped: 'inventory-changed',
    restoreCommand: command,
    // A first deploy backed nothing up (backupDir null until now), but the undo record made a
    // backup dir: the one restoreCommand names, so the summary must name it too.
    backupDir: path.posix.join(STATE_DIR, 'backups', id),
  };
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

/** Put the previous owned files back from the journal and its backup; throws when that fails. */
async function restore(
  opts: DeploySiteOptions,
  fs: DeployFs,
  journal: Journal,
  why: string,
): Promise<ReportFields> {
  try {
    const r = await rollBack(fs, opts.configDir, journal);
    await clearJournal(fs, opts.configDir);
    opts.log.warn(
      `${why}: restored the previous owned files (${r.restored.length} restored` +
        `${journal.backupDir ? ` from ${journal.backupDir}` : ''}, ${r.removed.length} new file(s) removed)`,
    );
    return { restored: true };
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

/**
 * The plan said this change needs no host-networking stage (`planned: 'none'`), so no approval
 * was asked for it, but this host's config dir says otherwise: stop before the sync, say why and
 * how to get the approval (EXIT_UNPLANNED). Undefined when the deploy may go on.
 */
function unplannedHostNetworking(
  opts: DeploySiteOptions,
  stages: readonly DeployStage[],
): number | undefined {
  const staged = opts.staged;
  const stage = staged && unplannedStage(staged, stages);
  if (!staged || !stage) return undefined;
  const lines = [
    `the deploy plan foresaw no host-networking stage for ${opts.site}, but this host needs one ` +
      `(${stage.why}; hosts ${(stage.hosts ?? []).join(', ') || 'none'}): its config dir is behind the commit the plan compared with.`,
    'Nothing was changed. The stage needs its own approval; run the deploy workflow by hand with ' +
      `sites=${opts.site}: its plan asks the ${opts.site}-host-networking environment's reviewers, then deploys.`,
  ];
  for (const l of lines) opts.log.error(l);
  record(opts, { error: `host networking needed but not planned: ${stage.command}` });
  if (staged.summaryFile) {
    try {
      appendFileSync(
        staged.summaryFile,
        `### Deploy ${opts.site}: stopped before it started\n\n${lines.join('\n\n')}\n\n\`${stage.command}\`\n`,
      );
    } catch (err) {
      opts.log.warn(`could not write the summary to ${staged.summaryFile}: ${(err as Error).message}`);
    }
  }
  return EXIT_UNPLANNED;
}
