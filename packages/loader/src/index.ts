// The one public door of @osa-gitops/loader: find site definitions, load them safely, and compile
// them with the fleet checks (the pipeline the CLI and the Nx plugin share).
export { discoverSites } from './discover-sites';
export { loadSites, type LoadResult, type LoadSitesOptions } from './load-sites';
export { createFsSourceReader, type SourceReader } from './source-reader';
export {
  findSymlink,
  findSymlinkSync,
  refuseSymlinks,
  refuseSymlinksSync,
  SymlinkRefusedError,
} from './no-symlinks';
export type { LoadIssue } from './load-issue';
export {
  compileSites,
  type CompiledSite,
  type CompiledWorkspace,
  type CompileSitesOptions,
} from './compile-sites';
export { findOrphanTrees } from './orphan-trees';
export { readEnvironmentGraph } from './environment-graph';
export {
  LOAD_TIMEOUT_ENV,
  LOAD_TIMEOUT_MAX_MS,
  LOAD_TIMEOUT_MIN_MS,
  loadTimeoutSetting,
  type LoadTimeoutSetting,
} from './load-timeout';
export { readConfigDir, CONFIG_DIR_MAX_FILES, CONFIG_FILE_MAX_BYTES } from './import/read-config-dir';
export { prepareImport, type PreparedImport, type PrepareImportOptions } from './import/prepare-import';
export { workspaceFormatter } from './import/workspace-format';
/** How the evaluation worker is built; the CLI's build embeds it built the same way. */
export { WORKER_BUILD_OPTIONS } from './evaluate/worker-source';
