import * as fs from 'node:fs';
import * as path from 'node:path';
import { driftIssueMarker } from '@osa-gitops/report';
import { simpleGit } from 'simple-git';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  makeConfigDir,
  makeOsaDir,
  removeTempDirs,
  STUB_OSA_BIN,
  tempDir,
} from '@osa-gitops/deployer/testing';
import { main } from '../main';
import { createWorkspace, fakeIo, type Workspace } from '../test-utils/workspace-fixture';

/**
 * `osa-gitops drift` end to end: a real workspace repository, a real deploy (stub playbook) into a
 * temp config dir, then the config dir edited the ways operators edit it.
 */
let ws: Workspace;
let configDir: string;
let deployed: string;

async function run(command: string, args: string[]) {
  const io = fakeIo(ws.root, {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      OSA_STUB_RECORD: path.join(tempDir('record'), 'runs.txt'),
    },
  });
  const code = await main([command, ...args], io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}
const drift = (...args: string[]) => run('drift', ['dc-a', '--config-dir', configDir, ...args]);
const findings = async (...args: string[]) => {
  const r = await drift('--json', ...args);
  return {
    code: r.code,
    json: JSON.parse(r.out) as { drifting: boolean; findings: { kind: string; file?: string }[] },
  };
};

beforeEach(async () => {
  ws = await createWorkspace();
  await ws.writeSite({ name: 'dc-a', index: 1 });
  expect((await run('render', [])).code).toBe(0);
  deployed = await ws.commit('dc-a');
  configDir = makeConfigDir();
  const osaDir = makeOsaDir({ inventoryCheck: false });
  const r = await run('deploy', [
    'dc-a',
    '--config-dir',
    configDir,
    '--osa-dir',
    osaDir,
    '--osa-bin',
    STUB_OSA_BIN,
    // The deploy's files are what drift compares; its stages have their own tests.
    '--containers-only',
  ]);
  expect(r.code, r.err).toBe(0);
}, 60_000);
afterEach(async () => {
  await ws[Symbol.asyncDispose]();
  removeTempDirs();
});

describe('osa-gitops drift', { timeout: 60_000 }, () => {
  it('finds no drift right after a deploy (exit 0), in text, JSON and Markdown', async () => {
    const text = await drift();
    expect(text.code).toBe(0);
    expect(text.out).toContain(`deployed ${deployed.slice(0, 12)}`);
    expect(text.out).toContain('no drift');
    const { code, json } = await findings();
    expect(code).toBe(0);
    expect(json).toMatchObject({
      schemaVersion: 1,
      site: 'dc-a',
      deployedCommit: deployed,
      drifting: false,
      findings: [],
    });
    expect((await drift('--markdown')).out.startsWith(driftIssueMarker('dc-a'))).toBe(true);
  });

  it('reports an owned file edited by hand and one deleted (exit 1)', async () => {
    fs.appendFileSync(
      path.join(configDir, 'user_variables_haproxy_lxc.yml'),
      'haproxy_bind_on_non_local: true\n',
    );
    fs.rmSync(path.join(configDir, 'env.d/haproxy.yml'));
    const { code, json } = await findings();
    expect(code).toBe(1);
    expect(json.findings.map((f) => [f.kind, f.file])).toEqual([
      ['edited', 'user_variables_haproxy_lxc.yml'],
      ['missing', 'env.d/haproxy.yml'],
    ]);
  });

  it('reports an unowned file that shadows ours', async () => {
    fs.writeFileSync(
      path.join(configDir, 'user_zz_local.yml'),
      'haproxy_keepalived_external_vip_cidr: 192.0.2.1/32\n',
    );
    const { code, json } = await findings();
    expect(code).toBe(1);
    expect(json.findings).toEqual([expect.objectContaining({ kind: 'shadowed', file: 'user_zz_local.yml' })]);
  });

  it('reports a deploy pending on main, but not main moving on for another site', async () => {
    await ws.writeSite({ name: 'dc-b', index: 2 });
    expect((await run('render', [])).code).toBe(0);
    await ws.commit('dc-b');
    expect((await findings()).code).toBe(0);

    await ws.writeSite({ name: 'dc-a', index: 3 });
    expect((await run('render', [])).code).toBe(0);
    await ws.commit('dc-a changes');
    const { code, json } = await findings();
    expect(code).toBe(1);
    expect(json.findings.map((f) => f.kind)).toEqual(['behind']);
  });

  it('names the compared commit by the checkout branch, the --head ref, or HEAD when detached', async () => {
    const git = (...args: string[]) => simpleGit({ baseDir: ws.root }).raw(args);
    await git('checkout', '-q', '-b', 'fix-vip');
    await ws.writeSite({ name: 'dc-a', index: 3 });
    expect((await run('render', [])).code).toBe(0);
    const head = (await ws.commit('dc-a on a branch')).slice(0, 12);
    const behind = async (...args: string[]) => {
      const r = await drift(...args);
      expect(r.code).toBe(1);
      return r.out.split('\n').find((l) => l.includes('[deploy pending]'));
    };
    expect(await behind()).toContain(`[deploy pending] fix-vip (${head}) has changes for dc-a`);
    expect(await behind('--head', 'fix-vip~0')).toContain(`fix-vip~0 (${head}) has changes`);
    await git('checkout', '-q', '--detach');
    expect(await behind()).toContain(`HEAD (${head}) has changes`);
    await git('checkout', '-q', 'main');
    expect((await findings()).code).toBe(0);
  });

  it('reports a config dir with no recorded deploy', async () => {
    const { code, json } = await findings('--config-dir', makeConfigDir());
    expect(code).toBe(1);
    expect(json.findings.map((f) => f.kind)).toEqual(['never-deployed']);
  });

  it('cannot check (exit 3) a state file of another site, or outside a git checkout', async () => {
    const state = path.join(configDir, '.osa-gitops/state.json');
    fs.writeFileSync(state, fs.readFileSync(state, 'utf8').replace('"dc-a"', '"dc-z"'));
    const other = await drift();
    expect(other.code).toBe(3);
    expect(other.err).toContain('records a deploy of dc-z, not dc-a');

    fs.writeFileSync(state, '{ not json');
    expect((await drift()).code).toBe(3);

    const io = fakeIo(tempDir('not-a-checkout'), { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    expect(await main(['drift', 'dc-a', '--config-dir', configDir], io)).toBe(3);
    expect(io.stderrText()).toMatch(/not a git checkout/);
  });

  it('rejects usage errors with exit 2', async () => {
    expect((await drift('--json', '--markdown')).code).toBe(2);
    expect((await run('drift', [])).code).toBe(2);
    expect((await run('drift', ['../x'])).code).toBe(2);
    expect((await drift('--head', 'no-such-ref')).code).toBe(2);
  });
});

describe('osa-gitops preview (without OSA)', { timeout: 60_000 }, () => {
  it('exits 1 with the reason when the OSA dir has no generator, and refuses a symlinked tree', async () => {
    const r = await run('preview', ['dc-a', '--config-dir', configDir, '--osa-dir', tempDir('no-osa')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no preview: .*osa_toolkit\/generate\.py does not exist/);

    const link = path.join(tempDir('pr'), 'openstack_deploy');
    fs.symlinkSync(path.join(ws.root, 'environments/dc-a/openstack_deploy'), link);
    const refused = await run('preview', ['dc-a', '--tree', link, '--config-dir', configDir]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/is a symbolic link/);
    expect((await run('preview', ['dc-a', '--json', '--markdown'])).code).toBe(2);
  });
});
