import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { deploySite } from './deploy-site';
import { resolveExecutable } from './run-playbook';
import { stubDeployOptions, stubRecord } from './test-fixtures/deploy-options';
import {
  makeConfigDir,
  makeOsaDir,
  removeTempDirs,
  siteTree,
  snapshot,
  tempDir,
} from './test-fixtures/fixture';

/**
 * Claims of docs/SECURITY.md ("Deploy state in the config dir") that no other spec pinned
 * (issue 26, item 6: every claim has a test that fails if it breaks).
 */
const v1 = siteTree(1);
const v2 = siteTree(2);
let osaDir: string;
beforeEach(() => {
  osaDir ??= makeOsaDir({ inventoryCheck: false });
});
afterAll(removeTempDirs);

async function deployed(): Promise<{ configDir: string; outside: string }> {
  const configDir = makeConfigDir();
  expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
  const outside = path.join(path.dirname(configDir), 'outside');
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(path.join(outside, 'secret'), 'keystone_auth_admin_password: secret\n');
  return { configDir, outside };
}

describe('state.json is written, never read: it steers nothing', () => {
  it('a forged state.json (not even JSON, or naming other files) changes nothing the deploy does', async () => {
    const { configDir } = await deployed();
    const state = path.join(configDir, '.osa-gitops', 'state.json');
    const reference = await deployed();
    for (const forged of [
      '{ not json',
      JSON.stringify({ files: ['user_secrets.yml'], backupDir: '../../outside' }),
    ]) {
      fs.writeFileSync(state, forged);
      expect(await deploySite(stubDeployOptions(configDir, osaDir, v2, stubRecord()))).toBe(0);
      expect(await deploySite(stubDeployOptions(reference.configDir, osaDir, v2, stubRecord()))).toBe(0);
      // Same result as a config dir whose state.json was never touched (state.json itself aside).
      const strip = (s: Record<string, string>) =>
        Object.fromEntries(Object.entries(s).filter(([p]) => !p.startsWith('.osa-gitops')));
      expect(strip(snapshot(configDir))).toEqual(strip(snapshot(reference.configDir)));
      expect(await deploySite(stubDeployOptions(configDir, osaDir, v1, stubRecord()))).toBe(0);
      expect(await deploySite(stubDeployOptions(reference.configDir, osaDir, v1, stubRecord()))).toBe(0);
    }
  });

  it('a state.json that is a link to a file outside is replaced, never written through', async () => {
    const { configDir, outside } = await deployed();
    const state = path.join(configDir, '.osa-gitops', 'state.json');
    fs.rmSync(state, { force: true });
    fs.symlinkSync(path.join(outside, 'secret'), state);
    const before = snapshot(outside);
    expect(await deploySite(stubDeployOptions(configDir, osaDir, v2, stubRecord()))).toBe(0);
    expect(snapshot(outside)).toEqual(before);
    expect(fs.lstatSync(state).isSymbolicLink()).toBe(false);
  });
});

describe('a restore reads only regular files from a real backup directory', () => {
  it('refuses a backup file that is a link (chosen bytes over a target), before writing anything', async () => {
    const { configDir, outside } = await deployed();
    const id = '2026-01-01T00-00-00.000Z';
    const backupDir = path.join(configDir, '.osa-gitops', 'backups', id);
    fs.mkdirSync(backupDir, { recursive: true });
    const target = 'user_variables_haproxy_lxc.yml';
    fs.symlinkSync(path.join(outside, 'secret'), path.join(backupDir, target));
    fs.writeFileSync(
      path.join(configDir, '.osa-gitops', 'journal.json'),
      JSON.stringify({
        version: 1,
        phase: 'syncing',
        site: 'lab',
        commit: null,
        startedAt: '2026-01-01T00:00:00.000Z',
        owner: { pid: 2_000_000_000, host: os.hostname() },
        backupDir: `.osa-gitops/backups/${id}`,
        ops: [{ path: target, op: 'write', backedUp: true }],
        manifest: 'unchanged',
        createdDirs: [],
        restoreOnFailure: true,
      }),
    );
    const before = fs.readFileSync(path.join(configDir, target), 'utf8');
    await expect(deploySite(stubDeployOptions(configDir, osaDir, v2, stubRecord()))).rejects.toThrow(
      /is not a regular file; refusing to restore from it/,
    );
    expect(fs.readFileSync(path.join(configDir, target), 'utf8')).toBe(before);
    expect(fs.readFileSync(path.join(configDir, target), 'utf8')).not.toContain('secret');
  });
});

describe('--osa-bin: an absolute executable or a plain name on PATH, never a relative path', () => {
  it('refuses relative paths, and never looks in a relative PATH entry', async () => {
    const dir = tempDir('osa-bin');
    const bin = path.join(dir, 'openstack-ansible');
    fs.writeFileSync(bin, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    expect(await resolveExecutable(bin, {})).toBe(bin);
    expect(await resolveExecutable('openstack-ansible', { PATH: dir })).toBe(bin);
    for (const relative of ['./openstack-ansible', 'bin/openstack-ansible', '../x/openstack-ansible']) {
      await expect(resolveExecutable(relative, { PATH: dir })).rejects.toThrow(
        '--osa-bin must be an absolute path or a command name on PATH',
      );
    }
    // A relative PATH entry would resolve against whatever directory the deploy runs in.
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await expect(resolveExecutable('openstack-ansible', { PATH: '.' })).rejects.toThrow(/is not on PATH/);
    } finally {
      process.chdir(cwd);
    }
  });
});
