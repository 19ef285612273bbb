import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Environment } from '@osa-gitops/core';
import {
  containerFacts,
  expectedFrontends,
  judgeSite,
  KEEPALIVED_STATE_PY,
  verifyExpectations,
  type AppliedStages,
  type ServingProbe,
  type VerifyResult,
} from '@osa-gitops/render';
import { DeployError } from '../deploy-error';
import type { DeployLog } from '../deploy-log';
import { formatCommand, runPlaybook } from '../run-playbook';
import { probeServing, type ServingTarget } from './probe-serving';
import { readVerifyDir } from './read-verify-output';
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
  /** Time limit of each connection to a VIP from the deploy host. @default 5 s */
  readonly probeTimeoutMs?: number;
  /** Connects to the frontends (tests: from inside a namespace). @default probeServing, from here */
  readonly probe?: (targets: readonly ServingTarget[], timeoutMs?: number) => Promise<ServingProbe[]>;
}

/**
 * Gather read-only facts from every member of the site's haproxy group with the verify playbook,
 * through the openstack-ansible wrapper (OSA's inventory and connection plugin reach the
 * containers), connect from here (the deploy host) to every frontend OSA configured on each VIP,
 * and judge it all against the definition. Throws DeployError when no verdict is possible (the
 * wrapper failed, the playbook did not finish): that is not a pass and not a list of findings.
 */
export async function verifySite(opts: VerifySiteOptions): Promise<VerifyResult> {
  const out = await fsp.mkdtemp(path.join(os.tmpdir(), 'osa-gitops-verify-'));
  try {
    // JSON extra vars: no quoting rules to get wrong; both values are ours (a temp dir, a validated IPv4).
    await fsp.mkdir(path.join(out, 'hosts'));
    const vars = JSON.stringify({
      osa_gitops_verify_dir: out,
      osa_gitops_verify_gateway: opts.environment.haproxy.publicNetwork.gateway,
      osa_gitops_keepalived_state_py: KEEPALIVED_STATE_PY,
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
    const { members, groupsWithHosts } = await readVerifyDir(out);
    if (groupsWithHosts === undefined)
      opts.log.warn(
        'verify: the playbook did not record the inventory groups; expecting only the base frontends',
      );
    const want = verifyExpectations(opts.environment);
    const containers = members.map(containerFacts);
    let serving: ServingProbe[] | undefined;
    if (opts.applied.haproxy && opts.applied.containers) {
      // Only a VIP some member of the group holds is probed: nobody answers for the others (the
      // judge reports them as not probed, next to "held by no member"), and a connection to an
      // address nobody here holds would leave for wherever this host routes it.
      const held = new Set(
        containers.flatMap((c) => c.interfaces.flatMap((i) => i.ipv4.map((a) => a.address))),
      );
      const vips = { external: want.externalVip, internal: want.internalVip };
      const targets = expectedFrontends(new Set(groupsWithHosts ?? []))
        .filter((f) => held.has(vips[f.vip]))
        .map((f) => ({
          vip: vips[f.vip],
          port: f.port,
          tls: f.tls,
          ...(f.vip === 'external' && want.externalName !== undefined
            ? { servername: want.externalName }
            : {}),
        }));
      opts.log.info(`verify: connecting to ${targets.length} frontend(s) on the VIPs from this host`);
      serving = await (opts.probe ?? probeServing)(targets, opts.probeTimeoutMs);
    }
    return judgeSite(
      want,
      {
        site: opts.environment.name,
        containers,
        ...(groupsWithHosts !== undefined ? { groupsWithHosts } : {}),
        ...(serving !== undefined ? { serving } : {}),
      },
      opts.applied,
    );
  } finally {
    await fsp.rm(out, { recursive: true, force: true });
  }
}
