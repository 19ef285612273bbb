import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeployError } from './deploy-error';
import { deploySite } from './deploy-site';
import { stubDeployOptions, stubRecord } from './test-fixtures/deploy-options';
import { isRunning, leftovers } from './test-fixtures/owned-state';
import {
  expectedSnapshot,
  makeConfigDir,
  makeOsaDir,
  removeTempDirs,
  sha256,
  siteTree,
  snapshot,
  tempDir,
} from './test-fixtures/fixture';

afterAll(removeTempDirs);

const v1 = siteTree(1);
const v2 = siteTree(2);

function backupsOf(configDir: string): string[] {
  const dir = path.join(configDir, '.osa-gitops', 'backups');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

function stateOf(configDir: string): Record<string, unknown> | undefined {
  const file = path.join(configDir, '.osa-gitops', 'state.json');
  return fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)
    : undefined;
}

describe('deploySite (stub playbook, real files)', { timeout: 60_000 }, () => {
  it('syncs owned files only, leaves unowned files byte-identical, and records the commit', async () => {
    const configDir = makeConfigDir();
    const unownedBefore = snapshot(configDir);
    const run = stubRecord();
    const opts = stubDeployOptions(configDir, makeOsaDir(), v1, run);

    expect(await deploySite(opts)).toBe(0);

    expect(snapshot(configDir)).toEqual(expectedSnapshot(v1));
    for (const [file, hash] of Object.entries(unownedBefore)) expect(snapshot(configDir)[file]).toBe(hash);
    expect(stateOf(configDir)).toMatchObject({ site: 'lab', commit: 'c0ffee1', backupDir: null });
    expect(leftovers(configDir)).toEqual([]);
    expect(backupsOf(configDir)).toEqual([]); // nothing existed to back up
    // The playbook saw the new files: its record holds the hash of the deployed user variables.
    expect(run.lines()).toEqual([
      expect.stringMatching(new RegExp(`^start \\d+ ${sha256(v1.get('user_variables_haproxy_lxc.yml')!)}$`)),
      expect.stringMatching(/^end \d+$/),
    ]);
    const text = opts.log.text();
    expect(text).toContain('running /');
    expect(text).toContain('playbooks/lxc-containers-create.yml --limit haproxy,lxc_hosts');
    expect(text).not.toContain('s3cret-never-logged');
    expect(text).not.toContain('env-value-never-logged');
  });

  it('is idempotent: a second deploy of the same tree writes nothing and makes no backup', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir();
    expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
    const before = snapshot(configDir);
    const mtimes = [...v1.keys()].map((p) => fs.statSync(path.join(configDir, p)).mtimeMs);

    const second = stubDeployOptions(configDir, osaDir, v1, stubRecord());
    expect(await deploySite(second)).toBe(0);

    expect(snapshot(configDir)).toEqual(before);
    expect([...v1.keys()].map((p) => fs.statSync(path.join(configDir, p)).mtimeMs)).toEqual(mtimes);
    expect(backupsOf(configDir)).toEqual([]);
    expect(second.log.text()).toContain('synced 0 written, 0 removed, 6 unchanged');
  });

  it('removes orphans, creates new dirs, and backs up everything it replaced or removed', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir();
    expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
    const opts = stubDeployOptions(configDir, osaDir, v2, stubRecord(), { commit: 'beef002' });

    expect(await deploySite(opts)).toBe(0);

    expect(snapshot(configDir)).toEqual(expectedSnapshot(v2));
    expect(fs.existsSync(path.join(configDir, 'host_vars/infra2.yml'))).toBe(false);
    const [backup] = backupsOf(configDir);
    expect(backup).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    // Exactly the replaced, removed and manifest files, with their v1 bytes.
    const backedUp = snapshot(path.join(configDir, '.osa-gitops', 'backups', backup!));
    const changed = [...v1.keys()].filter((p) => v1.get(p) !== v2.get(p)).sort();
    expect(Object.keys(backedUp)).toEqual(changed);
    for (const p of changed) expect(backedUp[p]).toBe(sha256(v1.get(p)!));
    expect(stateOf(configDir)).toMatchObject({
      commit: 'beef002',
      backupDir: `.osa-gitops/backups/${backup}`,
    });
    expect(opts.log.text()).toContain('removed host_vars/infra2.yml (no longer rendered)');
  });

  it('keeps only the last N backups', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir();
    let t = Date.UTC(2026, 0, 1);
    const now = (): Date => new Date((t += 1000));
    for (const tree of [v1, v2, v1, v2, v1]) {
      expect(
        await deploySite(stubDeployOptions(configDir, osaDir, tree, stubRecord(), { keepBackups: 2, now })),
      ).toBe(0);
    }
    const kept = backupsOf(configDir);
    expect(kept).toHaveLength(2);
    expect(kept[1]! > kept[0]!).toBe(true);
    expect(snapshot(configDir)).toEqual(expectedSnapshot(v1));
  });

  it('restores the previous owned files when the playbook fails, and returns its exit code', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir();
    expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
    const stateBefore = stateOf(configDir);
    const run = stubRecord();
    const opts = stubDeployOptions(configDir, osaDir, v2, run, { stubRc: 2 });

    expect(await deploySite(opts)).toBe(2);

    expect(snapshot(configDir)).toEqual(expectedSnapshot(v1));
    expect(stateOf(configDir)).toEqual(stateBefore);
    expect(run.lines()[0]).toContain(sha256(v2.get('user_variables_haproxy_lxc.yml')!)); // it ran on v2
    expect(opts.log.text()).toMatch(
      /the playbook failed: restored the previous owned files \(5 restored from \.osa-gitops\/backups\/\S+, 2 new file\(s\) removed\)/,
    );
    expect(leftovers(configDir)).toEqual([]);
  });

  it('keeps the new files with --no-restore', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir();
    expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
    const opts = stubDeployOptions(configDir, osaDir, v2, stubRecord(), {
      stubRc: 4,
      restoreOnFailure: false,
    });

    expect(await deploySite(opts)).toBe(4);

    expect(snapshot(configDir)).toEqual(expectedSnapshot(v2));
    expect(opts.log.text()).toContain('--no-restore: the new files stay in place');
  });

  it('--dry-run prints every step and changes nothing', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir();
    expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
    const before = snapshot(configDir, { includeState: true });
    const run = stubRecord();
    const opts = stubDeployOptions(configDir, osaDir, v2, run, { dryRun: true });

    expect(await deploySite(opts)).toBe(0);

    expect(snapshot(configDir, { includeState: true })).toEqual(before);
    expect(run.lines()).toEqual([]);
    const text = opts.log.text();
    expect(text).toContain('would create the directory group_vars/lxc_hosts/');
    expect(text).toContain('would write host_vars/infra3.yml (new)');
    expect(text).toContain('would write user_variables_haproxy_lxc.yml (replace, backed up first)');
    expect(text).toContain('would remove host_vars/infra2.yml');
    expect(text).toMatch(/would back up 5 file\(s\) to .*\.osa-gitops\/backups\//);
    expect(text).toContain('would write osa-gitops-manifest.json last');
    expect(text).toMatch(
      /would run \/\S+stub-openstack-ansible playbooks\/lxc-containers-create\.yml --limit haproxy,lxc_hosts/,
    );
  });

  describe('refuses before any change', () => {
    it('when an unowned user_*.yml sets a variable we set (extra vars beat ours)', async () => {
      const configDir = makeConfigDir({
        'user_zz_site.yml':
          'haproxy_bind_external_lb_vip_interface: eth9\nlxc_container_networks: {}\nok_var: 1\n',
      });
      const before = snapshot(configDir, { includeState: true });
      const opts = stubDeployOptions(configDir, makeOsaDir(), v1, stubRecord());

      const err = await deploySite(opts).catch((e: unknown) => e);

      expect(err).toBeInstanceOf(DeployError);
      expect((err as Error).message).toContain('nothing was changed');
      const text = opts.log.text();
      expect(text).toContain(
        'user_zz_site.yml sets haproxy_bind_external_lb_vip_interface, lxc_container_networks',
      );
      expect(text).toContain('group_vars/haproxy/lxc_network.yml');
      expect(text).toContain('user_variables_haproxy_lxc.yml');
      expect(snapshot(configDir, { includeState: true })).toEqual(before);
    });

    it('when an unowned user_*.yml overrides a global_overrides key', async () => {
      const configDir = makeConfigDir({ 'user_vips.yml': 'external_lb_vip_address: 198.51.100.1\n' });
      const opts = stubDeployOptions(configDir, makeOsaDir(), v1, stubRecord());
      await expect(deploySite(opts)).rejects.toThrow(DeployError);
      expect(opts.log.text()).toContain('user_vips.yml sets external_lb_vip_address');
    });

    it('when conf.d sets used_ips, global_overrides or cidr_networks (merge_dict replaces them)', async () => {
      const configDir = makeConfigDir({
        'conf.d/deep/extra.yaml': 'used_ips:\n  - 10.0.0.1\ncidr_networks: {}\n',
      });
      const before = snapshot(configDir);
      const opts = stubDeployOptions(configDir, makeOsaDir(), v1, stubRecord());
      await expect(deploySite(opts)).rejects.toThrow(DeployError);
      expect(opts.log.text()).toContain('conf.d/deep/extra.yaml sets cidr_networks, used_ips');
      expect(snapshot(configDir)).toEqual(before);
    });

    it("when OSA's inventory check rejects the config as it would be after the sync", async () => {
      const bad = new Map(v1);
      bad.set(
        'openstack_user_config.yml',
        `${v1.get('openstack_user_config.yml')}# INVENTORY_REJECTS_THIS\n`,
      );
      const configDir = makeConfigDir();
      const before = snapshot(configDir);
      const opts = stubDeployOptions(configDir, makeOsaDir(), bad, stubRecord());
      await expect(deploySite(opts)).rejects.toThrow(
        /inventory check .* rejects .*\n.*can't find public_apix/,
      );
      expect(snapshot(configDir)).toEqual(before);
    });

    it('when the OSA dir is missing', async () => {
      const configDir = makeConfigDir();
      const before = snapshot(configDir, { includeState: true });
      const opts = stubDeployOptions(configDir, '/nonexistent/openstack-ansible', v1, stubRecord());
      await expect(deploySite(opts)).rejects.toThrow(
        'the openstack-ansible checkout (--osa-dir) /nonexistent/openstack-ansible does not exist',
      );
      expect(snapshot(configDir, { includeState: true })).toEqual(before);
    });

    it('when the wrapper cannot be found', async () => {
      const configDir = makeConfigDir();
      const opts = stubDeployOptions(configDir, makeOsaDir(), v1, stubRecord(), {
        osaBin: 'no-such-openstack-ansible',
      });
      await expect(deploySite(opts)).rejects.toThrow('no-such-openstack-ansible is not on PATH');
      expect(fs.existsSync(path.join(configDir, '.osa-gitops'))).toBe(false);
    });

    it('when an extra argument is not allow-listed', async () => {
      const configDir = makeConfigDir();
      const opts = stubDeployOptions(configDir, makeOsaDir(), v1, stubRecord(), { extraArgs: ['-e', 'x=1'] });
      await expect(deploySite(opts)).rejects.toThrow(/refusing --extra-arg/);
    });
  });

  describe('refuses to touch what it cannot safely own', () => {
    it('a config dir whose manifest was tampered with (a path we could never own)', async () => {
      const configDir = makeConfigDir();
      const osaDir = makeOsaDir();
      expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
      const manifest = path.join(configDir, 'osa-gitops-manifest.json');
      const data = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { files: string[] };
      data.files.push('user_secrets.yml', '../../etc/passwd');
      fs.writeFileSync(manifest, JSON.stringify(data));
      const before = snapshot(configDir);

      await expect(deploySite(stubDeployOptions(configDir, osaDir, v2, stubRecord()))).rejects.toThrow(
        /osa-gitops-manifest\.json is not a valid osa-gitops manifest/,
      );
      expect(snapshot(configDir)).toEqual(before);
    });

    it("a config dir holding another site's files", async () => {
      const configDir = makeConfigDir();
      const osaDir = makeOsaDir();
      expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
      const other = new Map(v2);
      other.set(
        'osa-gitops-manifest.json',
        v2.get('osa-gitops-manifest.json')!.replace('"site": "lab"', '"site": "dc9"'),
      );
      const before = snapshot(configDir);

      await expect(deploySite(stubDeployOptions(configDir, osaDir, other, stubRecord()))).rejects.toThrow(
        /holds the files of site lab, not dc9; refusing/,
      );
      expect(snapshot(configDir)).toEqual(before);
    });

    it('a symlinked directory on the way to an owned file', async () => {
      const configDir = makeConfigDir();
      const elsewhere = tempDir('elsewhere');
      fs.symlinkSync(elsewhere, path.join(configDir, 'host_vars'));
      await expect(deploySite(stubDeployOptions(configDir, makeOsaDir(), v1, stubRecord()))).rejects.toThrow(
        /host_vars is not a directory \(a symlink or a file\); refusing to write below it/,
      );
      expect(fs.readdirSync(elsewhere)).toEqual([]);
    });
  });

  it('on SIGINT/SIGTERM during the playbook: stops its process group, restores, returns 128+signal', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir();
    expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
    const abort = new AbortController();
    const run = stubRecord();
    const opts = stubDeployOptions(configDir, osaDir, v2, run, {
      waitFor: path.join(tempDir('never'), 'never-created'),
      signal: abort.signal,
      onStep: (step) => {
        if (step === 'playbook-started') abort.abort();
      },
    });

    expect(await deploySite(opts)).toBe(143);

    expect(opts.log.text()).toContain("deploy interrupted: sending SIGTERM to the playbook's process group");
    expect(run.lines().map((l) => l.split(' ')[0])).not.toContain('end');
    expect(snapshot(configDir)).toEqual(expectedSnapshot(v1));
    expect(leftovers(configDir)).toEqual([]);
  });

  it('warns about metal haproxy hosts left in openstack_inventory.json, and deploys', async () => {
    const inventory = JSON.stringify({
      _meta: {
        hostvars: {
          infra1: { physical_host: 'infra1', properties: { is_metal: true } },
          'infra1-haproxy-container-1a2b3c4d': { physical_host: 'infra1', properties: { is_metal: false } },
        },
      },
      haproxy: { hosts: ['infra1', 'infra1-haproxy-container-1a2b3c4d'], children: [] },
    });
    const configDir = makeConfigDir({ 'openstack_inventory.json': inventory });
    const opts = stubDeployOptions(configDir, makeOsaDir(), v1, stubRecord());
    expect(await deploySite(opts)).toBe(0);
    expect(opts.log.text()).toMatch(
      /warning: .*openstack_inventory\.json still lists metal haproxy hosts in the haproxy group \(infra1\)/,
    );
    expect(fs.readFileSync(path.join(configDir, 'openstack_inventory.json'), 'utf8')).toBe(inventory);
  });

  it("runs OSA's inventory check on a temp copy holding the synced tree, not on the config dir", async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir();
    expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
    const record = path.join(path.dirname(configDir), 'inventory-check.txt');
    const opts = stubDeployOptions(configDir, osaDir, v2, stubRecord());
    expect(await deploySite({ ...opts, env: { ...opts.env, OSA_TEST_INVENTORY_RECORD: record } })).toBe(0);

    const seen = fs.readFileSync(record, 'utf8').trim().split('\n');
    const config = seen.find((l) => l.startsWith('config='))!.slice('config='.length);
    expect(config).not.toBe(configDir);
    expect(fs.existsSync(config)).toBe(false); // removed afterwards
    expect(seen).toEqual(
      expect.arrayContaining([
        'openstack_user_config.yml',
        'conf.d/x.yml',
        'env.d/haproxy.yml',
        'host_vars/infra3.yml',
      ]),
    );
    expect(seen).not.toContain('host_vars/infra2.yml'); // the orphan is gone in the copy too
    expect(seen).not.toContain('user_secrets.yml'); // the generator does not read it, so it is not copied
    expect(opts.log.text()).toContain("OSA's inventory check passed on the synced copy");
  });

  it('stops the playbook at --timeout (SIGTERM, then SIGKILL to its group), returns 124 and restores', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir();
    expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
    const ignoresTerm = path.join(path.dirname(configDir), 'ignores-term.sh');
    const childPidFile = path.join(path.dirname(configDir), 'child.pid');
    fs.writeFileSync(
      ignoresTerm,
      `#!/usr/bin/env bash\ntrap '' TERM\nsleep 300 &\necho $! > ${childPidFile}\necho started\nwait\n`,
      { mode: 0o755 },
    );
    const opts = stubDeployOptions(configDir, osaDir, v2, stubRecord(), {
      osaBin: ignoresTerm,
      timeoutMs: 1_000,
      killGraceMs: 500,
    });

    expect(await deploySite(opts)).toBe(124);

    const child = Number(fs.readFileSync(childPidFile, 'utf8'));
    expect(isRunning(child)).toBe(false); // the grandchild died with the group
    expect(opts.log.text()).toContain('sending SIGKILL to process group');
    expect(snapshot(configDir)).toEqual(expectedSnapshot(v1));
  });
});
