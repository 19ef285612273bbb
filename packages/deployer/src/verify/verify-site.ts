import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Environment } from '@osa-gitops/core';
import {
  containerFacts,
  judgeSite,
  verifyExpectations,
  type AppliedStages,
  type VerifyResult,
} from '@osa-gitops/render';
import { DeployError } from '../deploy-error';
import type { DeployLog } from '../deploy-log';
import { formatCommand, runPlaybook } from '../run-playbook';
import { readVerifyOutput } from './read-verify-output';
import { verifyPlaybook } from './verify-playbook';

export interface VerifySiteOptions {
  readonly environment: Environment;
  readonly configDir: string;
  readonly osaDir: string;
  /** Absolute path of the openstack-ansible wrapper (resolveExecutable). */
  readonly osaBin: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly killGraceMs?: number;
  readonly log: DeployLog;
  readonly signal?: AbortSignal;
  /** Which stages are live; checks of the others are not applicable. */
  readonly applied: AppliedStages;
  /** Playbook to run (tests); @default the one shipped in packages/deployer/playbooks. */
  readonly playbook?: string;
}

/**
 * Gather read-only facts from the site's haproxy containers with the verify playbook, through
 * the openstack-ansible wrapper (OSA's inventory and connection plugin reach the containers), and
 * judge them against the definition. Throws DeployError when no verdict is possible (the wrapper
 * failed, the playbook did not finish): that is not a pass and not a list of findings.
 */
export async function verifySite(opts: VerifySiteOptions): Promise<VerifyResult> {
  const out = await fsp.mkdtemp(path.join(os.tmpdir(), 'osa-gitops-verify-'));
  try {
    // JSON extra vars: no quoting rules to get wrong; both values are ours (a temp dir, a validated IPv4).
    const vars = JSON.stringify({
      osa_gitops_verify_dir: out,
      osa_gitops_verify_gateway: opts.environment.haproxy.publicNetwork.gateway,
    });
    const args = [opts.playbook ?? verifyPlaybook(), '-e', vars];
    opts.log.info(
      `verify: running ${formatCommand(opts.osaBin, args)} in ${opts.osaDir} (OSA_CONFIG_DIR=${opts.configDir})`,
    );
    const result = await runPlaybook({
      osaBin: opts.osaBin,
      osaDir: opts.osaDir,
      configDir: opts.configDir,
      extraArgs: [],
      args,
      env: opts.env,
      timeoutMs: opts.timeoutMs,
      ...(opts.killGraceMs !== undefined ? { killGraceMs: opts.killGraceMs } : {}),
      log: opts.log,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (result.exitCode !== 0) {
      throw new DeployError(
        `verify: the verify playbook exited with code ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}; no verdict (its output is above)`,
      );
    }
    const raw = await readVerifyOutput(out);
    return judgeSite(
      verifyExpectations(opts.environment),
      { site: opts.environment.name, containers: raw.map(containerFacts) },
      opts.applied,
    );
  } finally {
    await fsp.rm(out, { recursive: true, force: true });
  }
}
