import * as path from 'node:path';
import { EXIT, type CliIo } from '../io';
import { DeployError } from '../deploy/deploy-error';
import { DEPLOY_HELP, parseDeployArgs } from '../deploy/deploy-args';
import { createDeployLog } from '../deploy/deploy-log';
import { deploySite } from '../deploy/deploy-site';
import { loadDeployableSite, workspaceCommit } from '../deploy/deployable-site';
import { loadTimeoutFromEnv } from '../workspace/compile-workspace';

/**
 * `osa-gitops deploy <site>`: argv → checks on the workspace → `deploySite`. Returns the
 * playbook's exit code once it ran; 1 for a refused or failed deploy (explained, no stack);
 * usage errors are thrown as UsageError for the dispatcher (exit 2).
 */
export async function runDeploy(args: string[], io: CliIo): Promise<number> {
  const parsed = parseDeployArgs(args);
  if (parsed === 'help') {
    io.stdout(DEPLOY_HELP);
    return EXIT.ok;
  }
  // Refuse a bad OSA_GITOPS_LOAD_TIMEOUT_MS (exit 2) before anything happens. The value itself
  // reaches the loader through compileWorkspace, which reads the same (process) environment.
  loadTimeoutFromEnv(io.env);
  const log = createDeployLog(io);
  // SIGINT/SIGTERM stop the playbook's process group and restore, instead of orphaning it.
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const { environment, tree } = await loadDeployableSite(io.cwd, parsed.site, log);
    const commit = parsed.commit ?? (await workspaceCommit(io.cwd, parsed.site, log));
    return await deploySite({
      site: parsed.site,
      tree,
      configDir:
        parsed.configDir !== undefined
          ? path.resolve(io.cwd, parsed.configDir)
          : environment.deploy.configDir,
      osaDir: parsed.osaDir !== undefined ? path.resolve(io.cwd, parsed.osaDir) : environment.deploy.osaDir,
      osaBin: parsed.osaBin,
      extraArgs: parsed.extraArgs,
      python: parsed.python,
      commit,
      timeoutMs: parsed.timeoutMs,
      lockTimeoutMs: parsed.lockTimeoutMs,
      keepBackups: parsed.keepBackups,
      restoreOnFailure: parsed.restoreOnFailure,
      dryRun: parsed.dryRun,
      env: { ...io.env },
      log,
      signal: abort.signal,
    });
  } catch (err) {
    if (!(err instanceof DeployError)) throw err;
    log.error(err.message);
    return EXIT.failed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
