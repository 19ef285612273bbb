// The render door: everything the plugin, CLI and action need to build and write site trees.
export * from './tree';
export { renderEnvironment } from './render-environment';
export {
  compileEnvironment,
  type CompileEnvironmentOptions,
  type CompileEnvironmentResult,
} from './compile-environment';
export {
  MANIFEST_FILE,
  isOwnablePath,
  parseManifest,
  planTreeSync,
  renderManifest,
  type Manifest,
  type TreeSyncPlan,
} from './manifest';
export { findStaleTreeFiles, type StaleKind, type StaleTreeFile } from './stale-files';
export { LXC_ETH0_MTU } from './lxc-network';
export { coalesceRanges, formatUsedIp, parseReserved, renderUsedIps } from './used-ips';
export { generatedMarker, needsQuotes, stringifyYaml } from './yaml';
export { isRenderablePath, isRenderedDir, RENDERED_FILES } from './renderable-paths';
