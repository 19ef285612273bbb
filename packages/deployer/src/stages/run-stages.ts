import { appendFileSync } from 'node:fs';
import * as os from 'node:os';
import { escapeMarkdown, inlineCode } from '@osa-gitops/core';
import {
  formatVerifyMarkdown,
  formatVerifyText,
  verifyResultToJson,
  type AppliedStages,
  type VerifyResult,
} from '@osa-gitops/render';
import { type DeployStage, type StageName } from '@osa-gitops/report';
import { deadlineText, remainingMs } from '../deadline';
import { DeployError } from '../deploy-error';
import type { DeployFs } from '../deploy-fs';
import type { DeploySiteOptions } from '../deploy-options';
import type { DeployStep } from '../deploy-steps';
import { INVENTORY_FILE, inventoryFingerprint } from '../inventory-fingerprint';
import { clearJournal, writeJournal, type Journal } from '../journal';
import { processStartTime } from '../process-liveness';
import { EXIT_TIMEOUT, formatCommand, runPlaybook } from '../run-playbook';
import { writeState } from '../state';
import {
  pendingOf,
  readAppliedStages,
  readStageRecord,
  readVerifiedRecord,
  writeStageRecord,
  writeVerifiedRecord,
} from '../verify/stage-record';
import { verifySite } from '../verify/verify-site';
import { EXIT_VERIFY_FAILED, EXIT_WAITING } from './deploy-stages';
import { stageArgs } from './stage-argv';
import { stageGate } from './stage-gate';
import { waitingMessage } from './waiting-message';

/** Verify reads a few commands per container: it never needs the deploy's two hours. */
const VERIFY_TIMEOUT_MS = 15 * 60_000;

export interface StageOutcome {
  readonly name: StageName;
  readonly command: string;
  /** `ran`, `skipped` (done by hand), `waiting` (for a person), `failed`, `not-run` (after a stop). */
  status: 'ran' | 'skipped' | 'waiting' | 'failed' | 'not-run';
  exitCode: number | null;
}

interface Hooks {
  keepForInventory(opts: DeploySiteOptions, fs: DeployFs, journal: Journal, at: Date): Promise<void>;
  restore(opts: DeploySiteOptions, fs: DeployFs, journal: Journal, why: string): Promise<void>;
  prune(opts: DeploySiteOptions, fs: DeployFs): Promise<void>;
  step(opts: DeploySiteOptions, name: DeployStep): Promise<void>;
}

export interface RunStagesInput {
  readonly opts: DeploySiteOptions;
  readonly fs: DeployFs;
  readonly osaBin: string;
  readonly stages: readonly DeployStage[];
  readonly journal: Journal;
  readonly inventoryBefore: string | null;
  readonly backupDir: string | null;
  readonly now: () => Date;
  readonly hooks: Hooks;
}

/**
 * After the sync, under the same lock: run the site's stages in order, then verify. Every stage is
 * a playbook run like the container playbook always was (own process group, journal phase
 * `playbook`, timeout); a failed stage is handled as a failed playbook always was (previous files
 * restored unless the inventory changed or --no-restore), and the log says what it leaves and how
 * to resume. A stage a person must run or approve stops the deploy with the files synced, and
 * `stages.json` remembers what is pending so the next deploy runs it first.
 */
export async function runStages(input: RunStagesInput): Promise<number> {
  const { opts, fs, osaBin, stages, now, hooks } = input;
  const staged = opts.staged!;
  const { log, configDir, site } = opts;
  let journal = input.journal;
  const previous = await readStageRecord(fs, configDir);
  const before: AppliedStages =
    previous?.site === site ? previous.applied : await readAppliedStages(fs, configDir);
  const outcomes: StageOutcome[] = stages.map((s) => ({
    name: s.name,
    command: s.command,
    status: 'not-run',
    exitCode: null,
  }));
  const playbookStages = stages.filter((s) => s.name !== 'verify');
  let verify: VerifyResult | undefined;
  let code = 0;
  try {
    for (const [i, stage] of playbookStages.entries()) {
      const outcome = outcomes[i]!;
      const label = `stage ${i + 1}/${stages.length} ${stage.name}`;
      const gate = stageGate(stage, staged);
      if (gate.action === 'skip') {
        log.info(`${label}: skipped, done by hand (${gate.flag}): ${stage.command}`);
        outcome.status = 'skipped';
        continue;
      }
      if (gate.action === 'wait') {
        outcome.status = 'waiting';
        // The sync is complete and the commands read these files: they stay, with no journal.
        await clearJournal(fs, configDir);
        await writeStageRecord(fs, configDir, {
          site,
          commit: opts.commit,
          updatedAt: now().toISOString(),
          applied: before,
          pending: pendingOf(playbookStages.slice(i)),
        });
        const ranNow = outcomes
          .slice(0, i)
          .filter((o) => o.status === 'ran')
          .map((o) => o.name);
        log.error(
          waitingMessage({
            label,
            gate,
            stage,
            site,
            configDir,
            osaDir: opts.osaDir,
            resumeArgs: staged.resumeArgs ?? [],
            ran: ranNow,
            after: playbookStages
              .slice(i + 1)
              .map((s) => s.name)
              .concat(stages.some((s) => s.name === 'verify') ? ['verify'] : []),
          }),
        );
        if (opts.report) opts.report.error = `waiting for the ${stage.name} stage: ${stage.command}`;
        await hooks.prune(opts, fs);
        code = EXIT_WAITING;
        return code;
      }

      const args = stageArgs(stage, opts.osaDir, opts.extraArgs);
      const timeoutMs = remainingMs(opts, opts.timeoutMs);
      if (timeoutMs <= 0) {
        // The deadline passed before this stage: it does not start, and the deploy stops as if it
        // had timed out, restoring while the job still has time to.
        log.error(`${label}: not started, the deploy's deadline has passed${deadlineText(opts)}`);
        outcome.status = 'failed';
        outcome.exitCode = EXIT_TIMEOUT;
        code = EXIT_TIMEOUT;
        await stageFailed(input, journal, i, EXIT_TIMEOUT, true, before);
        return code;
      }
      log.info(
        `${label}: running ${formatCommand(osaBin, args)} in ${opts.osaDir} (OSA_CONFIG_DIR=${configDir})`,
      );
      const result = await runPlaybook({
        osaBin,
        osaDir: opts.osaDir,
        configDir,
        extraArgs: opts.extraArgs,
        args,
        env: opts.env,
        timeoutMs,
        killGraceMs: opts.killGraceMs ?? 30_000,
        log,
        ...(opts.signal ? { signal: opts.signal } : {}),
        onSpawn: async (pid) => {
          const procStart = processStartTime(pid);
          journal = {
            ...journal,
            phase: 'playbook',
            playbook: {
              pid,
              pgid: pid,
              host: os.hostname(),
              ...(procStart !== undefined ? { procStart } : {}),
            },
          };
          await writeJournal(fs, configDir, journal);
          await hooks.step(opts, 'playbook-started');
        },
      });
      await hooks.step(opts, 'playbook-done');
      outcome.exitCode = result.exitCode;
      if (opts.report) opts.report.playbookExitCode = result.exitCode;
      if (result.exitCode === 0) {
        outcome.status = 'ran';
        log.info(`${label}: done`);
        continue;
      }
      outcome.status = 'failed';
      code = result.exitCode;
      await stageFailed(input, journal, i, result.exitCode, result.timedOut, before);
      return code;
    }

    // Journal first: were it still there, the next deploy would roll this one back.
    await clearJournal(fs, configDir);
    await hooks.step(opts, 'journal-cleared');
    await writeState(fs, configDir, {
      site,
      commit: opts.commit,
      deployedAt: now().toISOString(),
      backupDir: input.backupDir,
    });
    await hooks.step(opts, 'state-written');
    const ran = new Set(
      outcomes.filter((o) => o.status === 'ran' || o.status === 'skipped').map((o) => o.name),
    );
    // HAProxy is live (VIPs included) when its stage and keepalived's each ran now or were not
    // needed by this change, and HAProxy ran now or before.
    const needed = new Set(stages.map((s) => s.name));
    const upToDate = (n: StageName) => ran.has(n) || !needed.has(n);
    const applied: AppliedStages = {
      containers: true,
      haproxy: upToDate('haproxy') && upToDate('keepalived') && (before.haproxy || ran.has('haproxy')),
    };
    await writeStageRecord(fs, configDir, {
      site,
      commit: opts.commit,
      updatedAt: now().toISOString(),
      applied,
      pending: [],
    });
    await hooks.prune(opts, fs);
    log.info(`deployed ${site} at commit ${opts.commit ?? 'unknown'} to ${configDir}`);

    const verifyIndex = stages.findIndex((s) => s.name === 'verify');
    if (verifyIndex < 0 || staged.verify === false) return 0;
    const outcome = outcomes[verifyIndex]!;
    try {
      verify = await verifySite({
        environment: staged.environment,
        configDir,
        osaDir: opts.osaDir,
        osaBin,
        env: opts.env,
        timeoutMs: Math.max(1, remainingMs(opts, Math.min(opts.timeoutMs, VERIFY_TIMEOUT_MS))),
        ...(opts.killGraceMs !== undefined ? { killGraceMs: opts.killGraceMs } : {}),
        log,
        ...(opts.signal ? { signal: opts.signal } : {}),
        applied,
      });
    } catch (err) {
      if (!(err instanceof DeployError)) throw err;
      log.error(err.message);
      outcome.status = 'failed';
      code = EXIT_VERIFY_FAILED;
      if (opts.report) opts.report.error = `verify: no verdict: ${err.message}`;
      return code;
    }
    for (const line of formatVerifyText(verify).trimEnd().split('\n')) log.info(line);
    if (opts.report) opts.report.verify = verifyResultToJson(verify);
    if (!verify.ok) {
      outcome.status = 'failed';
      code = EXIT_VERIFY_FAILED;
      log.error(
        `verify: ${verify.counts.fail} check(s) failed: the deployed files stay (every stage ran); fix the definition ` +
          'and merge, or revert to the last verified commit (the deploy workflow opens that pull request)',
      );
      if (opts.report) opts.report.error = `verification failed: ${verify.counts.fail} check(s)`;
      return code;
    }
    outcome.status = 'ran';
    if (opts.commit && verify.counts['not-applicable'] === 0) {
      await writeVerifiedRecord(fs, configDir, {
        site,
        commit: opts.commit,
        verifiedAt: now().toISOString(),
      });
      log.info(`verify: passed; ${opts.commit} is the last verified commit of ${site}`);
    }
    return 0;
  } finally {
    if (opts.report) {
      opts.report.stages = outcomes.map((o) => ({ ...o }));
      opts.report.lastVerifiedCommit = await lastVerified(fs, configDir, site, log);
    }
    if (staged.summaryFile) {
      try {
        appendFileSync(staged.summaryFile, summaryMarkdown(site, opts.commit, outcomes, code, verify));
      } catch (err) {
        log.warn(`could not write the summary to ${staged.summaryFile}: ${(err as Error).message}`);
      }
    }
  }
}

/** The site's last verified commit on this host, for the summary; a read error only warns. */
async function lastVerified(
  fs: DeployFs,
  configDir: string,
  site: string,
  log: DeploySiteOptions['log'],
): Promise<string | null> {
  try {
    const record = await readVerifiedRecord(fs, configDir);
    return record?.site === site ? record.commit : null;
  } catch (err) {
    log.warn(`could not read the last verified commit: ${(err as Error).message}`);
    return null;
  }
}

/**
 * A stage's playbook failed: the same rule as a failed container playbook (restore the previous
 * files unless the inventory changed or --no-restore), then say what the stages left and how to
 * go on. Files that stay are recorded with the stages still to run.
 */
async function stageFailed(
  input: RunStagesInput,
  journal: Journal,
  index: number,
  exitCode: number,
  timedOut: boolean,
  before: AppliedStages,
): Promise<void> {
  const { opts, fs, stages, hooks, now } = input;
  const { log, configDir, site } = opts;
  const playbookStages = stages.filter((s) => s.name !== 'verify');
  const stage = playbookStages[index]!;
  const done = playbookStages.slice(0, index).map((s) => s.name);
  const exitLine = `stage ${stage.name} exited with code ${exitCode}${timedOut ? ' (timed out)' : ''}`;
  log.error(exitLine);
  const inventoryChanged = (await inventoryFingerprint(fs, configDir)) !== input.inventoryBefore;
  let kept: boolean;
  let outcome: string;
  if (opts.restoreOnFailure && inventoryChanged) {
    await hooks.keepForInventory(opts, fs, journal, now());
    kept = true;
    outcome = `the new files were kept because it changed ${INVENTORY_FILE}`;
  } else if (opts.restoreOnFailure) {
    await hooks.restore(opts, fs, journal, `stage ${stage.name} failed`);
    kept = false;
    outcome = 'the previous owned files were restored';
  } else {
    await clearJournal(fs, configDir);
    kept = true;
    outcome = 'the new files stay in place (--no-restore)';
  }
  if (kept) {
    await writeStageRecord(fs, configDir, {
      site,
      commit: opts.commit,
      updatedAt: now().toISOString(),
      applied: { containers: before.containers && stage.name !== 'containers', haproxy: false },
      pending: pendingOf(playbookStages.slice(index)),
    });
  }
  log.error(
    [
      `${exitLine}; ${outcome}.`,
      done.length > 0
        ? `Already done with the new files, and not undone: ${done.join(', ')}${done.includes('host-networking') ? ' (those hosts keep their new networking)' : ''}.`
        : 'No earlier stage ran.',
      kept
        ? `The stages from ${stage.name} on are recorded as pending: fix the cause and run the deploy again (this commit or a later one); it runs them first.`
        : 'Fix the cause and run the deploy again (this commit or a later one): it plans the stages again from the restored files.',
    ].join('\n'),
  );
  if (opts.report) opts.report.error = `${exitLine}; ${outcome}`;
  await hooks.prune(opts, fs);
}

function summaryMarkdown(
  site: string,
  commit: string | null,
  outcomes: readonly StageOutcome[],
  code: number,
  verify: VerifyResult | undefined,
): string {
  const out = [
    `### Deploy ${escapeMarkdown(site)}${commit ? ` at ${inlineCode(commit)}` : ''}: ${code === 0 ? 'done' : code === EXIT_WAITING ? 'waiting for a person' : code === EXIT_VERIFY_FAILED ? 'verification failed' : `failed (exit ${code})`}`,
    '',
    '| # | stage | command | result |',
    '| --- | --- | --- | --- |',
    ...outcomes.map(
      (o, i) =>
        `| ${i + 1} | ${o.name} | ${inlineCode(o.command).replace(/\|/g, '\\|')} | ${o.status}${o.exitCode !== null && o.exitCode !== 0 ? ` (exit ${o.exitCode})` : ''} |`,
    ),
    '',
  ];
  if (verify) out.push(formatVerifyMarkdown(verify));
  return `${out.join('\n')}\n`;
}
