// Drift between a site's live OSA config dir and what osa-gitops deployed there.
export {
  DRIFT_KINDS,
  judgeDrift,
  type DriftFinding,
  type DriftKind,
  type DriftReport,
  type JudgeDriftInput,
  type ShadowingFinding,
} from './drift';
export {
  driftIssueMarker,
  driftIssueTitle,
  driftToJson,
  formatDriftMarkdown,
  formatDriftText,
} from './format-drift';
