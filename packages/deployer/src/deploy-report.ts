import type { VerifyResultJson } from '@osa-gitops/render';
import type { DeployStep } from './deploy-steps';

/**
 * What a deploy did, filled in as it goes: the `deploy --json` summary (docs/cli.md). Paths are
 * relative to the config dir. Written by `deploySite`, printed by `runDeploy`.
 */
export interface DeployReport {
  readonly schemaVersion: 1;
  readonly command: 'deploy';
  site: string;
  commit: string | null;
  configDir: string | null;
  dryRun: boolean;
  /** `--restore <backup-id>` mode: put a backup back, no playbook. */
  restoreFrom: string | null;
  /** The named steps reached, in order (DEPLOY_STEPS). */
  steps: DeployStep[];
  written: string[];
  removed: string[];
  /** Files copied into the backup before anything changed. */
  backedUp: string[];
  /** Operator files taken over with `--adopt`. */
  adopted: string[];
  backupDir: string | null;
  /** The playbook's exit code, null when it did not run. */
  playbookExitCode: number | null;
  /** The previous owned files were put back (after a failed playbook or sync, or `--restore`). */
  restored: boolean;
  /** Why a failed deploy's files were kept, e.g. the inventory changed; null otherwise. */
  restoreSkipped: string | null;
  /** The command that restores the previous files by hand, when they were kept. */
  restoreCommand: string | null;
  /** The stages of a staged deploy, in order, with what happened to each ([] when not staged). */
  stages: { name: string; command: string; status: string; exitCode: number | null }[];
  /** The verify stage's checks (`osa-gitops verify --json` shape), null when it did not judge. */
  verify: VerifyResultJson | null;
  /**
   * The last commit whose deploy passed verify on this config dir (`.osa-gitops/verified.json`),
   * read after a staged deploy; null before any, or when not staged. The revert job reverts to it.
   */
  lastVerifiedCommit: string | null;
  exitCode: number;
  ok: boolean;
  /** The refusal or failure message, null on success. */
  error: string | null;
  /** `--dry-run`: what OSA's inventory generator would allocate (docs/runner-insight.md); null otherwise. */
  allocation: Record<string, unknown> | null;
}

export function newDeployReport(site: string, dryRun: boolean): DeployReport {
  return {
    schemaVersion: 1,
    command: 'deploy',
    site,
    commit: null,
    configDir: null,
    dryRun,
    restoreFrom: null,
    steps: [],
    written: [],
    removed: [],
    backedUp: [],
    adopted: [],
    backupDir: null,
    playbookExitCode: null,
    restored: false,
    restoreSkipped: null,
    restoreCommand: null,
    stages: [],
    verify: null,
    lastVerifiedCommit: null,
    exitCode: 1,
    ok: false,
    error: null,
    allocation: null,
  };
}
