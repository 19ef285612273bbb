// Plan/diff as data (TreeDiff, NetworkChange, DeployPlan, Report) and its renderers.
export * from './types';
export { diffFile, diffTrees } from './diff-trees';
export { networkChanges } from './network-changes';
export { readPublicPath } from './public-path';
export { DISRUPTION_BY_KIND, DISRUPTION_ORDER, worstDisruption } from './disruption';
export { buildPlan, DEPLOY_ARGV, DEPLOY_COMMAND } from './plan';
export {
  changedHostVars,
  CONTAINERS_ARGV,
  describeApproval,
  frontendsArgv,
  haproxyArgv,
  HAPROXY_PLAYBOOK,
  hostNetworkingArgv,
  hostNetworkingEnvironment,
  metalCutoverEnvironment,
  keepalivedArgv,
  METAL_CUTOVER_PLAYBOOK,
  metalCutoverArgv,
  TRUSTED_PROXIES_ARGV,
  planStages,
  STAGE_ORDER,
  type DeployStage,
  type HostNetworkingMode,
  type PlanStagesInput,
  type StageApproval,
  type StageName,
} from './stages';
export {
  populatedGroups,
  SERVICE_PLAYBOOKS,
  servicePlaybooksFor,
  userConfigHosts,
  type ServicePlaybook,
} from './service-playbooks';
export { buildReport, type BuildReportOptions, type SiteTrees } from './build-report';
export { publicPathFlowchart } from './mermaid';
export {
  DEFAULT_MARKDOWN_BUDGET,
  formatReportMarkdown,
  REPORT_MARKER,
  type FormatReportMarkdownOptions,
} from './format-markdown';
export { reportToJson, type ReportJson } from './report-json';
export { staleHeadline, staleSiteLine } from './stale-sites';
export { formatReportText, type FormatReportTextOptions } from './format-text';
