import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report';
import { formatReportMarkdown } from './format-markdown';
import { formatReportText } from './format-text';
import { noteOwners } from './notes';
import { renderedSite } from './testing/rendered-site';

/** Three sites whose external VIP moves the same way: the same stages, for the same reasons. */
function fleetChange() {
  const sites = ['dc-a', 'dc-b', 'dc-c'].map((site) => ({
    site,
    before: renderedSite({ site }),
    after: renderedSite({ site, externalVip: '203.0.113.141' }),
    deploy: { runnerLabel: `osa-deploy-${site}` },
  }));
  return buildReport(sites, { base: 'main', head: 'HEAD' });
}

describe('each explanation of the plan is said once', () => {
  it('the first site in plan order carries it', () => {
    const report = fleetChange();
    const owners = noteOwners(report.plan);
    const whys = report.plan.steps[0]!.stages.map((s) => s.why);
    expect(whys.length).toBeGreaterThan(0);
    for (const why of whys) expect(owners.get(why)).toBe('dc-a');
  });

  it('text and Markdown: later sites refer to it instead of repeating it', () => {
    const report = fleetChange();
    const why = report.plan.steps[0]!.stages[0]!.why;
    const text = formatReportText(report, { diffs: false });
    expect(text.split(`(${why})`)).toHaveLength(2);
    expect(text).toContain('(as for dc-a)');
    const md = formatReportMarkdown(report);
    expect(md).toContain(': as for `dc-a`');
    expect(md).not.toContain('as for `dc-b`');
  });
});
