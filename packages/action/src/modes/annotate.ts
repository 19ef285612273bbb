import * as core from '@actions/core';
import { formatPath, type Issue } from '@osa-gitops/core';
import type { StaleFileLike } from '../report/compose.js';
import { RENDER_COMMAND } from '../report/compose.js';

/**
 * Workflow annotations on the definition files, so reviewers see each issue on the PR's "Files
 * changed" tab. `prefix` turns workspace-relative paths into repository-relative ones (GitHub
 * resolves annotation paths from the repository root).
 */
export function annotateIssues(issues: readonly Issue[], prefix: string): void {
  for (const i of issues) {
    const props: core.AnnotationProperties = {
      title: `osa-gitops ${i.code} (${i.site})`,
      ...(i.file ? { file: join(prefix, i.file) } : {}),
      ...(i.file && i.line !== undefined ? { startLine: i.line } : {}),
      ...(i.file && i.column !== undefined ? { startColumn: i.column } : {}),
    };
    const message = `${formatPath(i.path)}: ${i.message}`;
    if (i.severity === 'error') core.error(message, props);
    else core.warning(message, props);
  }
}

export function annotateStale(stale: readonly StaleFileLike[], prefix: string): void {
  for (const f of stale) {
    core.error(
      `The committed file is ${f.kind} compared with a fresh render; run ${RENDER_COMMAND} and commit.`,
      {
        title: `osa-gitops stale rendered tree (${f.site})`,
        file: join(prefix, `environments/${f.site}/openstack_deploy/${f.path}`),
      },
    );
  }
}

export function join(prefix: string, rel: string): string {
  return prefix ? `${prefix}/${rel}` : rel;
}
