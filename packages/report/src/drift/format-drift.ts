import { escapeMarkdown, inlineCode } from '@osa-gitops/core';
import type { DriftReport } from './drift';

/** Marks the one issue per drifting site that the scheduled workflow opens, updates or closes. */
export function driftIssueMarker(site: string): string {
  return `<!-- osa-gitops-drift site=${site} -->`;
}

export function driftIssueTitle(site: string): string {
  return `Drift on ${site}: the live OSA config differs from what osa-gitops deployed`;
}

const LABEL: Record<DriftReport['findings'][number]['kind'], string> = {
  'never-deployed': 'never deployed',
  'unknown-commit': 'unknown commit',
  edited: 'edited by hand',
  missing: 'missing',
  shadowed: 'shadowed',
  behind: 'deploy pending',
  'removed-on-main': 'no longer defined',
};

function header(r: DriftReport): string {
  const deployed = r.deployedCommit
    ? `deployed ${r.deployedCommit.slice(0, 12)} at ${r.deployedAt}`
    : 'no recorded deploy';
  return `${r.site} (${r.configDir}): ${deployed}`;
}

export function formatDriftText(r: DriftReport): string {
  const out = [`Drift check ${header(r)}`];
  if (!r.drifting) out.push('  no drift: every owned file is as deployed and nothing shadows it');
  for (const f of r.findings) out.push(`  [${LABEL[f.kind]}] ${f.message}`);
  return `${out.join('\n')}\n`;
}

/** The body of the site's drift issue (also fine for a job summary). */
export function formatDriftMarkdown(r: DriftReport): string {
  const lines = [
    driftIssueMarker(r.site),
    `### Drift on ${escapeMarkdown(r.site)}`,
    '',
    escapeMarkdown(header(r)),
    '',
  ];
  if (!r.drifting) lines.push('No drift: every owned file is as deployed and nothing shadows it.');
  else {
    lines.push('| finding | file | detail |', '|---|---|---|');
    for (const f of r.findings)
      lines.push(
        `| ${LABEL[f.kind]} | ${f.file ? inlineCode(f.file) : '–'} | ${escapeMarkdown(f.message)} |`,
      );
    lines.push(
      '',
      `Run \`osa-gitops drift ${r.site}\` on the site's deploy host for details. To put the deployed ` +
        'state back, re-run the deploy workflow for this site; to keep a hand edit, make it in the ' +
        'definition and merge it.',
    );
  }
  return `${lines.join('\n')}\n`;
}

export function driftToJson(r: DriftReport): Record<string, unknown> {
  return { schemaVersion: 1, ...r };
}
