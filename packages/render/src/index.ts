// The door of @osa-gitops/render: what osa-gitops emits and expects on hosts. The site tree the
// plugin, CLI and action write (compileEnvironment = validate, then render), what OSA's inventory
// will allocate from it, and what must be live after a deploy (verify). Pure, like core.
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
export * from './allocation';
export * from './verify';
