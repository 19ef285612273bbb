import { escapeMarkdown, fencedBlock, formatPath, inlineCode, type Issue } from '@osa-gitops/core';
import { type StaleKind } from '@osa-gitops/render';
import { formatReportMarkdown, REPORT_MARKER, type Report } from '@osa-gitops/report';
import { capMarkdown, limitLines } from './cap-markdown.js';

/** What validate found, independent of how it is shown. */
export interface ValidationOutcome {
  /** Sites whose definition or committed tree the change touches, sorted. */
  readonly affected: readonly string[];
  /** Site, load and fleet issues of the affected sites, sorted. */
  readonly issues: readonly Issue[];
  readonly stale: readonly StaleFileLike[];
}

/** The fields of the CLI's `StaleFile` the report shows. */
export interface StaleFileLike {
  readonly site: string;
  readonly path: string;
  readonly kind: StaleKind;
  readonly diff: string;
}

export interface ComposeOptions {
  /** Hard maximum of the returned text. */
  readonly budget: number;
  /** Last line (run link, commit); always kept. */
  readonly footer: string;
  /** Where the complete report is, for the truncation notices. */
  readonly fullReportHint: string;
}

/** The command that refreshes committed trees, shown wherever a tree is stale. */
export const RENDER_COMMAND = 'node packages/cli/bin/osa-gitops.cjs render';

const MAX_ISSUE_LINES = 50;
/** Share of the budget the validation part may take; the plan gets the rest. */
const VALIDATION_SHARE = 0.4;

export function validationPassed(o: ValidationOutcome): boolean {
  return o.stale.length === 0 && !o.issues.some((i) => i.severity === 'error');
}

/**
 * The PR comment (and job summary) of validate: a verdict, the issues, the stale files, then the
 * core's deploy plan, all inside `budget`. The validation part is capped first so a flood of
 * issues cannot crowd out the plan, and the plan gets whatever is left (the core degrades it in
 * stages). Starts with REPORT_MARKER, which the sticky comment is found by.
 */
export function composeValidateMarkdown(
  outcome: ValidationOutcome,
  report: Report,
  options: ComposeOptions,
): string {
  const errors = outcome.issues.filter((i) => i.severity === 'error').length;
  const warnings = outcome.issues.length - errors;
  const out: string[] = [];
  if (outcome.affected.length === 0) {
    out.push('## ✅ osa-gitops: no site changed — nothing to deploy', '');
    out.push('This change touches no site definition and no rendered tree.', '');
  } else if (validationPassed(outcome)) {
    out.push('## ✅ osa-gitops: validation passed', '');
    out.push(
      `${count(outcome.affected.length, 'site')} checked (${outcome.affected.map(inlineCode).join(', ')})` +
        (warnings ? `, ${count(warnings, 'warning')}.` : ', no issues.'),
      '',
    );
  } else {
    const parts = [errors && count(errors, 'error'), warnings && count(warnings, 'warning')].filter(Boolean);
    if (outcome.stale.length) parts.push(count(outcome.stale.length, 'stale rendered file'));
    out.push(
      '## ❌ osa-gitops: validation failed',
      '',
      `${parts.join(', ')} — this change must not merge yet.`,
      '',
    );
  }
  if (outcome.issues.length > 0) {
    out.push(`### Issues`, '');
    out.push(
      ...limitLines(
        outcome.issues.map(issueLine),
        MAX_ISSUE_LINES,
        (n) => `- …and ${n} more (${options.fullReportHint}).`,
      ),
      '',
    );
  }
  if (outcome.stale.length > 0) {
    out.push(
      '### Stale rendered trees',
      '',
      `The committed YAML differs from a fresh render of the definitions. Run ${inlineCode(RENDER_COMMAND)} and commit the result.`,
      '',
    );
    for (const f of outcome.stale) {
      out.push(
        `<details><summary>${inlineCode(`${f.site}/openstack_deploy/${f.path}`)} (${escapeMarkdown(f.kind)})</summary>`,
        '',
        fencedBlock(f.diff, 'diff'),
        '',
        '</details>',
        '',
      );
    }
  }
  const notice = `> [!NOTE]\n> Validation details shortened to fit; ${options.fullReportHint}.`;
  const validation = capMarkdown(out.join('\n'), Math.floor(options.budget * VALIDATION_SHARE), notice);
  return assemble(validation, report, options, outcome.affected.length > 0);
}

export interface ProposeComposeOptions extends ComposeOptions {
  readonly sourceBranch: string;
  readonly sourceSha: string;
}

/** The bot PR body: what the render adds to the source branch, and what deploys after merge. */
export function composeProposeMarkdown(report: Report, options: ProposeComposeOptions): string {
  const intro = [
    `Rendered override trees for ${inlineCode(options.sourceBranch)} at ${inlineCode(options.sourceSha.slice(0, 12))}.`,
    '',
    `> [!IMPORTANT]\n> This branch is regenerated and force-pushed on every push to ${inlineCode(options.sourceBranch)}; ` +
      `commits made on it are overwritten. Merge it into ${inlineCode(options.sourceBranch)} to bring the trees up to date.`,
    '',
  ].join('\n');
  return assemble(intro, report, options, true).replace(`${REPORT_MARKER}\n`, '');
}

function assemble(head: string, report: Report, options: ComposeOptions, withPlan: boolean): string {
  const fixed = `${REPORT_MARKER}\n${head}\n`;
  const footer = `\n---\n${options.footer}\n`;
  let plan = '';
  const room = options.budget - fixed.length - footer.length;
  if (withPlan && room >= 200) {
    plan = formatReportMarkdown(report, { budget: room + REPORT_MARKER.length + 1 });
    if (plan.startsWith(REPORT_MARKER)) plan = plan.slice(REPORT_MARKER.length).replace(/^\n/, '');
  }
  // The core promises its budget; the final cap is a guarantee, not the expected path.
  return capMarkdown(fixed + plan + footer, options.budget, `Report shortened; ${options.fullReportHint}.`);
}

function issueLine(i: Issue): string {
  const mark = i.severity === 'error' ? '❌' : '⚠️';
  const where = i.file ? ` in ${inlineCode(i.file)}` : '';
  return `- ${mark} ${inlineCode(i.site)} ${inlineCode(formatPath(i.path))}: ${escapeMarkdown(i.message)} (${inlineCode(i.code)})${where}`;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
