// The one public door of @osa-gitops/deployer: sync a site's committed tree into an OSA config
// dir on this host and run the limited playbook (docs/deploy.md). Node-side; depends on core only.
// The CLI's `deploy` command is the adapter (argv, workspace checks); nothing else imports it.
export { deploySite, restoreSite, type RestoreSiteOptions } from './deploy-site';
export { DEFAULTS, type DeploySiteOptions } from './deploy-options';
export { DEPLOY_STEPS, type DeployStep } from './deploy-steps';
export { newDeployReport, type DeployReport } from './deploy-report';
export { DeployError } from './deploy-error';
export { nodeDeployFs, type DeployFs } from './deploy-fs';
export { createDeployLog, type DeployLog, type DeployLogSink } from './deploy-log';
export { checkExtraArg, checkExtraArgs, type ExtraArgCheck } from './extra-args';
export { BACKUP_ID } from './manual-restore';
export { EXIT_NOT_STARTED, EXIT_TIMEOUT, resolveExecutable } from './run-playbook';
export { verifySite, type VerifySiteOptions } from './verify/verify-site';
export { verifyPlaybook, VERIFY_PLAYBOOK_SPECIFIER } from './verify/verify-playbook';
export {
  readAppliedStages,
  readStageRecord,
  readVerifiedRecord,
  stageRecordPath,
  verifiedRecordPath,
  writeStageRecord,
  writeVerifiedRecord,
  type StageRecord,
  type VerifiedRecord,
} from './verify/stage-record';
export { STATE_DIR, statePaths, type StatePaths } from './state-paths';
export type { DeployState } from './state';
export { READ_LOCK_TIMEOUT_MS, readWhileNoDeployRuns } from './read-lock';
export { EXIT_UNPLANNED } from './stages/deploy-stages';
export { previewOnHost, type PreviewOnHostOptions, type PreviewOnHostResult } from './preview-on-host';
export { readUntrustedTreeDir, TREE_DIR_LIMITS } from './read-tree-dir';
export { findShadowingFiles, readLiveFiles, readRecordedDeploy, type RecordedDeploy } from './drift-facts';
