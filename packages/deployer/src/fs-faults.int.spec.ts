import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeployError } from './deploy-error';
import { nodeDeployFs } from './deploy-fs';
import { deploySite } from './deploy-site';
import { stubDeployOptions, stubRecord } from './test-fixtures/deploy-options';
import { errnoError, interceptFs, type FsCall } from './test-fixtures/faulty-fs';
import {
  expectedSnapshot,
  makeConfigDir,
  makeOsaDir,
  removeTempDirs,
  siteTree,
  snapshot,
  tempDir,
} from './test-fixtures/fixture';
import { assertUnownedIntact, leftovers, ownedState } from './test-fixtures/owned-state';

/**
 * Filesystem failures injected through the DeployFs seam (tests run as root, where chmod does
 * not stop writes): a full disk at each write, a read-only config dir, a permission error on
 * the owned files only. Each leaves the owned files wholly old or wholly new, the unowned ones
 * untouched, and explains itself.
 */

const v1 = siteTree(1);
const v2 = siteTree(2);
let osaDir: string;
let template: string;

beforeAll(async () => {
  osaDir = makeOsaDir({ inventoryCheck: false });
  template = makeConfigDir();
  expect(await deploySite(stubDeployOptions(template, osaDir, v1, stubRecord()))).toBe(0);
}, 60_000);
afterAll(removeTempDirs);

function copyOf(): string {
  const dir = path.join(tempDir('fsfault'), 'openstack_deploy');
  fs.cpSync(template, dir, { recursive: true });
  return dir;
}

describe('disk full (ENOSPC) at the Nth file write', { timeout: 60_000 }, () => {
  it('restores the previous files whenever the sync is hit, at every write of a deploy', async () => {
    const writes: FsCall[] = [];
    const probe = copyOf();
    const counting = interceptFs(nodeDeployFs, (c) => {
      if (c.op === 'writeFileDurable') writes.push(c);
    });
    expect(await deploySite({ ...stubDeployOptions(probe, osaDir, v2, stubRecord()), fs: counting })).toBe(0);
    expect(writes.length).toBeGreaterThan(8);

    const restoredAt: string[] = [];
    for (let n = 1; n <= writes.length; n++) {
      const dir = copyOf();
      let seen = 0;
      const full = interceptFs(nodeDeployFs, (c) => {
        if (c.op === 'writeFileDurable' && ++seen === n) throw errnoError('ENOSPC', 'write', c.path);
      });
      const opts = { ...stubDeployOptions(dir, osaDir, v2, stubRecord()), fs: full };
      const result = await deploySite(opts).catch((e: unknown) => e);

      const state = ownedState(dir, v1, v2);
      assertUnownedIntact(dir);
      expect(leftovers(dir)).toEqual([]);
      const target = path.relative(dir, writes[n - 1]!.path);
      if (result === 0) {
        // Only the journal update that records the playbook's pid is allowed to fail softly.
        expect(opts.log.text()).toContain("could not record the playbook's process group");
        expect(state).toBe('new');
        continue;
      }
      expect(result).toBeInstanceOf(DeployError);
      expect((result as Error).message + opts.log.text()).toContain('no space left on the device (ENOSPC)');
      if (/sync failed/.test((result as Error).message)) {
        restoredAt.push(target);
        expect(state).toBe('old');
        expect(opts.log.text()).toMatch(/the sync failed: restored the previous owned files/);
      } else {
        // Before the journal (lock, journal): nothing changed; after it was cleared (state.json):
        // the new set is complete.
        expect(state).toBe(target.includes('.state.json.') ? 'new' : 'old');
      }
    }
    // The sync's own writes (owned files, manifest, the journal's `synced` update) were hit.
    expect(restoredAt.filter((t) => !t.startsWith('.osa-gitops')).length).toBeGreaterThanOrEqual(5);
  });
});

describe('read-only config dir (EROFS on every change)', { timeout: 60_000 }, () => {
  const readOnly = interceptFs(nodeDeployFs, (c) => {
    throw errnoError('EROFS', c.op, c.path);
  });

  it('fails clearly and changes nothing, on a fresh config dir', async () => {
    const dir = makeConfigDir();
    const before = snapshot(dir, { includeState: true });
    const opts = { ...stubDeployOptions(dir, osaDir, v1, stubRecord()), fs: readOnly };
    await expect(deploySite(opts)).rejects.toThrow(
      /cannot create the deployer state dir .*\.osa-gitops: the file system is read-only \(EROFS\)/,
    );
    expect(snapshot(dir, { includeState: true })).toEqual(before);
  });

  it('fails clearly and changes nothing, on a config dir deployed before', async () => {
    const dir = copyOf();
    const before = snapshot(dir, { includeState: true });
    const opts = { ...stubDeployOptions(dir, osaDir, v2, stubRecord()), fs: readOnly };
    await expect(deploySite(opts)).rejects.toThrow(/read-only \(EROFS\)/);
    expect(snapshot(dir, { includeState: true })).toEqual(before);
  });
});

describe('permission denied (EACCES) on the owned files only', { timeout: 60_000 }, () => {
  it('restores and names the file', async () => {
    const dir = copyOf();
    const denied = interceptFs(nodeDeployFs, (c) => {
      const rel = path.relative(dir, c.path);
      if (!rel.startsWith('.osa-gitops') && c.op !== 'link') throw errnoError('EACCES', c.op, c.path);
    });
    const opts = { ...stubDeployOptions(dir, osaDir, v2, stubRecord()), fs: denied };
    const err = await deploySite(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeployError);
    expect(opts.log.text()).toMatch(/cannot (create the directory|write) \S+: permission denied \(EACCES\)/);
    expect(snapshot(dir)).toEqual(expectedSnapshot(v1));
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('the deploy lock', { timeout: 60_000 }, () => {
  it('takes over a lock left by a dead process, saying so', async () => {
    const dir = copyOf();
    const dead = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', '']);
      child.once('exit', () => resolve(child.pid!));
    });
    const lock = {
      pid: dead,
      host: os.hostname(),
      site: 'lab',
      startedAt: '2026-01-01T00:00:00.000Z',
      token: 'ab',
    };
    fs.writeFileSync(path.join(dir, '.osa-gitops', 'deploy.lock'), JSON.stringify(lock));
    const opts = stubDeployOptions(dir, osaDir, v2, stubRecord());

    expect(await deploySite(opts)).toBe(0);

    expect(opts.log.text()).toContain(
      `took over the lock left by a dead deploy (pid ${dead} on ${os.hostname()}`,
    );
    expect(leftovers(dir)).toEqual([]);
  });

  it('waits for a lock of another host (liveness unknown) and names it when giving up', async () => {
    const dir = copyOf();
    const lock = {
      pid: 4242,
      host: 'other-host',
      site: 'lab',
      startedAt: '2026-01-01T00:00:00.000Z',
      token: 'cd',
    };
    fs.writeFileSync(path.join(dir, '.osa-gitops', 'deploy.lock'), JSON.stringify(lock));
    const opts = stubDeployOptions(dir, osaDir, v2, stubRecord(), { lockTimeoutMs: 200 });

    await expect(deploySite(opts)).rejects.toThrow(
      /another deploy holds \S+deploy\.lock \(pid 4242 on other-host, site lab, since 2026-01-01T00:00:00\.000Z\); gave up after waiting/,
    );
    expect(snapshot(dir)).toEqual(expectedSnapshot(v1));
  });

  it('treats a pid reused by another process as dead (process start time differs)', async () => {
    const dir = copyOf();
    const lock = {
      pid: process.pid, // alive, but not the process that wrote the lock
      procStart: '1',
      host: os.hostname(),
      site: 'lab',
      startedAt: '2026-01-01T00:00:00.000Z',
      token: 'ef',
    };
    fs.writeFileSync(path.join(dir, '.osa-gitops', 'deploy.lock'), JSON.stringify(lock));
    const opts = stubDeployOptions(dir, osaDir, v2, stubRecord());
    expect(await deploySite(opts)).toBe(0);
    expect(opts.log.text()).toContain('took over the lock left by a dead deploy');
  });
});
