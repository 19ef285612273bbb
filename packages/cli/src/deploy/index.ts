// The deployer: sync a committed site tree into an OSA config dir and run the limited playbook.
// `runDeploy` (commands/deploy.ts) is the CLI edge; `deploySite` is the library entry.
export { deploySite } from './deploy-site';
export { DEFAULTS, DEPLOY_STEPS, type DeploySiteOptions, type DeployStep } from './deploy-options';
export { DeployError } from './deploy-error';
export { nodeDeployFs, type DeployFs } from './deploy-fs';
export { createDeployLog, type DeployLog } from './deploy-log';
export { checkExtraArg, checkExtraArgs } from './extra-args';
export {
  EXIT_NOT_STARTED,
  EXIT_TIMEOUT,
  OSA_WRAPPER,
  PLAYBOOK,
  PLAYBOOK_LIMIT,
  playbookArgs,
} from './run-playbook';
export { readState, type DeployState } from './state';
export { STATE_DIR, statePaths } from './state-paths';
export {
  loadDeployableSite,
  refuseDirtyWorkspace,
  workspaceCommit,
  type DeployableSite,
} from './deployable-site';
