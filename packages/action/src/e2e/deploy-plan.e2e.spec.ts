import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '../test-utils/run-action.js';
import {
  createWorkspaceFixture,
  siteSource,
  type WorkspaceFixture,
} from '../test-utils/workspace-fixture.js';

let fx: WorkspaceFixture;
let n = 0;

beforeEach(async () => {
  fx = await createWorkspaceFixture(3);
});
afterEach(() => fx.cleanup());

/** Push `dev`'s HEAD to main, check it out like actions/checkout (depth 1) and plan. */
async function planPush(before: string, inputs: Record<string, string> = {}) {
  const after = (await fx.git(fx.dev, 'rev-parse', 'HEAD')).trim();
  await fx.push('HEAD:refs/heads/main');
  const dir = await fx.checkout(`main-${++n}`, 'refs/heads/main');
  return runAction({
    cwd: dir,
    tmp: fx.root,
    event: { ref: 'refs/heads/main', before, after },
    env: { ...fx.env, GITHUB_REPOSITORY: 'octo/sites', GITHUB_SHA: after, GITHUB_EVENT_NAME: 'push' },
    inputs: { mode: 'deploy-plan', ...inputs },
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
        { site: 'site-2', runner: 'osa-deploy-site-2' },
        { site: 'site-3', runner: 'osa-deploy-site-3' },
      ],
    });
    expect(run.outputs).toMatchObject({ 'has-sites': 'true', sites: '["site-2","site-3"]' });
    expect(run.summary).toContain('| `site-2` | `osa-deploy-site-2` |');
  });

  it('gives an empty matrix and has-sites=false when no tree changed', async () => {
    await fx.write({ 'README.md': 'docs only\n' });
    await fx.commit('docs');
    const run = await planPush(fx.mainSha);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ matrix: '{"include":[]}', 'has-sites': 'false', sites: '[]' });
    expect(run.summary).toContain('nothing to deploy');
  });

  it('plans every site for a push without a previous commit, and honours the sites input', async () => {
    await fx.commit('empty');
    const all = await planPush('0'.repeat(40));
    expect(JSON.parse(all.outputs.sites!)).toEqual(['site-1', 'site-2', 'site-3']);
    const chosen = await planPush(fx.mainSha, { sites: 'site-3, site-1' });
    expect(JSON.parse(chosen.outputs.matrix!).include).toEqual([
      { site: 'site-1', runner: 'osa-deploy-site-1' },
      { site: 'site-3', runner: 'osa-deploy-site-3' },
    ]);
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
