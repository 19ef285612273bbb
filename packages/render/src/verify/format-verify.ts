import { escapeMarkdown } from '@osa-gitops/core';
import type { CheckStatus, VerifyCheck, VerifyResult } from './judge';

const LABEL: Record<CheckStatus, string> = {
  pass: 'ok',
  fail: 'FAIL',
  'not-applicable': 'n/a',
};

const MD_LABEL: Record<CheckStatus, string> = {
  pass: '✅ ok',
  fail: '❌ FAIL',
  'not-applicable': '➖ not applicable',
};

/** Where a finding is: `instance <name>, VIP <ip>, port <n>` (the parts a check has). */
export function findingPlace(c: VerifyCheck): string {
  return [
    c.instance !== undefined ? `instance ${c.instance}` : '',
    c.vip !== undefined ? `VIP ${c.vip}` : '',
    c.port !== undefined ? `port ${c.port}` : '',
  ]
    .filter((p) => p !== '')
    .join(', ');
}

/**
 * One line per check, aligned, then a verdict line. For terminals and job logs. A failed check
 * also names where it failed (instance, VIP, port) and what was expected.
 */
export function formatVerifyText(result: VerifyResult): string {
  const rows = result.checks.map((c) => [
    LABEL[c.status],
    c.id,
    c.subject,
    c.found,
    c.expected,
    findingPlace(c),
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), 0));
  const out = [`verify ${result.site}`];
  for (const r of rows) {
    const head = [0, 1, 2].map((i) => r[i]!.padEnd(widths[i]!)).join('  ');
    const failed = r[0] === LABEL.fail;
    out.push(
      `  ${head}  ${r[3]}${failed && r[5] ? `  [${r[5]}]` : ''}${failed ? `  (expected ${r[4]})` : ''}`,
    );
  }
  out.push(verdict(result));
  return `${out.join('\n')}\n`;
}

/** A Markdown table for the job summary and the revert PR's body; every value is escaped. */
export function formatVerifyMarkdown(result: VerifyResult): string {
  const out = [
    `### Verify ${escapeMarkdown(result.site)}: ${result.ok ? 'passed' : 'FAILED'}`,
    '',
    '| result | check | subject | instance | VIP | port | found | expected |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of result.checks) {
    out.push(
      `| ${MD_LABEL[c.status]} | ${c.id} | ${escapeMarkdown(c.subject)} | ${escapeMarkdown(c.instance ?? '')} | ${escapeMarkdown(c.vip ?? '')} | ${c.port ?? ''} | ${escapeMarkdown(c.found)} | ${escapeMarkdown(c.expected)} |`,
    );
  }
  out.push('', escapeMarkdown(verdict(result)), '');
  return out.join('\n');
}

export interface VerifyResultJson {
  readonly schemaVersion: 1;
  readonly site: string;
  readonly ok: boolean;
  readonly counts: VerifyResult['counts'];
  readonly checks: VerifyResult['checks'];
}

export function verifyResultToJson(result: VerifyResult): VerifyResultJson {
  return { schemaVersion: 1, site: result.site, ok: result.ok, counts: result.counts, checks: result.checks };
}

function verdict(r: VerifyResult): string {
  const { pass, fail } = r.counts;
  const na = r.counts['not-applicable'];
  return `${r.ok ? 'passed' : 'FAILED'}: ${pass} ok, ${fail} failed, ${na} not applicable`;
}
