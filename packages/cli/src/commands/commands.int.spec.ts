import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main, COMMANDS } from '../main';
import { loadTimeoutFromEnv } from '../workspace/compile-workspace';
import { createWorkspace, fakeIo, type Workspace } from '../test-utils/workspace-fixture';

let ws: Workspace;
// Issues are placed on their line with the TypeScript compiler, loaded on the first issue (several
// seconds on a busy machine): loaded here once, so no single test's time budget carries it.
beforeAll(() => import('typescript'), 120_000);
beforeEach(async () => {
  ws = await createWorkspace();
  await ws.writeSite({ name: 'dc-a', index: 1 });
  await ws.writeSite({ name: 'dc-b', index: 2 });
});
afterEach(async () => {
  await ws[Symbol.asyncDispose]();
});

async function run(args: string[], opts: { isTTY?: boolean; env?: Record<string, string> } = {}) {
  const io = fakeIo(ws.root, opts);
  const code = await main(args, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

const ISSUE_KEYS = ['code', 'severity', 'site', 'path', 'message', 'file', 'line', 'column'];

describe('validate', () => {
  it('exits 0 for valid sites, with the documented JSON shape', async () => {
    const { code, out } = await run(['validate', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'command', 'ok', 'sites', 'fleetIssues']);
    expect(json).toMatchObject({ schemaVersion: 1, command: 'validate', ok: true, fleetIssues: [] });
    expect(json.sites).toEqual([
      { site: 'dc-a', file: 'environments/dc-a/environment.ts', ok: true, issues: [] },
      { site: 'dc-b', file: 'environments/dc-b/environment.ts', ok: true, issues: [] },
    ]);
  });

  it('exits 1 and names site, file, path and what was expected, without a stack', async () => {
    await ws.writeSite({ name: 'dc-b', index: 2, vlan: 5000 });
    const { code, out } = await run(['validate']);
    expect(code).toBe(1);
    expect(out).toContain('dc-b');
    expect(out).toMatch(/environments\/dc-b\/environment\.ts:\d+:\d+ → haproxy\.publicNetwork\.vlan/);
    expect(out).toContain('[VLAN_ID_RANGE]');
    expect(out).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    const json = JSON.parse((await run(['validate', '--json', 'dc-b'])).out);
    expect(json.ok).toBe(false);
    expect(Object.keys(json.sites[0].issues[0])).toEqual(ISSUE_KEYS);
    const issue = json.sites[0].issues[0];
    expect(issue).toMatchObject({ code: 'VLAN_ID_RANGE', path: ['haproxy', 'publicNetwork', 'vlan'] });
    // The line and column of the `vlan` key in the definition, also in the text output.
    const source = (await fs.readFile(path.join(ws.root, issue.file), 'utf8')).split('\n');
    expect(source[issue.line - 1].slice(issue.column - 1)).toMatch(/^vlan\b/);
    expect(out).toContain(`${issue.file}:${issue.line}:${issue.column} → haproxy.publicNetwork.vlan`);
  });

  it('points at the line of a definition that throws', async () => {
    await fs.writeFile(
      path.join(ws.root, 'environments/dc-b/environment.ts'),
      "const x: { a?: { b: number } } = {};\nexport default { name: 'dc-b', n: x.a!.b };\n",
    );
    const json = JSON.parse((await run(['validate', '--json'])).out);
    const issue = json.sites[1].issues[0];
    expect(issue).toMatchObject({ code: 'LOAD_FAILED', file: 'environments/dc-b/environment.ts', line: 2 });
  });
});

describe('render and check', () => {
  it('renders, then check passes; a hand edit makes check fail with the diff', async () => {
    const rendered = await run(['render']);
    expect(rendered.code).toBe(0);
    expect(rendered.out).toContain('write  environments/dc-a/openstack_deploy/openstack_user_config.yml');
    expect((await run(['render'])).out).toContain('every committed tree is already up to date');
    expect((await run(['check'])).code).toBe(0);

    const file = path.join(ws.root, 'environments/dc-a/openstack_deploy/user_variables_haproxy_lxc.yml');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('eth20', 'eth21'));
    const check = await run(['check']);
    expect(check.code).toBe(1);
    expect(check.out).toContain('stale (changed)');
    expect(check.out).toContain('+haproxy_bind_external_lb_vip_interface: eth20');
    expect(check.out).toContain('Run "osa-gitops render dc-a"');

    const json = JSON.parse((await run(['check', '--json'])).out);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'command', 'ok', 'sites', 'fleetIssues']);
    expect(json.ok).toBe(false);
    expect(Object.keys(json.sites[0])).toEqual(['site', 'file', 'ok', 'issues', 'stale']);
    expect(json.sites[0].stale).toMatchObject([{ path: 'user_variables_haproxy_lxc.yml', kind: 'changed' }]);
    expect(json.sites[1].stale).toEqual([]);
  });

  it('render --json lists written files per site', async () => {
    const json = JSON.parse((await run(['render', '--json', 'dc-a'])).out);
    expect(json.sites).toHaveLength(1);
    expect(Object.keys(json.sites[0])).toEqual([
      'site',
      'file',
      'ok',
      'issues',
      'written',
      'removed',
      'unchanged',
    ]);
    expect(json.sites[0].written).toContain('osa-gitops-manifest.json');
  });
});

describe('diff, plan and ci', () => {
  it('diff and plan report against a base ref, with stable JSON', async () => {
    await run(['render']);
    const base = await ws.commit('base');
    await ws.writeSite({ name: 'dc-a', index: 1, externalVipHost: 12 });
    await run(['render']);

    const text = await run(['diff', '--base', base]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('external VIP 100.64.1.10 → 100.64.1.12');

    const json = JSON.parse((await run(['diff', '--base', base, '--json'])).out);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'base', 'head', 'sites', 'plan', 'stale']);
    expect(json.stale).toEqual([]);
    expect(json).toMatchObject({ schemaVersion: 1, base, head: 'working tree' });
    expect(json.plan.deploy).toMatchObject([
      {
        site: 'dc-a',
        disruption: 'vip-failover',
        runnerLabel: 'osa-deploy-dc-a',
        configDir: '/etc/openstack_deploy',
        reasons: ['external-vip-moved'],
      },
    ]);

    const debug = await run(['diff', '--base', base, '--no-diffs'], { env: { OSA_GITOPS_DEBUG: '1' } });
    expect(debug.err).toContain('osa-gitops: git ls-tree -r -l -z');

    const md = await run(['diff', '--base', base, '--markdown']);
    expect(md.out.startsWith('<!-- osa-gitops:report -->')).toBe(true);

    const plan = JSON.parse((await run(['plan', '--base', base, '--json'])).out);
    expect(Object.keys(plan)).toEqual(['schemaVersion', 'base', 'head', 'plan', 'stale']);
    const planText = (await run(['plan', '--base', base])).out;
    expect(planText).toContain('dc-a: (runner osa-deploy-dc-a, into /etc/openstack_deploy)');
    // A moved VIP: no host networking; the containers, haproxy-install, verify.
    expect(planText).toContain(
      '1. containers: openstack-ansible playbooks/lxc-containers-create.yml --limit haproxy,lxc_hosts',
    );
    expect(planText).toContain(
      '2. haproxy: openstack-ansible playbooks/haproxy-install.yml --skip-tags keepalived',
    );
    expect(planText).toContain(
      '3. keepalived: openstack-ansible playbooks/haproxy-install.yml --tags keepalived',
    );
    expect(planText).toContain('4. verify: osa-gitops verify dc-a');

    // Between two commits the same: runner and config dir come from the head's definitions,
    // not from the working tree (edited here after the commit, to tell them apart).
    const head = await ws.commit('moved VIP');
    await ws.writeSite({ name: 'dc-a', index: 1, externalVipHost: 13 });
    const planAtHead = JSON.parse((await run(['plan', '--base', base, '--head', head, '--json'])).out);
    expect(planAtHead.plan.deploy).toMatchObject([
      { site: 'dc-a', runnerLabel: 'osa-deploy-dc-a', configDir: '/etc/openstack_deploy' },
    ]);
    expect((await run(['plan', '--base', base, '--head', head])).out).toContain(
      'dc-a: (runner osa-deploy-dc-a, into /etc/openstack_deploy)',
    );
  });

  it('says loudly that a definition changed without a render: text, JSON, Markdown and plan exit 1', async () => {
    await run(['render']);
    const base = await ws.commit('base');
    await ws.writeSite({ name: 'dc-a', index: 1, externalVipHost: 12 }); // edited, not rendered

    const text = await run(['diff', '--base', base]);
    expect(text.code).toBe(1);
    expect(text.out).toContain(
      "✖ STALE: 1 site's committed tree does not follow its definition. This report and the deploy plan read committed trees",
    );
    expect(text.out).toMatch(
      /dc-a: its definition renders differently from its committed tree \(\d+ files?: [^)]*openstack_user_config\.yml[^)]*\)\. Run "osa-gitops render dc-a" and commit the result\./,
    );
    expect(text.out).not.toContain('No rendered tree changed: nothing deploys.');
    expect(text.out).toContain('No committed tree changed, so nothing deploys; the stale sites above deploy');

    const json = JSON.parse((await run(['diff', '--base', base, '--json'])).out);
    expect(json.sites).toEqual([]);
    expect(json.stale).toEqual([
      { site: 'dc-a', evidence: 'render', files: expect.arrayContaining(['openstack_user_config.yml']) },
    ]);
    const md = await run(['diff', '--base', base, '--markdown']);
    expect(md.code).toBe(1);
    expect(md.out).toContain('> [!CAUTION]\n> STALE: 1 site');
    const plan = await run(['plan', '--base', base]);
    expect(plan.code).toBe(1);
    expect(plan.out).toContain('STALE');
    expect(JSON.parse((await run(['plan', '--base', base, '--json'])).out).stale).toHaveLength(1);

    // Committed without rendering, compared as commits: the definition changed, its tree did not.
    const head = await ws.commit('definition only');
    const byRef = await run(['diff', '--base', base, '--head', head, '--json']);
    expect(byRef.code).toBe(1);
    expect(JSON.parse(byRef.out).stale).toEqual([
      { site: 'dc-a', evidence: 'definition-changed', files: [] },
    ]);

    // A definition that does not validate cannot be rendered: said as well.
    await fs.writeFile(
      path.join(ws.root, 'environments/dc-b/environment.ts'),
      (await fs.readFile(path.join(ws.root, 'environments/dc-b/environment.ts'), 'utf8')).replace(
        "external: '100.64.2.10'",
        "external: '192.0.2.1'",
      ),
    );
    const both = JSON.parse((await run(['diff', '--base', base, '--json'])).out);
    expect(both.stale).toEqual([
      { site: 'dc-a', evidence: 'render', files: expect.any(Array) },
      { site: 'dc-b', evidence: 'invalid', files: [] },
    ]);

    // Rendered: nothing stale, exit 0 again.
    await ws.writeSite({ name: 'dc-b', index: 2 });
    await run(['render']);
    const fresh = await run(['diff', '--base', base, '--json']);
    expect(fresh.code).toBe(0);
    expect(JSON.parse(fresh.out).stale).toEqual([]);
  });

  it('diff without --base or with an unknown ref is a usage error', async () => {
    const missing = await run(['diff']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--base <ref> is required');
    const unknown = await run(['plan', '--base', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('git does not know the ref "nope"');
  });

  it('ci validates, renders and plans every site as if first deployed', async () => {
    const { code, out } = await run(['ci']);
    expect(code).toBe(0);
    expect(out).toContain('✔ 2 site(s) valid');
    expect(out).toContain('14 file(s) changed in 2 site(s)');
    expect(out).toContain('as if it were deployed for the first time');
    expect(out).toContain('dc-b: (runner osa-deploy-dc-b');
    expect(out).toContain(
      '1. host-networking: openstack-ansible playbooks/openstack-hosts-setup.yml --limit dc-b-infra1,dc-b-infra2',
    );

    const json = JSON.parse((await run(['ci', '--json'])).out);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'command', 'ok', 'sites', 'fleetIssues', 'report']);
    expect(json.report.base).toBe('nothing (every site as if first deployed)');
    expect(json.report.plan.deploy.map((d: { site: string }) => d.site)).toEqual(['dc-a', 'dc-b']);
  });

  it('ci --base plans only what changed since the base', async () => {
    await run(['render']);
    const base = await ws.commit('base');
    await ws.writeSite({ name: 'dc-b', index: 2, vlan: 41 });
    const { code, out } = await run(['ci', '--base', base]);
    expect(code).toBe(0);
    expect(out).not.toContain('as if it were deployed for the first time');
    expect(out).toContain('VLAN vlan-public-api id 40 → 41');
    expect(out).toContain('dc-b: (runner');
    expect(out).not.toContain('dc-a: (runner');
  });

  it('refuses a site argument that is not a site name, writing nothing', async () => {
    const { code, out } = await run(['render', '../../etc']);
    expect(code).toBe(1);
    expect(out).toContain('[NAME_INVALID]');
    expect(out).toContain('nothing written: fix the errors above');
  });

  it('ci fails when a site is invalid and writes nothing, not even the valid sites', async () => {
    await ws.writeSite({ name: 'dc-b', index: 2, vlan: 0 });
    const { code, out } = await run(['ci']);
    expect(code).toBe(1);
    expect(out).toContain('nothing written: fix the errors above');
    expect(out).not.toContain('environments/dc-a/openstack_deploy/');
    await expect(fs.stat(path.join(ws.root, 'environments/dc-a/openstack_deploy'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});

describe('render writes nothing when anything is invalid', () => {
  const treeDir = (site: string) => path.join(ws.root, 'environments', site, 'openstack_deploy');

  it('a site error: no site is written, exit 1, and the output says so', async () => {
    await ws.writeSite({ name: 'dc-b', index: 2, vlan: 0 });
    const { code, out } = await run(['render']);
    expect(code).toBe(1);
    expect(out).toContain('nothing written: fix the errors above');
    await expect(fs.stat(treeDir('dc-a'))).rejects.toMatchObject({ code: 'ENOENT' });

    const json = JSON.parse((await run(['render', '--json'])).out);
    expect(json.ok).toBe(false);
    expect(json.sites.flatMap((s: { written: string[] }) => s.written)).toEqual([]);
  });

  it('a fleet error: nothing is written, not even a site outside the conflict', async () => {
    await ws.writeSite({ name: 'dc-c', index: 1 }); // dc-a's networks again
    const conflict = await run(['render', 'dc-a']);
    expect(conflict.code).toBe(1);
    expect(conflict.out).toContain('FLEET_NETWORK_OVERLAP');
    expect(conflict.out).toContain('nothing written: fix the errors above');

    const other = await run(['render', 'dc-b']);
    expect(other.code).toBe(1);
    expect(other.out).toContain('nothing written: fix the errors in dc-a, dc-c');
    expect(JSON.parse((await run(['render', '--json', 'dc-b'])).out).ok).toBe(false);
    for (const site of ['dc-a', 'dc-b', 'dc-c']) {
      await expect(fs.stat(treeDir(site))).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });
});

describe('a fleet conflict concerns both sites', () => {
  it('validate of either site alone fails and names the other', async () => {
    await ws.writeSite({ name: 'dc-c', index: 1 }); // a copy of dc-a: same networks and VIPs
    for (const [site, other] of [
      ['dc-c', 'dc-a'],
      ['dc-a', 'dc-c'],
    ] as const) {
      const { code, out } = await run(['validate', '--json', site]);
      expect(code).toBe(1);
      const json = JSON.parse(out);
      expect(json.fleetIssues.length).toBeGreaterThan(0);
      for (const i of json.fleetIssues) {
        expect(i.site).toBe(site);
        expect(i.message).toContain(`site ${other}`);
      }
      expect(json.fleetIssues.map((i: { code: string }) => i.code)).toContain('FLEET_NETWORK_OVERLAP');
    }
    expect((await run(['validate', 'dc-b'])).code).toBe(0);
  });

  it('validate --no-fleet checks the named site alone (no fleet rules, no other site loaded)', async () => {
    await ws.writeSite({ name: 'dc-c', index: 1 });
    await fs.writeFile(path.join(ws.root, 'environments/dc-b/environment.ts'), 'export default {\n');
    const alone = await run(['validate', '--json', '--no-fleet', 'dc-c']);
    expect(alone.code).toBe(0);
    expect(JSON.parse(alone.out)).toMatchObject({
      ok: true,
      fleetIssues: [],
      sites: [{ site: 'dc-c', ok: true }],
    });
    // The fleet run still sees both the conflict and the broken site.
    const all = JSON.parse((await run(['validate', '--json'])).out);
    expect(all.ok).toBe(false);
    expect(all.fleetIssues.map((i: { code: string }) => i.code)).toContain('FLEET_NETWORK_OVERLAP');
    const refused = await run(['validate', '--no-fleet']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--no-fleet needs the sites to validate');
    // check --no-fleet: the same site alone, compared with its committed tree (none yet).
    const checked = JSON.parse((await run(['check', '--json', '--no-fleet', 'dc-c'])).out);
    expect(checked.fleetIssues).toEqual([]);
    expect(checked.sites.map((s: { site: string }) => s.site)).toEqual(['dc-c']);
    expect(checked.sites[0].issues).toEqual([]);
    expect(checked.sites[0].stale.map((f: { kind: string }) => f.kind)).toContain('missing');
    expect((await run(['check', '--no-fleet'])).code).toBe(2);
  });

  it('the summary counts the site a fleet error is printed for, not "0 of 1 site(s) and the fleet"', async () => {
    await ws.writeSite({ name: 'dc-c', index: 1 });
    const { code, out } = await run(['validate', 'dc-c']);
    expect(code).toBe(1);
    expect(out).toMatch(/FLEET_NETWORK_OVERLAP/);
    expect(out).toMatch(/✖ \d+ error\(s\), \d+ warning\(s\) in 1 of 1 site\(s\): dc-c\n/);
    expect(out).not.toContain('and the fleet');
    const all = await run(['validate']);
    expect(all.out).toMatch(/in 2 of 3 site\(s\): dc-a, dc-c\n/);
  });
});

describe('a rendered tree without a definition', () => {
  async function orphan(): Promise<void> {
    await run(['render']);
    await fs.rm(path.join(ws.root, 'environments/dc-b/environment.ts'));
  }
  const message =
    'rendered tree without a definition: delete environments/dc-b/openstack_deploy or add environments/dc-b/environment.ts';

  it('fails validate, check and ci with LOAD_FAILED on the folder', async () => {
    await orphan();
    for (const cmd of ['validate', 'check', 'ci']) {
      const { code, out } = await run([cmd, '--json']);
      expect(code, cmd).toBe(1);
      const site = JSON.parse(out).sites.find((s: { site: string }) => s.site === 'dc-b');
      expect(site, cmd).toMatchObject({
        ok: false,
        issues: [{ code: 'LOAD_FAILED', path: [], message, file: 'environments/dc-b/openstack_deploy' }],
      });
    }
    expect((await run(['validate', 'dc-a'])).code).toBe(0);
    expect((await run(['validate', 'dc-b'])).out).toContain(message);
  });

  it('is not planned for deploy; the plan lists it as skipped', async () => {
    const base = await ws.commit('empty');
    await orphan();
    const head = await ws.commit('dc-a and a tree without a definition');
    for (const args of [
      ['plan', '--base', base, '--json'],
      ['plan', '--base', base, '--head', head, '--json'],
    ]) {
      const { code, out } = await run(args);
      expect(code).toBe(0);
      const { plan } = JSON.parse(out);
      expect(plan.deploy.map((d: { site: string }) => d.site)).toEqual(['dc-a']);
      expect(plan.skipped).toEqual([{ site: 'dc-b', reason: expect.stringContaining(message) }]);
    }
  });
});

describe('the command line', () => {
  it.each(Object.keys(COMMANDS).filter((c) => c !== 'deploy'))(
    '%s --help documents exit codes',
    async (cmd) => {
      const { code, out } = await run([cmd, '--help']);
      expect(code).toBe(0);
      expect(out).toContain(`osa-gitops ${cmd}`);
      expect(out).toContain('Exit codes');
    },
  );

  it.each(Object.keys(COMMANDS))('%s --help names only sections that docs/cli.md has', async (cmd) => {
    const { out } = await run([cmd, '--help']);
    const doc = await fs.readFile(path.join(__dirname, '..', '..', '..', '..', 'docs', 'cli.md'), 'utf8');
    for (const [, name] of out.matchAll(/docs\/cli\.md, "([^"]+)"/g)) {
      const heading = doc.split('\n').some((l) => /^#+ /.test(l) && l.replace(/[#`]/g, '').trim() === name);
      const label = doc.includes(`\n\`${name}\``);
      expect(heading || label, `docs/cli.md has no section "${name}"`).toBe(true);
    }
  });

  it('refuses conflicting output flags of diff with exit 2, before any git work', async () => {
    for (const flags of [
      ['--json', '--markdown'],
      ['--json', '--no-diffs'],
      ['--markdown', '--no-diffs'],
    ]) {
      const r = await run(['diff', '--base', 'no-such-ref', ...flags]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/cannot be combined|applies to the text output only/);
      expect(r.err).not.toContain('no-such-ref');
    }
  });

  it('rejects unknown commands and options with exit 2', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    const bad = await run(['validate', '--frob']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("Unknown option '--frob'");
    expect((await run([])).code).toBe(2);
    expect((await run(['--help'])).code).toBe(0);
  });

  it('colours only at a terminal without NO_COLOR', async () => {
    expect((await run(['validate'], { isTTY: true })).out).toContain('\u001b[32m');
    expect((await run(['validate'], { isTTY: true, env: { NO_COLOR: '1' } })).out).not.toContain('\u001b[');
    expect((await run(['validate'])).out).not.toContain('\u001b[');
  });
});

describe('OSA_GITOPS_LOAD_TIMEOUT_MS', () => {
  const LOOP = "for (;;) {}\nexport default { name: 'dc-b' };\n";

  it('sets the load budget per definition; the other sites still load', async () => {
    await fs.writeFile(path.join(ws.root, 'environments/dc-b/environment.ts'), LOOP);
    const { code, out } = await run(['validate', '--json'], { env: { OSA_GITOPS_LOAD_TIMEOUT_MS: '300' } });
    expect(code).toBe(1);
    const json = JSON.parse(out) as {
      sites: { site: string; ok: boolean; issues: { code: string; message: string }[] }[];
    };
    expect(json.sites.find((s) => s.site === 'dc-a')).toMatchObject({ ok: true });
    expect(json.sites.find((s) => s.site === 'dc-b')?.issues).toMatchObject([
      { code: 'LOAD_TIMEOUT', message: expect.stringContaining('within 300 ms') as string },
    ]);
  }, 60_000);

  it('treats an empty value as unset', async () => {
    expect((await run(['validate'], { env: { OSA_GITOPS_LOAD_TIMEOUT_MS: '' } })).code).toBe(0);
  });

  it.each(['abc', '99', '600001', '1e3', '1000.5', ' 1000', '-1000', '0x3e8', '1000ms'])(
    'refuses %j with exit 2 before loading anything, for every command that loads',
    async (value) => {
      for (const args of [['validate'], ['render'], ['check'], ['ci'], ['deploy', 'dc-a', '--dry-run']]) {
        const { code, out, err } = await run(args, { env: { OSA_GITOPS_LOAD_TIMEOUT_MS: value } });
        expect(code, args.join(' ')).toBe(2);
        expect(err).toContain(
          `OSA_GITOPS_LOAD_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000, got ${JSON.stringify(value)}`,
        );
        expect(out).toBe('');
      }
      // render wrote nothing
      await expect(fs.stat(path.join(ws.root, 'environments/dc-a/openstack_deploy'))).rejects.toThrow();
    },
  );

  it.each(['100', '600000', '1500'])('accepts %s', (value) => {
    expect(loadTimeoutFromEnv({ OSA_GITOPS_LOAD_TIMEOUT_MS: value })).toBe(Number(value));
  });

  it('is unset by default', () => {
    expect(loadTimeoutFromEnv({})).toBeUndefined();
  });
});
