import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeployError } from './deploy-error';
import { deploySite, restoreSite } from './deploy-site';
import { newDeployReport } from './deploy-report';
import { restoreCommand } from './manual-restore';
import { stubDeployOptions, stubRecord } from './test-fixtures/deploy-options';
import { leftovers } from './test-fixtures/owned-state';
import {
  expectedSnapshot,
  makeConfigDir,
  makeOsaDir,
  memoryLog,
  removeTempDirs,
  siteTree,
  snapshot,
} from './test-fixtures/fixture';

/**
 * A failed playbook that changed openstack_inventory.json (OSA allocated containers/IPs for the
 * new config and never removes them) keeps the new files instead of restoring the old ones, and
 * prints the command that restores them; one that failed without touching it restores as before.
 * The stub wrapper rewrites the inventory when OSA_STUB_INVENTORY is set.
 */
afterAll(removeTempDirs);

const v1 = siteTree(1);
const v2 = siteTree(2);
const GROWN = '{"_meta": {"hostvars": {}}, "haproxy": {"hosts": ["infra1-haproxy-container-1a2b3c4d"]}}';

describe('a failed playbook and the inventory', { timeout: 60_000 }, () => {
  it('changed the inventory: keeps the new files, says so loudly, and --restore puts the old ones back', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir();
    expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
    const report = newDeployReport('lab', false);
    const opts = stubDeployOptions(configDir, osaDir, v2, stubRecord(), { stubRc: 2, report });
    opts.env.OSA_STUB_INVENTORY = GROWN;

    expect(await deploySite(opts)).toBe(2);

    const grown = { 'openstack_inventory.json': `${GROWN}\n` };
    expect(snapshot(configDir)).toEqual(expectedSnapshot(v2, grown));
    expect(leftovers(configDir)).toEqual([]); // no journal: the next deploy must not roll back
    const text = opts.log.text();
    expect(text).toContain(
      'error: the playbook failed AFTER it changed openstack_inventory.json: the previous files were NOT restored.',
    );
    const command = /osa-gitops deploy lab --config-dir \S+ --restore (\S+)/.exec(text);
    expect(command?.[0]).toContain(`--config-dir ${configDir} --restore`);
    const id = command![1]!;
    expect(report).toMatchObject({
      playbookExitCode: 2,
      restored: false,
      restoreSkipped: 'inventory-changed',
      restoreCommand: command![0],
      backupDir: `.osa-gitops/backups/${id}`,
      error:
        'the playbook exited with code 2; the new files were kept because it changed openstack_inventory.json (see restoreCommand)',
    });

    const log = memoryLog();
    expect(await restoreSite({ site: 'lab', configDir, backupId: id, lockTimeoutMs: 10_000, log })).toBe(0);
    expect(snapshot(configDir)).toEqual(expectedSnapshot(v1, grown)); // the inventory is not OSA-gitops'
    expect(log.text()).toContain(`restored the files from before the deploy of c0ffee1 (backup ${id})`);
    expect(leftovers(configDir)).toEqual([]);

    // Applies once: the owned files are no longer the ones that deploy wrote.
    await expect(
      restoreSite({ site: 'lab', configDir, backupId: id, lockTimeoutMs: 10_000, log: memoryLog() }),
    ).rejects.toThrow(/no longer the ones the deploy of backup .* wrote/);
  });

  it('changed the inventory on a first deploy (nothing backed up): --restore removes what it created', async () => {
    const configDir = makeConfigDir();
    const before = snapshot(configDir);
    const report = newDeployReport('lab', false);
    const opts = stubDeployOptions(configDir, makeOsaDir(), v1, stubRecord(), { stubRc: 4, report });
    opts.env.OSA_STUB_INVENTORY = GROWN;
    expect(await deploySite(opts)).toBe(4);
    const id = /--restore (\S+)/.exec(opts.log.text())![1]!;
    // Nothing was backed up, but the undo record made the backup dir restoreCommand names.
    expect(report).toMatchObject({
      backedUp: [],
      backupDir: `.osa-gitops/backups/${id}`,
      restoreCommand: restoreCommand('lab', configDir, id),
      restoreSkipped: 'inventory-changed',
    });
    expect(report.error).toContain('the playbook exited with code 4');
    expect(fs.existsSync(path.join(configDir, report.backupDir!, '.osa-gitops-undo.json'))).toBe(true);
    expect(
      await restoreSite({ site: 'lab', configDir, backupId: id, lockTimeoutMs: 10_000, log: memoryLog() }),
    ).toBe(0);
    expect(snapshot(configDir)).toEqual({
      ...before,
      'openstack_inventory.json': expect.any(String) as string,
    });
    expect(fs.existsSync(path.join(configDir, 'osa-gitops-manifest.json'))).toBe(false);
  });

  it('did not change the inventory: restores the previous files as before', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir();
    expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
    const report = newDeployReport('lab', false);
    const opts = stubDeployOptions(configDir, osaDir, v2, stubRecord(), { stubRc: 2, report });

    expect(await deploySite(opts)).toBe(2);

    expect(snapshot(configDir)).toEqual(expectedSnapshot(v1));
    expect(opts.log.text()).toContain('the playbook failed: restored the previous owned files');
    expect(opts.log.text()).not.toContain('--restore');
    expect(report).toMatchObject({
      playbookExitCode: 2,
      restored: true,
      restoreSkipped: null,
      error: 'the playbook exited with code 2; the previous owned files were restored',
    });
  });

  it('--restore refuses a backup without an undo record, or one that does not exist', async () => {
    const configDir = makeConfigDir();
    const osaDir = makeOsaDir();
    expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
    expect(await deploySite(stubDeployOptions(configDir, osaDir, v2, stubRecord()))).toBe(0);
    const [id] = fs.readdirSync(path.join(configDir, '.osa-gitops/backups'));
    const restore = (site: string, backupId: string) =>
      restoreSite({ site, configDir, backupId, lockTimeoutMs: 10_000, log: memoryLog() });
    await expect(restore('lab', id!)).rejects.toThrow(/has no undo record/);
    await expect(restore('lab', '2020-01-01T00-00-00.000Z')).rejects.toThrow(/there is no backup/);
    await expect(restore('lab', '../../etc')).rejects.toThrow(DeployError);
    expect(snapshot(configDir)).toEqual(expectedSnapshot(v2));
  });
});
