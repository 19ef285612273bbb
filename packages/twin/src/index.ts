// The site twin: a site's haproxy containers as network namespaces running the real keepalived
// and HAProxy, configured by the real roles' templates from the rendered tree (twin.ts).
export { measureFailover, type FailoverMeasurement, type FailoverOptions } from './failover';
export { twinRequirements } from './requirements';
export {
  renderRoleConfigs,
  upstreamFromEnv,
  upstreamMissing,
  type ContainerConfig,
  type TwinService,
  type UpstreamSources,
} from './role-config';
export {
  OSA_GITOPS_BIN,
  REPO,
  runShippedVerify,
  TWIN_COMMIT,
  twinOsaSetup,
  type ShippedVerify,
} from './shipped-verify';
export { DEFAULT_SERVICES, Twin, type TwinContainer, type TwinOptions } from './twin';
export { loadRepoSite } from './site';
