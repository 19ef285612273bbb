import { describeApproval } from './stages';
import { noteOwners } from './notes';
import { staleHeadline, staleSiteLine } from './stale-sites';
import type { Disruption, Report } from './types';

export interface FormatReportTextOptions {
  /** Use ANSI colours (the CLI decides: TTY and NO_COLOR unset). @default false */
  readonly color?: boolean;
  /** Include the unified diffs of the rendered files. @default true */
  readonly diffs?: boolean;
}

const MARK = { added: '[+]', changed: '[~]', removed: '[-]' } as const;

/** The report for a terminal: `[+]/[~]/[-]` per site and file, changes with disruption, the plan. */
export function formatReportText(report: Report, options: FormatReportTextOptions = {}): string {
  const c = colours(options.color ?? false);
  const out: string[] = [`Compared ${report.base} → ${report.head}`];
  const stale = report.stale ?? [];
  if (stale.length > 0) {
    out.push('', c.red(`✖ ${staleHeadline(stale)}`), ...stale.map((s) => `  ${staleSiteLine(s)}`), '');
  }
  if (report.sites.length === 0) {
    out.push(
      stale.length > 0
        ? 'No committed tree changed, so nothing deploys; the stale sites above deploy once rendered and committed.'
        : 'No rendered tree changed: nothing deploys.',
    );
    return `${out.join('\n')}\n`;
  }
  for (const s of report.sites) {
    out.push(
      '',
      c.bold(`${MARK[s.status]} ${s.site}`) + ` (${s.status}, disruption: ${c.disruption(s.disruption)})`,
    );
    for (const ch of s.changes) out.push(`    ${ch.summary}  [${c.disruption(ch.disruption)}: ${ch.why}]`);
    for (const f of s.diff.files) out.push(`    ${MARK[f.kind]} ${f.path} (+${f.additions} -${f.deletions})`);
    if (options.diffs ?? true) {
      for (const f of s.diff.files)
        out.push(
          ...f.patch
            .trimEnd()
            .split('\n')
            .map((l) => `      ${c.diffLine(l)}`),
        );
    }
  }
  out.push('', c.bold('Deploy plan'));
  if (report.plan.steps.length === 0) out.push('  Nothing deploys after merge.');
  const owner = noteOwners(report.plan);
  for (const step of report.plan.steps) {
    const where = [
      step.runnerLabel && `runner ${step.runnerLabel}`,
      step.configDir && `into ${step.configDir}`,
    ]
      .filter(Boolean)
      .join(', ');
    out.push(`  ${step.site}:${where ? ` (${where})` : ''}  [${c.disruption(step.disruption)}]`);
    const note = (why: string) => {
      const first = owner.get(why);
      return first === undefined || first === step.site ? why : `as for ${first}`;
    };
    step.stages.forEach((s, i) => {
      const approval = s.approval === 'site' ? '' : `  [${describeApproval(step.site, s)}]`;
      out.push(
        `    ${i + 1}. ${s.name}${s.conditional ? ' (if needed)' : ''}: ${s.command}${approval}  (${note(s.why)})`,
      );
    });
    for (const m of step.manual) out.push(`    then, not run by the deploy: ${m.command}  (${note(m.why)})`);
  }
  for (const s of report.plan.skipped) out.push(`  ${s.site}: not deployed — ${s.reason}`);
  return `${out.join('\n')}\n`;
}

function colours(on: boolean) {
  const wrap = (code: string) => (t: string) => (on ? `\u001b[${code}m${t}\u001b[0m` : t);
  const red = wrap('31');
  const green = wrap('32');
  const yellow = wrap('33');
  const cyan = wrap('36');
  return {
    bold: wrap('1'),
    red,
    disruption: (d: Disruption) => (d === 'none' ? d : d === 'container-recreated' ? yellow(d) : red(d)),
    diffLine: (l: string) =>
      l.startsWith('+++') || l.startsWith('---')
        ? l
        : l.startsWith('+')
          ? green(l)
          : l.startsWith('-')
            ? red(l)
            : l.startsWith('@@')
              ? cyan(l)
              : l,
  };
}
