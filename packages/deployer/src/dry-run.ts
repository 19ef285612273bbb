import * as path from 'node:path';
import { allocationToJson, formatAllocationText, MANIFEST_FILE } from '@osa-gitops/render';
import { describeApproval, type DeployStage } from '@osa-gitops/report';
import { backupName } from './backup';
import { DeployError } from './deploy-error';
import type { DeployFs } from './deploy-fs';
import type { DeploySiteOptions } from './deploy-options';
import { checkInventory } from './inventory-check';
import { previewOnHost } from './preview-on-host';
import { readJournal } from './journal';
import { describeHolder, readHolder } from './lock';
import { checkUnownedOverrides } from './preflight';
import { formatCommand, playbookArgs } from './run-playbook';
import { EXIT_UNPLANNED, EXIT_WAITING, planDeployStages, unplannedStage } from './stages/deploy-stages';
import { stageArgs } from './stages/stage-argv';
import { stageGate } from './stages/stage-gate';
import { statePaths, STATE_DIR } from './state-paths';
import { describeRefusedAdoption, filesToBackUp, planSync } from './sync-plan';

/**
 * `--dry-run`: every step a deploy would take, computed from the config dir as it is, and no
 * change to it (no lock, no backup, no journal; OSA's inventory check runs on a temp copy).
 * Returns 1 when the real deploy would refuse, else 0.
 */
export async function describeDryRun(
  opts: DeploySiteOptions & { fs: DeployFs; osaBin: string },
): Promise<number> {
  const { fs, log, configDir } = opts;
  const paths = statePaths(configDir);
  log.info(`dry run: nothing in ${configDir} will be changed`);

  const holder = await readHolder(fs, paths.lock);
  if (holder === 'unreadable') log.warn(`${paths.lock} exists but is unreadable; a deploy would wait for it`);
  else if (holder !== 'missing')
    log.info(`would wait for the deploy lock, now held by ${describeHolder(holder)}`);
  else log.info(`would take the deploy lock ${paths.lock}`);

  const journal = await readJournal(fs, configDir);
  if (journal) {
    log.warn(
      `an unfinished deploy (phase ${journal.phase}, started ${journal.startedAt}) would be recovered first from ` +
        `${journal.backupDir ?? '(no backup)'}; the plan below is computed from the files as they are now`,
    );
  }

  const plan = await planSync(fs, configDir, opts.tree, opts.adopt ?? []);
  const refused = new Set(plan.refusedAdoptions.map((f) => f.path));
  for (const dir of plan.createDirs) log.info(`would create the directory ${dir}/`);
  for (const w of plan.writes) {
    if (refused.has(w.path)) continue; // reported below
    const what = !w.existed
      ? 'new'
      : w.adopted
        ? 'adopt an existing file no manifest listed (--adopt)'
        : 'replace';
    log.info(`would write ${w.path} (${what}${w.existed ? ', backed up first' : ''})`);
  }
  for (const f of plan.refusedAdoptions) log.error(describeRefusedAdoption(f, configDir));
  for (const p of plan.adoptNotNeeded)
    log.warn(`--adopt ${p}: nothing to adopt (it is ours already, absent, or identical to ours)`);
  for (const r of plan.removes)
    log.info(`would remove ${r} (owned before, no longer rendered; backed up first)`);
  log.info(`${plan.unchanged.length} owned file(s) already up to date`);
  const backups = filesToBackUp(plan);
  if (backups.length > 0) {
    const dir = path.join(configDir, STATE_DIR, 'backups', backupName(opts.now?.() ?? new Date()));
    log.info(
      `would back up ${backups.length} file(s) to ${dir}/ (${backups.join(', ')}), keeping the last ${opts.keepBackups}`,
    );
  }
  log.info(plan.manifestChanged ? `would write ${MANIFEST_FILE} last` : `${MANIFEST_FILE} is up to date`);

  const findings = await checkUnownedOverrides(fs, configDir, opts.tree, plan.previousOwned);
  for (const f of findings) {
    const line = `${path.join(configDir, f.file)} ${f.message}`;
    if (f.severity === 'error') log.error(line);
    else log.warn(line);
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  let inventoryOk = true;
  try {
    const inv = await checkInventory({ ...opts, plan });
    log.info(
      inv.ran
        ? "OSA's inventory check passed on the synced copy"
        : `OSA's inventory check skipped: ${inv.reason}`,
    );
    if (inv.ran) await logAllocationPreview(opts);
  } catch (err) {
    if (!(err instanceof DeployError)) throw err;
    log.error(err.message);
    inventoryOk = false;
  }

  if (errors > 0 || !inventoryOk || refused.size > 0) {
    // The real deploy stops here, before any change and any stage: so does what is printed.
    log.error('a real deploy would refuse at preflight: nothing would be changed and no stage would run');
    // Exit 1 without a throw: the summary's `error` must still say why (docs/cli.md).
    if (opts.report) opts.report.error = 'a real deploy would refuse at preflight';
    return 1;
  }
  const timeout = `timeout ${Math.round(opts.timeoutMs / 1000)}s`;
  if (opts.staged) {
    describeStages(
      opts,
      await planDeployStages(fs, configDir, opts.site, opts.staged, opts.tree, plan.previousOwned),
      timeout,
    );
  } else {
    log.info(
      `would run ${formatCommand(opts.osaBin, playbookArgs(opts.extraArgs))} in ${opts.osaDir} ` +
        `(OSA_CONFIG_DIR=${configDir}, ${timeout})`,
    );
    log.info(
      `would then record commit ${opts.commit ?? 'unknown'} in ${paths.state}, or ` +
        (opts.restoreOnFailure
          ? 'restore the previous files if the playbook fails'
          : 'keep the new files if it fails'),
    );
  }
  return 0;
}

/**
 * What OSA's generator would allocate (docs/runner-insight.md): containers created or removed and
 * their addresses, computed on another temp copy with the real inventory. Part of the dry run's
 * output and of `--json` (`allocation`); a failure here is already the inventory check's.
 */
async function logAllocationPreview(opts: DeploySiteOptions & { fs: DeployFs }): Promise<void> {
  const result = await previewOnHost({ ...opts, site: opts.site });
  if (!result.ran) return;
  for (const line of formatAllocationText(result.preview).trimEnd().split('\n')) opts.log.info(line);
  if (opts.report) opts.report.allocation = allocationToJson(result.preview);
}

/**
 * The stages as the real deploy would take them with the same options (stage-gate.ts): each one
 * it would run with its exact command, the ones a person did by hand, and, where it would stop
 * for a person, that stop and the stages it would leave pending, and nothing after it.
 */
function describeStages(
  opts: DeploySiteOptions & { fs: DeployFs; osaBin: string },
  stages: readonly DeployStage[],
  timeout: string,
): void {
  const { log, configDir } = opts;
  const staged = opts.staged!;
  const unplanned = unplannedStage(staged, stages);
  if (unplanned) {
    log.error(
      `would stop before changing anything and exit ${EXIT_UNPLANNED}: the deploy plan foresaw no host-networking ` +
        `stage, but this host needs one (${unplanned.command}); no stage would run`,
    );
    return;
  }
  log.info(`in ${opts.osaDir} (OSA_CONFIG_DIR=${configDir}, ${timeout} per stage):`);
  for (const [i, s] of stages.entries()) {
    const label = `stage ${i + 1}/${stages.length} ${s.name}`;
    if (s.name === 'verify') {
      if (staged.verify !== false) log.info(`would run ${label}: ${s.command}`);
      continue;
    }
    const gate = stageGate(s, staged);
    if (gate.action === 'skip') {
      log.info(`would skip ${label}, done by hand (${gate.flag}): ${s.command}`);
      continue;
    }
    const command = formatCommand(opts.osaBin, stageArgs(s, opts.osaDir, opts.extraArgs));
    if (gate.action === 'wait') {
      const rest = stages.slice(i + 1).map((x) => x.name);
      log.info(
        `would stop before ${label} and exit ${EXIT_WAITING}, waiting for a person (${gate.why}; ${describeApproval(opts.site, s)}): ${command}`,
      );
      log.info(
        `would record ${[s.name, ...rest.filter((n) => n !== 'verify')].join(', ')} as pending in .osa-gitops/stages.json; ` +
          `not run by this deploy: ${[s.name, ...rest].join(', ')} (resume with ${gate.flag} done or ${gate.canApprove ? `${gate.flag} approved` : 'after running it by hand'})`,
      );
      return;
    }
    log.info(
      `would run ${label}: ${command}${s.approval === 'site' ? '' : ` (${describeApproval(opts.site, s)})`}  (${s.why})`,
    );
  }
  log.info(
    `would then record commit ${opts.commit ?? 'unknown'} in ${statePaths(configDir).state}; if a stage fails, ` +
      (opts.restoreOnFailure
        ? 'restore the previous files (unless it changed openstack_inventory.json)'
        : 'keep the new files'),
  );
}
