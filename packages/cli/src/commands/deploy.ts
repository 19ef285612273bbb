import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT, type CliIo } from '../io';
import {
  createDeployLog,
  DEFAULTS,
  DeployError,
  deploySite,
  newDeployReport,
  restoreSite,
  type DeployLog,
  type DeployReport,
} from '@osa-gitops/deployer';
import { DEPLOY_HELP, parseDeployArgs, type DeployArgs } from '../deploy-adapter/deploy-args';
import { loadDeployableSite, refuseDirtyWorkspace, workspaceCommit } from '../deploy-adapter/deployable-site';
import { loadTimeoutFromEnv } from '../workspace/compile-workspace';

/**
 * `osa-gitops deploy <site>`: argv → checks on the workspace → `deploySite` (or `restoreSite`
 * for `--restore`). Returns the playbook's exit code once it ran; 1 for a refused or failed
 * deploy (explained, no stack); usage errors are thrown as UsageError for the dispatcher (exit 2).
 * With `--json` every log line goes to stderr and stdout carries only the summary (docs/cli.md).
 */
export async function runDeploy(args: string[], io: CliIo): Promise<number> {
  const startedAt = Date.now();
  const parsed = parseDeployArgs(args);
  if (parsed === 'help') {
    io.stdout(DEPLOY_HELP);
    return EXIT.ok;
  }
  // Refuse a bad OSA_GITOPS_LOAD_TIMEOUT_MS (exit 2) before anything happens. The value itself
  // reaches the loader through compileWorkspace, which reads the same (process) environment.
  loadTimeoutFromEnv(io.env);
  const log = createDeployLog(parsed.json ? { stdout: io.stderr, stderr: io.stderr } : io);
  const report =
    parsed.json || parsed.outcome !== undefined ? newDeployReport(parsed.site, parsed.dryRun) : undefined;
  // SIGINT/SIGTERM stop the playbook's process group and restore, instead of orphaning it.
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let code: number;
  try {
    code = await deployOrRestore(parsed, io, log, report, abort.signal, startedAt);
  } catch (err) {
    if (!(err instanceof DeployError)) throw err;
    log.error(err.message);
    if (report) report.error = err.message;
    code = EXIT.failed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (report) {
    report.exitCode = code;
    report.ok = code === 0;
    const json = `${JSON.stringify(report, null, 2)}\n`;
    if (parsed.json) io.stdout(json);
    if (parsed.outcome !== undefined) {
      const file = path.resolve(io.cwd, parsed.outcome);
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, json, { mode: 0o644 });
      } catch (err) {
        log.error(`could not write the outcome to ${file}: ${(err as Error).message}`);
      }
    }
  }
  return code;
}

async function deployOrRestore(
  parsed: DeployArgs,
  io: CliIo,
  log: DeployLog,
  report: DeployReport | undefined,
  signal: AbortSignal,
  startedAt: number,
): Promise<number> {
  if (parsed.restore !== undefined) {
    // No workspace load: a restore must work whatever the checkout holds now.
    return restoreSite({
      site: parsed.site,
      backupId: parsed.restore,
      configDir: path.resolve(io.cwd, parsed.configDir!),
      lockTimeoutMs: parsed.lockTimeoutMs,
      log,
      signal,
      ...(report ? { report } : {}),
    });
  }
  await refuseDirtyWorkspace(io.cwd, parsed.allowDirty, log);
  const { environment, tree } = await loadDeployableSite(io.cwd, parsed.site, log);
  const commit = parsed.commit ?? (await workspaceCommit(io.cwd, log));
  if (report) report.commit = commit;
  return deploySite({
    site: parsed.site,
    tree,
    configDir:
      parsed.configDir !== undefined ? path.resolve(io.cwd, parsed.configDir) : environment.deploy.configDir,
    osaDir: parsed.osaDir !== undefined ? path.resolve(io.cwd, parsed.osaDir) : environment.deploy.osaDir,
    osaBin: parsed.osaBin,
    extraArgs: parsed.extraArgs,
    python: parsed.python,
    commit,
    timeoutMs: parsed.timeoutMs,
    ...(parsed.deadlineMs !== undefined ? { deadline: startedAt + parsed.deadlineMs } : {}),
    lockTimeoutMs: parsed.lockTimeoutMs,
    keepBackups: parsed.keepBackups,
    restoreOnFailure: parsed.restoreOnFailure,
    adopt: parsed.adopt,
    dryRun: parsed.dryRun,
    env: { ...io.env },
    log,
    signal,
    ...(report ? { report } : {}),
    ...(parsed.containersOnly
      ? {}
      : {
          staged: {
            environment,
            ...(parsed.hostNetworking ? { hostNetworking: parsed.hostNetworking } : {}),
            ...(parsed.metalCutover ? { metalCutover: parsed.metalCutover } : {}),
            resumeArgs: resumeArgs(parsed, io.cwd),
            ...(parsed.plannedHostNetworking ? { planned: parsed.plannedHostNetworking } : {}),
            ...(parsed.summary !== undefined ? { summaryFile: path.resolve(io.cwd, parsed.summary) } : {}),
          },
        }),
  });
}

/**
 * The options a resumed deploy must repeat to act on the same host state: the directories and
 * the wrapper this one was given (absolute, as they were used), so the command printed after
 * exit 91 is the one to paste.
 */
function resumeArgs(parsed: DeployArgs, cwd: string): string[] {
  return [
    ...(parsed.configDir !== undefined ? ['--config-dir', path.resolve(cwd, parsed.configDir)] : []),
    ...(parsed.osaDir !== undefined ? ['--osa-dir', path.resolve(cwd, parsed.osaDir)] : []),
    ...(parsed.osaBin !== DEFAULTS.osaBin ? ['--osa-bin', parsed.osaBin] : []),
  ];
}
