import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report';
import { formatReportMarkdown } from './format-markdown';
import { formatReportText } from './format-text';
import { reportToJson } from './report-json';
import { renderedSite } from './testing/rendered-site';
import type { Report, StaleSite } from './types';

const STALE: StaleSite[] = [
  { site: 'dc-a', evidence: 'render', files: ['openstack_user_config.yml', 'user_variables.yml'] },
  { site: 'dc-b', evidence: 'invalid', files: [] },
  { site: 'dc-c', evidence: 'definition-changed', files: [] },
];

/** Nothing committed changed; three sites' definitions did. */
const quiet: Report = { ...buildReport([], { base: 'origin/main', head: 'working tree' }), stale: STALE };

describe('a report with stale sites', () => {
  it('text: says STALE first, per site what to run, and not "nothing deploys"', () => {
    const text = formatReportText(quiet);
    const lines = text.split('\n');
    expect(lines[2]).toBe(
      "✖ STALE: 3 sites' committed trees do not follow their definitions. This report and the deploy plan read committed trees, so they leave out what changed in them, and CI fails until the trees are rendered and committed:",
    );
    expect(lines.slice(3, 6)).toEqual([
      '  dc-a: its definition renders differently from its committed tree (2 files: openstack_user_config.yml, user_variables.yml). Run "osa-gitops render dc-a" and commit the result.',
      '  dc-b: its definition does not validate, so no tree renders from it. Run "osa-gitops validate dc-b", fix it, then "osa-gitops render dc-b" and commit.',
      '  dc-c: its definition changed but its committed tree did not. Check it with "osa-gitops check dc-c" on that commit; if stale, run "osa-gitops render dc-c" and commit.',
    ]);
    expect(text).not.toContain('No rendered tree changed: nothing deploys.');
    expect(text).toContain(
      'No committed tree changed, so nothing deploys; the stale sites above deploy once',
    );
    expect(formatReportText(quiet, { color: true })).toContain('\u001b[31m✖ STALE');
  });

  it('Markdown: a caution block before the plan, with the file list cut at five', () => {
    const many: Report = {
      ...quiet,
      stale: [
        {
          site: 'dc-a',
          evidence: 'render',
          files: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((f) => `${f}.yml`),
        },
      ],
    };
    const md = formatReportMarkdown(many);
    expect(md).toContain(
      "> [!CAUTION]\n> STALE: 1 site's committed tree does not follow its definition. This report and the deploy plan read committed trees, so they leave out what changed in it,",
    );
    expect(md).toContain('(7 files: a.yml, b.yml, c.yml, d.yml, e.yml, …)');
    expect(md.indexOf('[!CAUTION]')).toBeLessThan(md.indexOf('No committed tree changed'));
  });

  it('Markdown: still there when sites did change and the comment is shortened', () => {
    const changed: Report = {
      ...buildReport([{ site: 'dc-z', after: renderedSite({ site: 'dc-z' }) }], {
        base: 'main',
        head: 'HEAD',
      }),
      stale: STALE.slice(0, 1),
    };
    expect(formatReportMarkdown(changed)).toContain('> - dc-a: its definition renders differently');
    expect(formatReportMarkdown(changed, { budget: 2_500 })).toContain(
      '> - dc-a: its definition renders differently',
    );
  });

  it('JSON: every stale site with its evidence; [] when none', () => {
    expect(reportToJson(quiet).stale).toEqual(STALE);
    expect(reportToJson({ ...quiet, stale: undefined }).stale).toEqual([]);
    const calm = formatReportText({ ...quiet, stale: [] });
    expect(calm).toContain('No rendered tree changed: nothing deploys.');
    expect(calm).not.toContain('STALE');
  });
});
