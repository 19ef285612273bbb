import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../main';
import { createWorkspace, fakeIo, type Workspace } from '../test-utils/workspace-fixture';
import {
  makeConfigDir,
  makeOsaDir,
  removeTempDirs,
  snapshot,
  STUB_OSA_BIN,
  tempDir,
} from '@osa-gitops/deployer/testing';

/**
 * `osa-gitops deploy` end to end through the CLI dispatcher: a real temp workspace with a git
 * repository, definitions rendered by `osa-gitops render` and committed, the stub playbook.
 */

let ws: Workspace;
let commit: string;
beforeEach(async () => {
  ws = await createWorkspace();
  await ws.writeSite({ name: 'dc-a', index: 1 });
  await ws.writeSite({ name: 'dc-b', index: 2 });
  expect(await main(['render'], fakeIo(ws.root))).toBe(0);
  commit = await ws.commit('sites');
}, 60_000);
afterEach(async () => {
  await ws[Symbol.asyncDispose]();
  removeTempDirs();
});

async function deploy(
  args: string[],
  record = path.join(tempDir('record'), 'runs.txt'),
  env: Record<string, string> = {},
  staged = false,
) {
  const io = fakeIo(ws.root, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', OSA_STUB_RECORD: record, ...env },
  });
  // The deploy mechanics (sync, refusals, summary) with the container stage alone; the stages
  // have their own tests below.
  const code = await main(['deploy', ...args, ...(staged ? [] : ['--containers-only'])], io);
  return { code, out: io.stdoutText(), err: io.stderrText(), record };
}

function committedTree(site: string): Record<string, string> {
  const dir = path.join(ws.root, 'environments', site, 'openstack_deploy');
  return snapshot(dir);
}

describe('osa-gitops deploy', { timeout: 60_000 }, () => {
  it('deploys the committed tree and records the HEAD commit', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir({ inventoryCheck: false });

    const r = await deploy([
      'dc-a',
      '--config-dir',
      configDir,
      '--osa-dir',
      osaDir,
      '--osa-bin',
      STUB_OSA_BIN,
    ]);

    expect(r.code).toBe(0);
    const deployed = snapshot(configDir);
    for (const [file, hash] of Object.entries(committedTree('dc-a'))) expect(deployed[file]).toBe(hash);
    const state = JSON.parse(fs.readFileSync(path.join(configDir, '.osa-gitops/state.json'), 'utf8'));
    expect(state).toMatchObject({ site: 'dc-a', commit });
    expect(r.out).toContain(`deployed dc-a at commit ${commit}`);
    expect(fs.readFileSync(r.record, 'utf8')).toMatch(/^start \d+ \S+\nend \d+\n$/);
  });

  it('refuses a committed tree that differs from a fresh render, changing nothing', async () => {
    const file = path.join(ws.root, 'environments/dc-a/openstack_deploy/user_variables_haproxy_lxc.yml');
    fs.appendFileSync(file, 'haproxy_bind_on_non_local: true\n');
    await ws.commit('hand edit');
    const configDir = makeConfigDir();
    const before = snapshot(configDir, { includeState: true });

    const r = await deploy([
      'dc-a',
      '--config-dir',
      configDir,
      '--osa-dir',
      makeOsaDir(),
      '--osa-bin',
      STUB_OSA_BIN,
    ]);

    expect(r.code).toBe(1);
    expect(r.err).toContain('environments/dc-a/openstack_deploy/user_variables_haproxy_lxc.yml: changed');
    expect(r.err).toContain('the committed tree of dc-a differs from a fresh render of its definition');
    expect(snapshot(configDir, { includeState: true })).toEqual(before);
    expect(fs.existsSync(r.record)).toBe(false);
  });

  it('refuses uncommitted changes under environments/ unless --allow-dirty', async () => {
    // A helper file another folder holds: any change under environments/ can change what renders.
    fs.writeFileSync(path.join(ws.root, 'environments/dc-b/notes.ts'), 'export const x = 1;\n');
    const configDir = makeConfigDir();
    const before = snapshot(configDir, { includeState: true });
    const args = [
      'dc-a',
      '--config-dir',
      configDir,
      '--osa-dir',
      makeOsaDir({ inventoryCheck: false }),
      '--osa-bin',
      STUB_OSA_BIN,
    ];

    const refused = await deploy(args);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('environments/ has uncommitted changes');
    expect(refused.err).toContain('?? environments/dc-b/notes.ts');
    expect(refused.err).toContain('or pass --allow-dirty. Nothing was deployed');
    expect(snapshot(configDir, { includeState: true })).toEqual(before);
    expect(fs.existsSync(refused.record)).toBe(false);

    const allowed = await deploy([...args, '--allow-dirty']);
    expect(allowed.code).toBe(0);
    expect(allowed.err).toContain('environments/ has uncommitted changes (--allow-dirty)');
    const state = JSON.parse(fs.readFileSync(path.join(configDir, '.osa-gitops/state.json'), 'utf8'));
    expect(state).toMatchObject({ site: 'dc-a', commit });
  });

  it('refuses an invalid site', async () => {
    await ws.writeSite({ name: 'dc-a', index: 1, vlan: 5000 });
    const configDir = makeConfigDir();
    const r = await deploy([
      'dc-a',
      '--config-dir',
      configDir,
      '--osa-dir',
      makeOsaDir(),
      '--osa-bin',
      STUB_OSA_BIN,
      '--allow-dirty', // the invalid definition is not committed
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('[VLAN_ID_RANGE]');
    expect(r.err).toContain('site dc-a is invalid');
    expect(fs.existsSync(path.join(configDir, '.osa-gitops'))).toBe(false);
  });

  it('--dry-run prints the plan and the command and changes nothing', async () => {
    const configDir = makeConfigDir();
    const before = snapshot(configDir, { includeState: true });
    const r = await deploy([
      'dc-b',
      '--dry-run',
      '--config-dir',
      configDir,
      '--osa-dir',
      makeOsaDir(),
      '--osa-bin',
      STUB_OSA_BIN,
      '--extra-arg=-vv',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('would write openstack_user_config.yml (new)');
    expect(r.out).toContain('playbooks/lxc-containers-create.yml --limit haproxy,lxc_hosts -vv');
    expect(r.out).toContain(`would then record commit ${commit}`);
    expect(snapshot(configDir, { includeState: true })).toEqual(before);
  });

  it('--json: logs on stderr, prints one summary on stdout', async () => {
    const configDir = makeConfigDir();
    const r = await deploy([
      'dc-a',
      '--json',
      '--config-dir',
      configDir,
      '--osa-dir',
      makeOsaDir({ inventoryCheck: false }),
      '--osa-bin',
      STUB_OSA_BIN,
    ]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as Record<string, unknown>;
    expect(summary).toMatchObject({
      schemaVersion: 1,
      command: 'deploy',
      site: 'dc-a',
      commit,
      configDir,
      dryRun: false,
      steps: expect.arrayContaining(['locked', 'synced', 'playbook-done', 'state-written']) as string[],
      written: expect.arrayContaining(['openstack_user_config.yml']) as string[],
      removed: [],
      backedUp: [],
      adopted: [],
      backupDir: null,
      playbookExitCode: 0,
      restored: false,
      restoreSkipped: null,
      exitCode: 0,
      ok: true,
      error: null,
    });
    expect(r.err).toContain(`deployed dc-a at commit ${commit}`);
  });

  it('--json on a refusal: the error in the summary, exit 1', async () => {
    const configDir = makeConfigDir({ 'host_vars/dc-a-infra1.yml': 'mine: 1\n' });
    const r = await deploy([
      'dc-a',
      '--json',
      '--config-dir',
      configDir,
      '--osa-dir',
      makeOsaDir({ inventoryCheck: false }),
      '--osa-bin',
      STUB_OSA_BIN,
    ]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.out) as Record<string, unknown>;
    expect(summary).toMatchObject({ ok: false, exitCode: 1, playbookExitCode: null, restored: false });
    expect(summary.error).toContain('would be replaced whole (host_vars/dc-a-infra1.yml)');
  });

  it('--json on a failed playbook: its exit code, and the failure in `error`', async () => {
    const configDir = makeConfigDir();
    const r = await deploy(
      [
        'dc-a',
        '--json',
        '--config-dir',
        configDir,
        '--osa-dir',
        makeOsaDir({ inventoryCheck: false }),
        '--osa-bin',
        STUB_OSA_BIN,
      ],
      undefined,
      { OSA_STUB_RC: '2' },
    );
    expect(r.code).toBe(2);
    const summary = JSON.parse(r.out) as Record<string, unknown>;
    expect(summary).toMatchObject({
      ok: false,
      exitCode: 2,
      playbookExitCode: 2,
      restored: true,
      restoreSkipped: null,
      error: 'the playbook exited with code 2; the previous owned files were restored',
    });
  });

  it('staged --deadline: one limit for the whole deploy, each stage gets what is left, then it restores', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir({ inventoryCheck: false });
    // Every playbook takes 3 s. Each is within --timeout 5s, so without a deadline three stages
    // and verify run for 12 s (issue 29 measured 11 s for `--timeout 5s`).
    const slow = path.join(tempDir('slow-osa'), 'openstack-ansible');
    fs.writeFileSync(slow, '#!/usr/bin/env bash\necho "$*" >> "$OSA_STUB_ARGS"\nsleep 3\n', { mode: 0o755 });
    const argsLog = path.join(tempDir('args'), 'args.txt');
    const base = ['dc-a', '--config-dir', configDir, '--osa-dir', osaDir, '--osa-bin', slow];
    const started = Date.now();
    const r = await deploy(
      [...base, '--host-networking', 'approved', '--timeout', '5s', '--deadline', '5s'],
      undefined,
      { OSA_STUB_ARGS: argsLog },
      true,
    );
    const took = Date.now() - started;
    expect(r.code).toBe(124);
    // The second stage is stopped at the deadline, the third never starts, the files are restored.
    expect(fs.readFileSync(argsLog, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(r.err).toMatch(
      /stage containers exited with code 124 \(timed out\); the previous owned files were restored/,
    );
    expect(fs.existsSync(path.join(configDir, 'osa-gitops-manifest.json'))).toBe(false);
    expect(took).toBeLessThan(11_000);
  });

  it('staged --planned-host-networking none: a host that needs host networking stops before any change (92)', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir({ inventoryCheck: false });
    const summary = path.join(tempDir('summary'), 'summary.md');
    const base = ['dc-a', '--config-dir', configDir, '--osa-dir', osaDir, '--osa-bin', STUB_OSA_BIN];
    const before = snapshot(configDir);
    const r = await deploy(
      [...base, '--planned-host-networking', 'none', '--summary', summary],
      undefined,
      {},
      true,
    );
    expect(r.code).toBe(92);
    expect(snapshot(configDir)).toEqual(before);
    expect(r.err).toContain('the deploy plan foresaw no host-networking stage for dc-a');
    expect(fs.readFileSync(summary, 'utf8')).toContain('sites=dc-a');
    // What the plan asked for: the deploy goes on as before (approved runs it; manual/approve without
    // approval wait with 91 after the sync).
    const waiting = await deploy([...base, '--planned-host-networking', 'approve'], undefined, {}, true);
    expect(waiting.code).toBe(91);
    const bad = await deploy([...base, '--planned-host-networking', 'maybe']);
    expect(bad.code).toBe(2);
  });

  it('staged: stops before host networking, resumes with --host-networking done, then verify judges', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir({ inventoryCheck: false });
    const argsLog = path.join(tempDir('args'), 'args.txt');
    const summary = path.join(tempDir('summary'), 'summary.md');
    const base = ['dc-a', '--config-dir', configDir, '--osa-dir', osaDir, '--osa-bin', STUB_OSA_BIN];
    const run = (extra: string[]) => deploy([...base, ...extra], undefined, { OSA_STUB_ARGS: argsLog }, true);
    const ran = () => (fs.existsSync(argsLog) ? fs.readFileSync(argsLog, 'utf8').trim().split('\n') : []);

    const first = await run([]);
    expect(first.code).toBe(91);
    expect(ran()).toEqual([]);
    expect(first.err).toContain(
      'openstack-ansible playbooks/openstack-hosts-setup.yml --limit dc-a-infra1,dc-a-infra2 --tags openstack_hosts-systemd',
    );
    // The resume command repeats the directories and the wrapper this run was given.
    expect(first.err).toContain(
      `osa-gitops deploy dc-a --config-dir ${configDir} --osa-dir ${osaDir} --osa-bin ${STUB_OSA_BIN} --host-networking done`,
    );
    const stages = () => JSON.parse(fs.readFileSync(path.join(configDir, '.osa-gitops/stages.json'), 'utf8'));
    expect(stages().pending.map((p: { name: string }) => p.name)).toEqual([
      'host-networking',
      'containers',
      'haproxy',
      'frontends',
      'trusted-proxies',
      'keepalived',
    ]);
    // The files are synced (the command reads them), and no journal is left.
    expect(fs.existsSync(path.join(configDir, 'osa-gitops-manifest.json'))).toBe(true);
    expect(fs.existsSync(path.join(configDir, '.osa-gitops/journal.json'))).toBe(false);

    // Resumed: the pending stages run in order, then verify (the stub gathers nothing: no container answered).
    const second = await run(['--host-networking', 'done', '--summary', summary]);
    expect(second.code).toBe(90);
    const lines = ran();
    expect(lines.slice(0, 5)).toEqual([
      'playbooks/lxc-containers-create.yml --limit haproxy,lxc_hosts',
      'playbooks/haproxy-install.yml --skip-tags keepalived',
      'playbooks/galera-install.yml playbooks/rabbitmq-install.yml --tags haproxy-service-config',
      'playbooks/galera-install.yml --tags galera_server-config',
      'playbooks/haproxy-install.yml --tags keepalived',
    ]);
    expect(lines[5]).toMatch(
      /osa-gitops-verify\.yml -e \{"osa_gitops_verify_dir":.*"osa_gitops_verify_gateway":"100\.64\.1\.1","osa_gitops_keepalived_state_py":"import json.*"\}$/,
    );
    expect(stages()).toMatchObject({ pending: [], applied: { containers: true, haproxy: true }, commit });
    expect(second.out).toMatch(/FAIL\s+container-running\s+dc-a-infra1/);
    const md = fs.readFileSync(summary, 'utf8');
    expect(md).toContain('verification failed');
    expect(md).toContain('| 1 | host-networking |');
    expect(md).toContain('| skipped |');
    expect(md).toContain('### Verify dc-a: FAILED');
    expect(fs.existsSync(path.join(configDir, '.osa-gitops/verified.json'))).toBe(false);

    // Approved on a fresh host: every stage of a new site, in order, under one deploy.
    const fresh = makeConfigDir();
    fs.rmSync(argsLog, { force: true });
    const approved = await deploy(
      [
        'dc-a',
        '--config-dir',
        fresh,
        '--osa-dir',
        osaDir,
        '--osa-bin',
        STUB_OSA_BIN,
        '--host-networking',
        'approved',
      ],
      undefined,
      { OSA_STUB_ARGS: argsLog },
      true,
    );
    expect(approved.code).toBe(90);
    expect(ran().map((l) => l.split(' ')[0])).toEqual([
      'playbooks/openstack-hosts-setup.yml',
      'playbooks/lxc-containers-create.yml',
      'playbooks/haproxy-install.yml',
      'playbooks/galera-install.yml',
      'playbooks/galera-install.yml',
      'playbooks/haproxy-install.yml',
      expect.stringMatching(/osa-gitops-verify\.yml$/),
    ]);

    // The same commit again: nothing changed, so the containers stage and verify only.
    fs.rmSync(argsLog, { force: true });
    const again = await deploy(
      [
        'dc-a',
        '--config-dir',
        fresh,
        '--osa-dir',
        osaDir,
        '--osa-bin',
        STUB_OSA_BIN,
        '--host-networking',
        'approved',
      ],
      undefined,
      { OSA_STUB_ARGS: argsLog },
      true,
    );
    expect(again.code).toBe(90);
    expect(ran().map((l) => l.split(' ')[0])).toEqual([
      'playbooks/lxc-containers-create.yml',
      expect.stringMatching(/osa-gitops-verify\.yml$/),
    ]);
  });

  it('staged --dry-run lists the stages the deploy would run, and who approves each', async () => {
    const configDir = makeConfigDir();
    const before = snapshot(configDir, { includeState: true });
    const r = await deploy(
      ['dc-a', '--dry-run', '--config-dir', configDir, '--osa-dir', makeOsaDir(), '--osa-bin', STUB_OSA_BIN],
      undefined,
      {},
      true,
    );
    expect(r.code).toBe(0);
    // Exactly what the same command without --dry-run does: it stops before host networking.
    expect(r.out).toContain(
      'would stop before stage 1/7 host-networking and exit 91, waiting for a person (host networking was not ' +
        'approved for this run (--host-networking approved); needs its own approval (environment dc-a-host-networking)): ' +
        `${STUB_OSA_BIN} playbooks/openstack-hosts-setup.yml --limit dc-a-infra1,dc-a-infra2 --tags openstack_hosts-systemd`,
    );
    expect(r.out).toContain(
      'not run by this deploy: host-networking, containers, haproxy, frontends, trusted-proxies, keepalived, verify',
    );
    expect(r.out).not.toContain('would run stage');

    // With the approval, every stage with its exact command, and why it runs.
    const approved = await deploy(
      [
        'dc-a',
        '--dry-run',
        '--config-dir',
        configDir,
        '--osa-dir',
        makeOsaDir(),
        '--osa-bin',
        STUB_OSA_BIN,
        '--host-networking',
        'approved',
      ],
      undefined,
      {},
      true,
    );
    expect(approved.code).toBe(0);
    expect(approved.out).toContain('would run stage 2/7 containers: ');
    expect(approved.out).toContain(
      `would run stage 3/7 haproxy: ${STUB_OSA_BIN} playbooks/haproxy-install.yml --skip-tags keepalived  (`,
    );
    expect(approved.out).toContain(
      `would run stage 4/7 frontends: ${STUB_OSA_BIN} playbooks/galera-install.yml playbooks/rabbitmq-install.yml --tags haproxy-service-config  (`,
    );
    expect(approved.out).toContain(
      `would run stage 5/7 trusted-proxies: ${STUB_OSA_BIN} playbooks/galera-install.yml --tags galera_server-config  (`,
    );
    expect(approved.out).toContain(
      `would run stage 6/7 keepalived: ${STUB_OSA_BIN} playbooks/haproxy-install.yml --tags keepalived  (`,
    );
    expect(approved.out).toContain('would run stage 7/7 verify: osa-gitops verify dc-a');
    expect(snapshot(configDir, { includeState: true })).toEqual(before);
  });

  it('staged --outcome writes the summary with the last verified commit, for the revert job', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir({ inventoryCheck: false });
    const outcome = path.join(tempDir('outcome'), 'nested', 'dc-a.json');
    const args = [
      'dc-a',
      '--config-dir',
      configDir,
      '--osa-dir',
      osaDir,
      '--osa-bin',
      STUB_OSA_BIN,
      '--host-networking',
      'approved',
      '--outcome',
      outcome,
    ];
    const first = await deploy(args, undefined, {}, true);
    expect(first.code).toBe(90);
    // Without --json the log stays on stdout and the summary goes only to the file.
    expect(first.out).not.toContain('"schemaVersion"');
    const read = () => JSON.parse(fs.readFileSync(outcome, 'utf8')) as Record<string, unknown>;
    expect(read()).toMatchObject({
      schemaVersion: 1,
      command: 'deploy',
      site: 'dc-a',
      commit,
      exitCode: 90,
      ok: false,
      lastVerifiedCommit: null,
      verify: { site: 'dc-a', ok: false },
    });
    // An earlier deploy of this host passed verify (the stub playbook cannot make it pass here).
    const verified = 'a'.repeat(40);
    fs.writeFileSync(
      path.join(configDir, '.osa-gitops/verified.json'),
      JSON.stringify({ site: 'dc-a', commit: verified, verifiedAt: '2026-01-01T00:00:00.000Z' }),
    );
    const second = await deploy(args, undefined, {}, true);
    expect(second.code).toBe(90);
    expect(read()).toMatchObject({ exitCode: 90, lastVerifiedCommit: verified });
  });

  it('staged: a failed stage restores the files and says how to resume', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir({ inventoryCheck: false });
    const r = await deploy(
      [
        'dc-a',
        '--config-dir',
        configDir,
        '--osa-dir',
        osaDir,
        '--osa-bin',
        STUB_OSA_BIN,
        '--host-networking',
        'approved',
      ],
      undefined,
      { OSA_STUB_RC: '2' },
      true,
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'stage host-networking exited with code 2; the previous owned files were restored',
    );
    expect(r.err).toContain('Fix the cause and run the deploy again');
    expect(fs.existsSync(path.join(configDir, 'osa-gitops-manifest.json'))).toBe(false);
  });

  it('exits 2 on usage errors and refused extra arguments', async () => {
    expect((await deploy([])).code).toBe(2);
    const r = await deploy(['dc-a', '--extra-arg=--extra-vars=@evil.yml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is not allowed');
  });

  it('prints its help', async () => {
    const r = await deploy(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: osa-gitops deploy <site> [options]');
  });
});
