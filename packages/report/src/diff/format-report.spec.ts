import { describe, expect, it } from 'vitest';
import { buildReport, type SiteTrees } from './build-report';
import { formatReportMarkdown, REPORT_MARKER } from './format-markdown';
import { formatReportText } from './format-text';
import { DEPLOY_ARGV, DEPLOY_COMMAND } from './plan';
import { TRUSTED_PROXIES_ARGV } from './stages';
import { reportToJson } from './report-json';
import { renderedSite } from './testing/rendered-site';

const deploy = (site: string) => ({ runnerLabel: `osa-deploy-${site}`, configDir: '/etc/openstack_deploy' });

/** Four sites: one changed (VIP + VLAN + new haproxy host), one added, one removed, one equal. */
function sampleReport() {
  const sites: SiteTrees[] = [
    {
      site: 'dc-east',
      before: renderedSite({ site: 'dc-east' }),
      after: renderedSite({
        site: 'dc-east',
        externalVip: '203.0.113.141',
        vlanId: 42,
        haproxyHosts: ['infra1', 'infra2', 'infra3'],
      }),
      deploy: deploy('dc-east'),
    },
    { site: 'dc-new', after: renderedSite({ site: 'dc-new' }), deploy: deploy('dc-new') },
    { site: 'dc-old', before: renderedSite({ site: 'dc-old' }) },
    { site: 'dc-same', before: renderedSite({ site: 'dc-same' }), after: renderedSite({ site: 'dc-same' }) },
  ];
  return buildReport(sites, { base: 'origin/main', head: 'HEAD' });
}

describe('buildReport', () => {
  it('lists changed sites only and plans deploys for those that still exist', () => {
    const report = sampleReport();
    expect(report.sites.map((s) => [s.site, s.status, s.disruption])).toEqual([
      ['dc-east', 'changed', 'vip-failover'],
      ['dc-new', 'added', 'container-recreated'],
      ['dc-old', 'removed', 'none'],
    ]);
    expect(report.plan.steps.map((s) => [s.site, s.runnerLabel, s.command])).toEqual([
      ['dc-east', 'osa-deploy-dc-east', DEPLOY_COMMAND],
      ['dc-new', 'osa-deploy-dc-new', DEPLOY_COMMAND],
    ]);
    expect(report.plan.skipped).toMatchObject([{ site: 'dc-old' }]);
    expect(DEPLOY_COMMAND).toBe(
      'openstack-ansible playbooks/lxc-containers-create.yml --limit haproxy,lxc_hosts',
    );
  });
});

describe('formatReportMarkdown', () => {
  it('matches the golden report', async () => {
    const md = formatReportMarkdown(sampleReport());
    expect(md.startsWith(`${REPORT_MARKER}\n`)).toBe(true);
    await expect(md).toMatchFileSnapshot('__snapshots__/report.golden.md');
  });

  it('agrees the verb with the number of sites that deploy', () => {
    const one = buildReport(
      [{ site: 'dc-new', after: renderedSite({ site: 'dc-new' }), deploy: deploy('dc-new') }],
      { base: 'a', head: 'b' },
    );
    expect(formatReportMarkdown(one)).toContain('1 site changed, 1 site deploys after merge.');
    const none = buildReport([{ site: 'dc-old', before: renderedSite({ site: 'dc-old' }) }], {
      base: 'a',
      head: 'b',
    });
    expect(formatReportMarkdown(none)).toContain('1 site changed, 0 sites deploy after merge.');
    expect(formatReportMarkdown(sampleReport())).toContain('3 sites changed, 2 sites deploy after merge.');
  });

  it('says explicitly when nothing changed', () => {
    const md = formatReportMarkdown(buildReport([], { base: 'a', head: 'b' }));
    expect(md).toContain('No rendered tree changed: nothing deploys.');
  });

  it('uses a fence longer than any backtick run in the content', () => {
    const evil = '# x\n```\n</details>\n\n@someone [link](http://x) <img src=x>\n````\n';
    const report = buildReport(
      [
        {
          site: 's1',
          before: renderedSite({ site: 's1' }),
          after: renderedSite({ site: 's1', extraFiles: { 'a.yml': evil } }),
        },
      ],
      { base: 'a', head: 'b' },
    );
    const md = formatReportMarkdown(report);
    const block = md.slice(md.indexOf('`````diff'));
    // The 5-backtick fence opens and closes the block; the 3- and 4-backtick lines stay inside it.
    expect(block.split('\n').filter((l) => l === '`````')).toHaveLength(1);
    expect(block.indexOf('`````\n')).toBeGreaterThan(block.indexOf('+````'));
  });

  it('stays under the budget with 200 changed sites with large diffs, and says what it left out', () => {
    const big = (n: number) =>
      Array.from({ length: 400 }, (_, i) => `line_${i}: value-${n}-${i}`).join('\n') + '\n';
    const sites: SiteTrees[] = Array.from({ length: 200 }, (_, i) => {
      const site = `site-${String(i).padStart(3, '0')}`;
      return {
        site,
        // An added file keeps the diff cheap to compute while the patch text stays large.
        before: renderedSite({ site }),
        after: renderedSite({ site, externalVip: '203.0.113.141', extraFiles: { 'extra.yml': big(i) } }),
        deploy: deploy(site),
      };
    });
    const report = buildReport(sites, { base: 'origin/main', head: 'HEAD' });
    const md = formatReportMarkdown(report);
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md).toContain("shortened to fit GitHub's 65,536-character limit");
    expect(md).toContain('rendered YAML diffs (600 files)');
    expect(md).toContain('`site-199`');

    const tiny = formatReportMarkdown(report, { budget: 3_000 });
    expect(tiny.length).toBeLessThanOrEqual(3_000);
    expect(tiny).toMatch(/Left out: .*\d+ sites from the tables/);
    // 200 sites' trees built and diffed: seconds on a loaded machine.
  }, 60_000);

  it('degrades to a per-file summary before dropping to names only', () => {
    const report = sampleReport();
    const full = formatReportMarkdown(report);
    const summary = formatReportMarkdown(report, { budget: full.length - 1 });
    expect(summary).toContain('- `openstack_user_config.yml` changed');
    expect(summary).not.toContain('```diff');
    expect(summary).toContain('rendered YAML diffs');
  });
});

describe('reportToJson', () => {
  it('has the documented stable shape', () => {
    const json = reportToJson(sampleReport());
    expect(Object.keys(json)).toEqual(['schemaVersion', 'base', 'head', 'sites', 'plan', 'stale']);
    expect(json.schemaVersion).toBe(1);
    expect(Object.keys(json.sites[0]!)).toEqual(['site', 'status', 'disruption', 'changes', 'files']);
    expect(Object.keys(json.sites[0]!.changes[0]!)).toEqual([
      'kind',
      'disruption',
      'summary',
      'why',
      'subject',
      'before',
      'after',
      'files',
    ]);
    expect(Object.keys(json.sites[0]!.files[0]!)).toEqual([
      'path',
      'kind',
      'additions',
      'deletions',
      'patch',
    ]);
    expect(json.plan).toMatchObject({
      command: DEPLOY_COMMAND,
      argv: [...DEPLOY_ARGV],
      deploy: [
        {
          site: 'dc-east',
          disruption: 'vip-failover',
          runnerLabel: 'osa-deploy-dc-east',
          configDir: '/etc/openstack_deploy',
          // The added haproxy host also joined shared-infra_hosts: reported, not hidden.
          reasons: ['external-vip-moved', 'vlan-id-changed', 'haproxy-host-added', 'file-changed'],
          stages: [
            {
              name: 'host-networking',
              argv: [
                'openstack-ansible',
                'playbooks/openstack-hosts-setup.yml',
                '--limit',
                'infra1,infra2,infra3',
                '--tags',
                'openstack_hosts-systemd',
              ],
              approval: 'host-networking',
              hosts: ['infra1', 'infra2', 'infra3'],
            },
            { name: 'containers', argv: [...DEPLOY_ARGV], approval: 'site', hosts: null },
            {
              name: 'haproxy',
              argv: ['openstack-ansible', 'playbooks/haproxy-install.yml', '--skip-tags', 'keepalived'],
            },
            {
              name: 'frontends',
              argv: [
                'openstack-ansible',
                'playbooks/repo-install.yml',
                'playbooks/galera-install.yml',
                'playbooks/rabbitmq-install.yml',
                '--tags',
                'haproxy-service-config',
              ],
            },
            { name: 'trusted-proxies', argv: [...TRUSTED_PROXIES_ARGV] },
            {
              name: 'keepalived',
              argv: ['openstack-ansible', 'playbooks/haproxy-install.yml', '--tags', 'keepalived'],
              conditional: false,
            },
            { name: 'verify', argv: ['osa-gitops', 'verify', 'dc-east'] },
          ],
          // infra3 also joined shared-infra_hosts and repo-infra_hosts: its other containers are
          // set up by OSA's own playbooks, after the deploy.
          manual: [
            {
              argv: [
                'openstack-ansible',
                'playbooks/setup-hosts.yml',
                '--limit',
                'localhost,infra3,infra3-*',
              ],
            },
            { argv: expect.arrayContaining(['playbooks/setup-infrastructure.yml']) },
            { argv: expect.arrayContaining(['playbooks/setup-openstack.yml']) },
          ],
        },
        { site: 'dc-new', reasons: ['site-added'] },
      ],
      skipped: [{ site: 'dc-old' }],
    });
    expect(json.sites[2]!.changes[0]).toMatchObject({ kind: 'site-removed', subject: null, before: null });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('formatReportText', () => {
  it('prints sites, changes and the plan without colour by default', () => {
    const text = formatReportText(sampleReport(), { diffs: false });
    expect(text).not.toContain('\u001b[');
    expect(text).toContain('[~] dc-east (changed, disruption: vip-failover)');
    expect(text).toContain('dc-east: (runner osa-deploy-dc-east, into /etc/openstack_deploy)');
    expect(text).toContain(`2. containers: ${DEPLOY_COMMAND}  (creates or updates`);
    expect(text).toContain('[needs its own approval (environment dc-east-host-networking)]');
    expect(text).toContain('dc-old: not deployed');
  });
});
