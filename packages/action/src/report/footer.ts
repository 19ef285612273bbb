import type { ActionConfig } from '../inputs.js';

/** Link to this workflow run, when the runner told us its id. */
export function runUrl(config: ActionConfig): string | undefined {
  const { serverUrl, repository, runId } = config.github;
  return repository && runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined;
}

/** `<sub>` footer: which commit, and where the full report (job summary) lives. */
export function reportFooter(config: ActionConfig, sha: string): string {
  const url = runUrl(config);
  const run = url ? ` · [workflow run](${url})` : '';
  return `<sub>osa-gitops ${config.mode} · ${sha.slice(0, 12)}${run}</sub>`;
}

export function fullReportHint(config: ActionConfig): string {
  const url = runUrl(config);
  return url ? `the full report is in the [job summary](${url})` : 'the full report is in the job summary';
}
