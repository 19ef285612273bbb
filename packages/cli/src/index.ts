// The one public door of @osa-gitops/cli: the node-side library the GitHub Action reuses (load,
// validate, render, write and diff sites). IO lives here; logic lives in @osa-gitops/core. The
// command entry (`main.ts`, run by bin/osa-gitops.cjs) is not exported: it reaches every command,
// `deploy` and so @osa-gitops/deployer included, which the action must not bundle.
export { EXIT, type CliIo } from './io';
export { UsageError } from './usage-error';
export { discoverSites, readEnvironmentGraph, refuseSymlinks, SymlinkRefusedError } from '@osa-gitops/loader';
export {
  compileWorkspace,
  findStaleFiles,
  readCommittedTree,
  siteTreeDir,
  writeSiteTree,
  type CompiledSite,
  type CompiledWorkspace,
  type CompileWorkspaceOptions,
  type StaleFile,
  type WriteSiteTreeResult,
} from './workspace';
export { CommittedTrees } from './git/committed-trees';
export { diffRefs, WORKING_TREE, type DiffRefsOptions } from './report/diff-refs';
export { readDeploySettings } from './report/deploy-settings';
export { issueToJson } from './terminal/issues';
