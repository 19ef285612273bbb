export {
  compileWorkspace,
  type CompiledSite,
  type CompiledWorkspace,
  type CompileWorkspaceOptions,
} from './compile-workspace';
export { readCommittedTree, siteTreeDir } from './committed-tree';
export { findStaleFiles, type StaleFile } from './find-stale-files';
export { writeSiteTree, type WriteSiteTreeResult } from './write-site-tree';
