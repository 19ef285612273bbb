import { escapeMarkdown, fencedBlock, inlineCode } from '@osa-gitops/core';
import { publicPathFlowchart } from './mermaid';
import { formatHostChains } from '../explain/format-chain';
import { describeApproval } from './stages';
import { noteOwners } from './notes';
import { staleHeadline, staleSiteLine } from './stale-sites';
import type { Disruption, FileDiff, Report, SiteReport } from './types';

/** First line of every report comment: lets the Action find and update its one sticky comment. */
export const REPORT_MARKER = '<!-- osa-gitops:report -->';

/**
 * GitHub rejects issue/PR comment bodies over 65,536 characters. We stay well below it so the
 * Action can add a footer (run link) without re-measuring.
 */
export const DEFAULT_MARKDOWN_BUDGET = 60_000;

export interface FormatReportMarkdownOptions {
  /** Maximum length of the returned Markdown, in UTF-16 code units. @default 60000 */
  readonly budget?: number;
}

/** How much detail a rendering keeps; each stage drops more, in this order. */
type Stage = 'full' | 'summary' | 'names';

const DISRUPTION_BADGE: Readonly<Record<Disruption, string>> = {
  none: 'none',
  'container-recreated': '🔁 container-recreated',
  'default-route-change': '⚠️ default-route-change',
  'vip-failover': '⚠️ vip-failover',
};

/**
 * The PR comment: per changed site its network changes (with disruption), a Mermaid diagram of the
 * public path, the rendered YAML diff folded in `<details>`, and the deploy plan. When that does
 * not fit the budget it degrades in stages (diffs and diagrams dropped → site names only → a
 * truncated name list) and says what it left out.
 */
export function formatReportMarkdown(report: Report, options: FormatReportMarkdownOptions = {}): string {
  const budget = options.budget ?? DEFAULT_MARKDOWN_BUDGET;
  for (const stage of ['full', 'summary', 'names'] as const) {
    const text = render(report, stage, report.sites.length);
    if (text.length <= budget) return text;
  }
  // Even the name list is too long: keep as many sites as fit (binary search on the count).
  let lo = 0;
  let hi = report.sites.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (render(report, 'names', mid).length <= budget) lo = mid;
    else hi = mid - 1;
  }
  const text = render(report, 'names', lo);
  return text.length <= budget
    ? text
    : `${REPORT_MARKER}\n${text.slice(REPORT_MARKER.length + 1, budget - 1)}\n`;
}

function render(report: Report, stage: Stage, shownSites: number): string {
  const out: string[] = [REPORT_MARKER, '## osa-gitops plan', ''];
  const deploying = report.plan.steps.length;
  out.push(
    `Compared ${inlineCode(report.base)} → ${inlineCode(report.head)}: ` +
      `${count(report.sites.length, 'site')} changed, ${count(deploying, 'site')} ${deploying === 1 ? 'deploys' : 'deploy'} after merge.`,
    '',
  );
  const stale = report.stale ?? [];
  if (stale.length > 0) {
    out.push(
      `> [!CAUTION]\n> ${escapeMarkdown(staleHeadline(stale))}\n>\n` +
        stale.map((s) => `> - ${escapeMarkdown(staleSiteLine(s))}`).join('\n'),
      '',
    );
  }
  const notice = degradationNotice(report, stage, shownSites);
  if (notice) out.push(notice, '');

  if (report.sites.length === 0) {
    out.push(
      stale.length > 0
        ? 'No committed tree changed, so nothing deploys; the stale sites above deploy once rendered and committed.'
        : 'No rendered tree changed: nothing deploys.',
      '',
    );
    return out.join('\n');
  }

  out.push(...summaryTable(report.sites.slice(0, shownSites)), '');
  if (stage !== 'names') {
    for (const site of report.sites) out.push(...siteSection(site, stage, report), '');
  }
  out.push(...planSection(report, stage, shownSites));
  return out.join('\n');
}

function degradationNotice(report: Report, stage: Stage, shownSites: number): string | undefined {
  if (stage === 'full') return undefined;
  const files = report.sites.reduce((n, s) => n + s.diff.files.length, 0);
  const left: string[] = [`the rendered YAML diffs (${count(files, 'file')})`, 'the public-path diagrams'];
  if (stage === 'names') left.push('the per-site network changes and file lists');
  const hidden = report.sites.length - shownSites;
  if (hidden > 0) left.push(`${count(hidden, 'site')} from the tables (and their deploy steps)`);
  return (
    `> [!NOTE]\n> This comment was shortened to fit GitHub's 65,536-character limit. Left out: ${left.join(', ')}.\n` +
    `> Run ${inlineCode(`osa-gitops diff --base ${report.base}`)} locally for the full report.`
  );
}

function summaryTable(sites: readonly SiteReport[]): string[] {
  const rows = [
    '| site | status | disruption | network changes | files |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const s of sites) {
    const net = s.changes.filter((c) => c.kind !== 'file-changed').length;
    rows.push(
      `| ${cell(s.site)} | ${s.status} | ${DISRUPTION_BADGE[s.disruption]} | ${net} | ${s.diff.files.length} |`,
    );
  }
  return rows;
}

function siteSection(site: SiteReport, stage: Stage, report: Report): string[] {
  const out = [`### ${inlineCode(site.site)} — ${site.status}, disruption: **${site.disruption}**`, ''];
  for (const c of site.changes) {
    out.push(`- **${c.disruption}** ${escapeMarkdown(c.summary)} — _${escapeMarkdown(c.why)}_`);
  }
  out.push('', deployLine(site.site, report), '');
  // Folded: the first screen keeps what a reviewer decides on (changes, disruption, deploy);
  // the diagram and the host chains are there to check it.
  if (stage === 'full' && site.publicPath) {
    out.push(
      '<details><summary>Public path after this change (diagram)</summary>',
      '',
      fencedBlock(publicPathFlowchart(site.publicPath), 'mermaid'),
      '',
      '</details>',
      '',
    );
  }
  if (stage === 'full' && site.hostChains) {
    out.push(
      `<details><summary>Host networking of ${count(site.hostChains.length, 'host')} whose host_vars changed: NIC → bond → VLAN → bridge → container interface → network/VIP</summary>`,
      '',
      fencedBlock(formatHostChains(site.hostChains).join('\n'), 'text'),
      '',
      '</details>',
      '',
    );
  }
  const adds = site.diff.files.reduce((n, f) => n + f.additions, 0);
  const dels = site.diff.files.reduce((n, f) => n + f.deletions, 0);
  const title = `Rendered diff: ${count(site.diff.files.length, 'file')} (+${adds} −${dels})`;
  // A removed site's whole tree as `-` lines tells a reviewer nothing the file list does not.
  if (stage === 'full' && site.status !== 'removed') {
    out.push(`<details><summary>${title}</summary>`, '');
    for (const f of site.diff.files) out.push(fileHeading(f), '', fencedBlock(f.patch, 'diff'), '');
    out.push('</details>');
  } else {
    out.push(`${title}:`, '');
    for (const f of site.diff.files) out.push(`- ${fileHeading(f)}`);
  }
  return out;
}

/** Each site section says on its own whether and where it deploys (the full table is below). */
function deployLine(site: string, report: Report): string {
  const step = report.plan.steps.find((s) => s.site === site);
  if (step) {
    const where = [
      step.runnerLabel && `on runner ${inlineCode(step.runnerLabel)}`,
      step.configDir && `into ${inlineCode(step.configDir)}`,
    ]
      .filter(Boolean)
      .join(' ');
    const owner = noteOwners(report.plan);
    const note = (why: string) => {
      const first = owner.get(why);
      return first === undefined || first === step.site ? escapeMarkdown(why) : `as for ${inlineCode(first)}`;
    };
    // The commands and approvals are the first screen; why each stage runs is folded below them.
    const stages = step.stages.map(
      (s, i) =>
        `\n${i + 1}. **${s.name}**${s.conditional ? ', if needed' : ''}${s.approval === 'site' ? '' : `, ${escapeMarkdown(describeApproval(step.site, s))}`}: ${inlineCode(s.command)}`,
    );
    const why = step.stages.map((s) => `\n- **${s.name}**: ${note(s.why)}`);
    const manual = step.manual.map(
      (m) => `\n- Then, not run by the deploy: ${inlineCode(m.command)} (${note(m.why)})`,
    );
    return `**Deploys after merge**${where ? ` ${where}` : ''}, in stages:${stages.join('')}${manual.join('')}\n\n<details><summary>Why each stage runs</summary>\n${why.join('')}\n\n</details>`;
  }
  const skipped = report.plan.skipped.find((s) => s.site === site);
  return `**Not deployed:** ${escapeMarkdown(skipped?.reason ?? 'no change to deploy')}`;
}

function fileHeading(f: FileDiff): string {
  return `${inlineCode(f.path)} ${f.kind} (+${f.additions} −${f.deletions})`;
}

function planSection(report: Report, stage: Stage, shownSites: number): string[] {
  const { steps, skipped } = report.plan;
  const out = ['### Deploy plan', ''];
  const shown = new Set(report.sites.slice(0, shownSites).map((s) => s.site));
  if (steps.length === 0) out.push('Nothing deploys after merge.', '');
  else {
    out.push(
      "After merge, each site below deploys on its own runner, after its environment's approval: it syncs its tree into its config dir, then runs the stages its change needs, in OSA's order for a HAProxy host (host networking, containers, haproxy without keepalived, the services' frontends, galera's trusted proxies, a move off metal HAProxy, keepalived, verify; see each site above, with why each runs). Host networking and the move off metal HAProxy need their own approval, or are run by hand.",
      '',
    );
    const visible = steps.filter((s) => shown.has(s.site));
    if (stage === 'names') {
      out.push(`Deploys: ${visible.map((s) => inlineCode(s.site)).join(', ')}`, '');
    } else {
      out.push(
        '| site | runner | config dir | disruption | stages | because |',
        '| --- | --- | --- | --- | --- | --- |',
      );
      for (const s of visible) {
        const kinds = [...new Set(s.changes.map((c) => c.kind))].join(', ');
        const stages = s.stages
          .map((x) =>
            x.approval === 'site'
              ? x.name
              : `${x.name} (${x.approval === 'manual' ? 'manual' : 'own approval'}${x.conditional ? ', if needed' : ''})`,
          )
          .join(' → ');
        out.push(
          `| ${cell(s.site)} | ${opt(s.runnerLabel)} | ${opt(s.configDir)} | ${DISRUPTION_BADGE[s.disruption]} | ${stages} | ${kinds} |`,
        );
      }
      out.push('');
    }
  }
  for (const s of skipped.filter((k) => shown.has(k.site)))
    out.push(`- ${inlineCode(s.site)} is not deployed: ${escapeMarkdown(s.reason)}`);
  if (skipped.some((k) => shown.has(k.site))) out.push('');
  return out;
}

function opt(v: string | undefined): string {
  return v === undefined ? '(unknown)' : cell(v);
}

/** Inline code inside a table cell: GFM splits cells on `|` even inside code spans. */
function cell(v: string): string {
  return inlineCode(v).replace(/\|/g, '\\|');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
