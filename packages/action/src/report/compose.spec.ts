import { issue } from '@osa-gitops/core';
import { REPORT_MARKER, type Report } from '@osa-gitops/report';
import { describe, expect, it } from 'vitest';
import { capMarkdown } from './cap-markdown.js';
import { composeProposeMarkdown, composeValidateMarkdown } from './compose.js';

const options = { budget: 60_000, footer: '<sub>footer</sub>', fullReportHint: 'see the job summary' };

function report(sites: number, patchLines = 200): Report {
  const patch = `--- a/x\n+++ b/x\n${'+ changed line\n'.repeat(patchLines)}`;
  return {
    base: 'base',
    head: 'head',
    sites: Array.from({ length: sites }, (_, i) => ({
      site: `site-${i}`,
      status: 'changed' as const,
      disruption: 'none' as const,
      changes: [],
      diff: {
        files: [{ path: 'x.yml', kind: 'changed' as const, patch, additions: patchLines, deletions: 0 }],
        differenceCount: 1,
      },
    })),
    plan: { steps: [], skipped: [] },
  };
}

describe('composeValidateMarkdown', () => {
  it('says nothing deploys when no site is affected', () => {
    const md = composeValidateMarkdown({ affected: [], issues: [], stale: [] }, report(0), options);
    expect(md.startsWith(`${REPORT_MARKER}\n## ✅ osa-gitops: no site changed — nothing to deploy`)).toBe(
      true,
    );
    expect(md.endsWith('<sub>footer</sub>\n')).toBe(true);
  });

  it('fails on errors and stale files, and escapes what the definition controls', () => {
    const md = composeValidateMarkdown(
      {
        affected: ['dc1'],
        issues: [
          {
            ...issue('VIP_OUTSIDE_NETWORK', 'dc1', ['haproxy', 'vips', 'external'], 'VIP <b>@here</b>'),
            file: 'environments/dc1/environment.ts',
          },
        ],
        stale: [{ site: 'dc1', path: 'a.yml', kind: 'changed', diff: '-a\n+b\n```\n' }],
      },
      report(1),
      options,
    );
    expect(md).toContain('## ❌ osa-gitops: validation failed');
    expect(md).toContain('1 error, 1 stale rendered file');
    expect(md).toContain('VIP &lt;b&gt;&#64;here&lt;/b&gt;');
    expect(md).toContain('````diff\n-a\n+b\n```\n````');
  });

  it.each([1, 10, 200])('stays within the budget with %i sites, marker first and footer last', (sites) => {
    for (const budget of [2_000, 10_000, 60_000]) {
      const issues = Array.from({ length: 300 }, (_, i) =>
        issue('SCHEMA_INVALID', `site-${i % sites}`, ['hosts', i], 'bad'),
      );
      const md = composeValidateMarkdown({ affected: ['site-0'], issues, stale: [] }, report(sites), {
        ...options,
        budget,
      });
      expect(md.length).toBeLessThanOrEqual(budget);
      expect(md.startsWith(REPORT_MARKER)).toBe(true);
      expect(md.endsWith('<sub>footer</sub>\n')).toBe(true);
    }
  });
});

describe('composeProposeMarkdown', () => {
  it('has no sticky-comment marker and fits the budget', () => {
    const md = composeProposeMarkdown(report(50), {
      ...options,
      budget: 8_000,
      sourceBranch: 'feat',
      sourceSha: 'f'.repeat(40),
    });
    expect(md).not.toContain(REPORT_MARKER);
    expect(md.length).toBeLessThanOrEqual(8_000);
    expect(md).toContain('Rendered override trees for `feat` at `ffffffffffff`.');
  });
});

describe('capMarkdown', () => {
  it('returns text that fits unchanged', () => {
    expect(capMarkdown('short', 10, 'n')).toBe('short');
  });

  it('closes a fence and open <details> left by the cut', () => {
    const text = `<details><summary>x</summary>\n\n\`\`\`diff\n${'+line\n'.repeat(500)}\`\`\`\n</details>\n`;
    const out = capMarkdown(text, 600, 'NOTICE');
    expect(out.length).toBeLessThanOrEqual(600);
    expect(out).toMatch(/\+line\n```\n<\/details>\n\nNOTICE\n$/);
  });
});
