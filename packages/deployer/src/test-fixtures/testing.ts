// Test-only door (`@osa-gitops/deployer/testing`): the stand-in OSA checkout, config dirs and
// snapshots, for tests of the deployer's callers (the CLI's `deploy` end to end).
export {
  ansibleEnv,
  makeConfigDir,
  makeOsaDir,
  removeTempDirs,
  snapshot,
  STUB_OSA_BIN,
  tempDir,
} from './fixture';
export {
  buildLab,
  LAB,
  labDefinition,
  labInventory,
  netnsUnavailable,
  verifyPlaybookUnavailable,
  type NetnsLab,
} from '../verify/test-fixtures/netns-lab';
