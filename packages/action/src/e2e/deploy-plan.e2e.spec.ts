import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../test-utils/fake-github.js';
import { runAction, visibleLog } from '../test-utils/run-action.js';
import {
  createWorkspaceFixture,
  siteSource,
  type WorkspaceFixture,
} from '../test-utils/workspace-fixture.js';

const TOKEN = 'ghs_e2ePlanSecret_0123456789abcdef';

let fx: WorkspaceFixture;
let gh: FakeGitHub;
let n = 0;

beforeEach(async () => {
  fx = await createWorkspaceFixture(3);
  gh = await startFakeGitHub({ token: TOKEN, repository: 'octo/sites' });
  // Every site's environment, and its host-networking one, exists with reviewers and a branch
  // rule, as docs/github.md asks.
  for (const site of ['site-1', 'site-2', 'site-3']) {
    gh.environments.set(site, ['required_reviewers', 'branch_policy']);
    gh.environments.set(`${site}-host-networking`, ['required_reviewers', 'branch_policy']);
  }
});
afterEach(async () => {
  await gh.close();
  await fx.cleanup();
});

/** Push `dev`'s HEAD to main, check it out like actions/checkout (depth 1) and plan. */
async function planPush(before: string, inputs: Record<string, string> = {}) {
  const after = (await fx.git(fx.dev, 'rev-parse', 'HEAD')).trim();
  await fx.push('HEAD:refs/heads/main');
  const dir = await fx.checkout(`main-${++n}`, 'refs/heads/main');
  return runAction({
    cwd: dir,
    tmp: fx.root,
    event: { ref: 'refs/heads/main', before, after },
    env: {
      ...fx.env,
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: 'octo/sites',
      GITHUB_SHA: after,
      GITHUB_EVENT_NAME: 'push',
    },
    inputs: { mode: 'deploy-plan', token: TOKEN, ...inputs },
  });
}

describe('deploy-plan', () => {
  it('lists the sites whose committed trees changed, with their runner labels', async () => {
    await fx.write({
      'environments/site-2/environment.ts': siteSource('site-2', 2, { externalVipHost: 20 }),
      'environments/site-3/environment.ts': siteSource('site-3', 3, { externalVipHost: 30 }),
    });
    await fx.render();
    await fx.commit('move two VIPs');
    const run = await planPush(fx.mainSha);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.outputs.matrix!)).toEqual({
      include: [
        { site: 'site-2', runner: 'osa-deploy-site-2', hostNetworking: 'none' },
        { site: 'site-3', runner: 'osa-deploy-site-3', hostNetworking: 'none' },
      ],
    });
    // A moved VIP changes no host_vars: no host-networking approval to ask for.
    expect(run.outputs).toMatchObject({
      'has-sites': 'true',
      sites: '["site-2","site-3"]',
      'has-host-networking': 'false',
      'host-networking-matrix': '{"include":[]}',
    });
    expect(run.summary).toContain('| `site-2` | `osa-deploy-site-2` | none |');
    // Each planned site's environment was checked with the job's token, nothing else was asked.
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/octo/sites/environments/site-2',
      'GET /repos/octo/sites/environments/site-3',
    ]);
  });

  it('refuses the whole plan when a site has no environment (GitHub would create it unprotected)', async () => {
    gh.environments.delete('site-3');
    await fx.write({
      'environments/site-2/environment.ts': siteSource('site-2', 2, { externalVipHost: 20 }),
      'environments/site-3/environment.ts': siteSource('site-3', 3, { externalVipHost: 30 }),
    });
    await fx.render();
    await fx.commit('move two VIPs');
    const run = await planPush(fx.mainSha);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::Refusing to plan a deploy: site-3: there is no environment "site-3" (GitHub would create it on first deploy, unprotected).',
    );
    expect(run.outputs.matrix).toBeUndefined();
    expect(run.outputs['has-sites']).toBeUndefined();
  });

  it('refuses a site whose environment has no protection rules', async () => {
    gh.environments.set('site-2', []);
    await fx.write({
      'environments/site-2/environment.ts': siteSource('site-2', 2, { externalVipHost: 20 }),
    });
    await fx.render();
    await fx.commit('move a VIP');
    const run = await planPush(fx.mainSha);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('site-2: the environment "site-2" has no protection rules');
    expect(run.outputs.matrix).toBeUndefined();
  });

  it('names the permission the token lacks (actions: read) on 403, without the token', async () => {
    gh.fail({
      method: 'GET',
      path: /\/environments\//,
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    await fx.write({
      'environments/site-2/environment.ts': siteSource('site-2', 2, { externalVipHost: 20 }),
    });
    await fx.render();
    await fx.commit('move a VIP');
    const run = await planPush(fx.mainSha);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('"actions: read"');
    expect(visibleLog(run)).not.toContain(TOKEN);
  });

  it('asks for the host-networking approval of a site whose host_vars changed', async () => {
    await fx.write({ 'environments/site-2/environment.ts': siteSource('site-2', 2, { vlan: 42 }) });
    await fx.render();
    await fx.commit('new VLAN id on site-2');
    const run = await planPush(fx.mainSha);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.outputs['host-networking-matrix']!)).toEqual({
      include: [{ site: 'site-2', runner: 'osa-deploy-site-2', hostNetworking: 'approve' }],
    });
    expect(run.outputs['has-host-networking']).toBe('true');
    // Both environments the site's runs wait on were checked.
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/octo/sites/environments/site-2',
      'GET /repos/octo/sites/environments/site-2-host-networking',
    ]);
  });

  it('refuses the plan when a host-networking environment is missing or unprotected', async () => {
    gh.environments.delete('site-2-host-networking');
    gh.environments.set('site-3-host-networking', []);
    await fx.write({
      'environments/site-2/environment.ts': siteSource('site-2', 2, { vlan: 42 }),
      'environments/site-3/environment.ts': siteSource('site-3', 3, { vlan: 43 }),
    });
    await fx.render();
    await fx.commit('new VLAN ids on site-2 and site-3');
    const run = await planPush(fx.mainSha);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::Refusing to plan a deploy: site-2: there is no environment "site-2-host-networking" (GitHub would create it on first deploy, unprotected); ' +
        'site-3: the environment "site-3-host-networking" has no protection rules.',
    );
    expect(run.outputs.matrix).toBeUndefined();
  });

  it('does not ask for a host-networking environment when no host_vars changed', async () => {
    gh.environments.delete('site-2-host-networking');
    await fx.write({
      'environments/site-2/environment.ts': siteSource('site-2', 2, { externalVipHost: 20 }),
    });
    await fx.render();
    await fx.commit('move a VIP');
    const run = await planPush(fx.mainSha);
    expect(run.code).toBe(0);
    expect(gh.requests.map((r) => r.path)).toEqual(['/repos/octo/sites/environments/site-2']);
  });

  it('gives an empty matrix and has-sites=false when no tree changed', async () => {
    await fx.write({ 'README.md': 'docs only\n' });
    await fx.commit('docs');
    const run = await planPush(fx.mainSha);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ matrix: '{"include":[]}', 'has-sites': 'false', sites: '[]' });
    expect(run.summary).toContain('nothing to deploy');
    expect(gh.requests).toEqual([]);
  });

  it('plans every site for a push without a previous commit, and honours the sites input', async () => {
    await fx.commit('empty');
    const all = await planPush('0'.repeat(40));
    expect(JSON.parse(all.outputs.sites!)).toEqual(['site-1', 'site-2', 'site-3']);
    const chosen = await planPush(fx.mainSha, { sites: 'site-3, site-1' });
    expect(JSON.parse(chosen.outputs.matrix!).include).toEqual([
      { site: 'site-1', runner: 'osa-deploy-site-1', hostNetworking: 'approve' },
      { site: 'site-3', runner: 'osa-deploy-site-3', hostNetworking: 'approve' },
    ]);
  });

  it("asks the chosen sites' <site>-metal-cutover environments on a dispatch with metal-cutover: approved, refusing a missing one", async () => {
    await fx.commit('empty');
    gh.environments.set('site-1-metal-cutover', ['required_reviewers', 'branch_policy']);
    const approved = await planPush(fx.mainSha, { sites: 'site-1', 'metal-cutover': 'approved' });
    expect(approved.code, approved.stdout).toBe(0);
    expect(approved.outputs).toMatchObject({
      'metal-cutover-matrix': '{"include":[{"site":"site-1"}]}',
      'has-metal-cutover': 'true',
    });
    expect(gh.requests.map((r) => r.path)).toContain('/repos/octo/sites/environments/site-1-metal-cutover');

    const missing = await planPush(fx.mainSha, { sites: 'site-2', 'metal-cutover': 'approved' });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('site-2: there is no environment "site-2-metal-cutover"');
    expect(missing.outputs.matrix).toBeUndefined();

    // done (by hand) and none ask for nothing; a push's plan never takes the input.
    for (const value of ['done', 'none']) {
      const run = await planPush(fx.mainSha, { sites: 'site-2', 'metal-cutover': value });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({
        'metal-cutover-matrix': '{"include":[]}',
        'has-metal-cutover': 'false',
      });
    }
    const push = await planPush(fx.mainSha, { 'metal-cutover': 'approved' });
    expect(push.code).toBe(1);
    expect(push.stdout).toContain("the 'metal-cutover' input applies to the sites a person chose");
  });

  it('fails clearly when the commit before the push cannot be found', async () => {
    await fx.commit('x');
    const run = await planPush('d'.repeat(40));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::Cannot find the commit before this push (dddddddddddd), e.g. after a force-push.',
    );
  });

  it('rejects a bad sites input before doing anything', async () => {
    await fx.commit('x');
    const run = await planPush(fx.mainSha, { sites: 'site-1; rm -rf /' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::Input 'sites' must be "all" or site names separated by commas.`);
  });
});
