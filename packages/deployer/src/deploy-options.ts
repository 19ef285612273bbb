import type { RenderedTree } from '@osa-gitops/core';
import type { DeployFs } from './deploy-fs';
import type { DeployLog } from './deploy-log';
import type { DeployReport } from './deploy-report';
import type { DeployStep } from './deploy-steps';
import { OSA_WRAPPER } from './run-playbook';
import type { StagedDeployOptions } from './stages/deploy-stages';

export const DEFAULTS = {
  osaBin: OSA_WRAPPER,
  python: '/usr/bin/python3',
  timeoutMs: 2 * 60 * 60 * 1000,
  lockTimeoutMs: 10 * 60 * 1000,
  keepBackups: 10,
  killGraceMs: 30_000,
} as const;

export interface DeploySiteOptions {
  readonly site: string;
  /** The committed tree, already checked equal to a fresh render by the caller. */
  readonly tree: RenderedTree;
  readonly configDir: string;
  readonly osaDir: string;
  /** openstack-ansible wrapper: a name on PATH or an absolute path. @default 'openstack-ansible' */
  readonly osaBin: string;
  /** Allow-listed extra `ansible-playbook` arguments (see extra-args.ts). */
  readonly extraArgs: readonly string[];
  /** Interpreter for OSA's inventory check. @default '/usr/bin/python3' */
  readonly python: string;
  /** Workspace commit being deployed, recorded in state.json. */
  readonly commit: string | null;
  /** Each playbook's own time limit. @default 2 h */
  readonly timeoutMs: number;
  /**
   * When the whole deploy must be over (epoch ms; `--deadline`): the lock wait and each stage get
   * at most what is left (deadline.ts). @default none
   */
  readonly deadline?: number;
  /** How long to wait for another deploy's lock. @default 10 min */
  readonly lockTimeoutMs: number;
  /** Backups kept in `.osa-gitops/backups/`. @default 10 */
  readonly keepBackups: number;
  /**
   * Restore the previous owned files when the playbook fails, unless it changed OSA's inventory
   * (then they are kept, with the command to restore them). @default true
   */
  readonly restoreOnFailure: boolean;
  /**
   * Operator files to take over: paths we render that exist, differ from ours and no manifest of
   * ours listed. Any other such file stops the deploy. @default []
   */
  readonly adopt?: readonly string[];
  /** Filled in as the deploy goes (`--json`). */
  readonly report?: DeployReport;
  readonly dryRun: boolean;
  /** Environment of the child processes; never printed. */
  readonly env: NodeJS.ProcessEnv;
  readonly log: DeployLog;
  /** @default nodeDeployFs */
  readonly fs?: DeployFs;
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
  /** SIGTERM → SIGKILL grace for the playbook's process group. @default 30 s */
  readonly killGraceMs?: number;
  readonly lockPollMs?: number;
  /**
   * Run the site's deploy in stages (host networking, containers, haproxy, frontends, trusted
   * proxies, metal cut-over, keepalived, verify: the ones the change needs; see
   * stages/run-stages.ts). Without it, only the container playbook runs, as before stages.
   */
  readonly staged?: StagedDeployOptions;
  /** Test seam: awaited at each named step. */
  readonly onStep?: (step: DeployStep) => Promise<void> | void;
}
