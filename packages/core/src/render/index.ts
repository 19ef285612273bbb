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
export { OPENSTACK_USER_CONFIG_FILE } from './openstack-user-config';
export { ENV_D_HAPROXY_FILE } from './env-d-haproxy';
export { LXC_NETWORK_FILE, LXC_ETH0_MTU } from './lxc-network';
export { USER_VARIABLES_FILE } from './user-variables';
export { hostVarsFile } from './host-vars';
export { coalesceRanges, formatUsedIp, parseReserved, renderUsedIps } from './used-ips';
export { generatedMarker, needsQuotes, stringifyYaml } from './yaml';
export { isRenderablePath, isRenderedDir, RENDERED_FILES } from './renderable-paths';
