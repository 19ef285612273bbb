import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, renderManifest } from '@osa-gitops/render';
import { readUntrustedTreeDir, TREE_DIR_LIMITS } from './read-tree-dir';
import { removeTempDirs, tempDir, writeFiles } from './test-fixtures/fixture';

afterAll(removeTempDirs);

const FILES = {
  'openstack_user_config.yml': 'cidr_networks: {}\n',
  'host_vars/infra1.yml': 'openstack_hosts_systemd_networkd_devices: []\n',
};

/** A rendered tree in a fresh folder, its manifest listing exactly `files`. */
function treeFolder(files: Record<string, string> = FILES, manifest?: string): string {
  const dir = path.join(tempDir('pr-tree'), 'openstack_deploy');
  writeFiles(dir, { ...files, [MANIFEST_FILE]: manifest ?? renderManifest('lab', Object.keys(files)) });
  return dir;
}

describe('readUntrustedTreeDir', () => {
  it('reads exactly the files the manifest lists', async () => {
    const dir = treeFolder();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not listed, not read\n');
    const tree = await readUntrustedTreeDir(dir);
    expect([...tree.keys()]).toEqual(['host_vars/infra1.yml', 'openstack_user_config.yml', MANIFEST_FILE]);
    expect(tree.get('host_vars/infra1.yml')).toBe(FILES['host_vars/infra1.yml']);
  });

  it('refuses a listed file that is a symbolic link (it would read outside the folder)', async () => {
    const dir = treeFolder();
    const secret = path.join(tempDir('outside'), 'secret');
    fs.writeFileSync(secret, 'token=abc\n');
    fs.rmSync(path.join(dir, 'openstack_user_config.yml'));
    fs.symlinkSync(secret, path.join(dir, 'openstack_user_config.yml'));
    await expect(readUntrustedTreeDir(dir)).rejects.toThrow(/openstack_user_config\.yml is a symbolic link/);
  });

  it('refuses a symlinked directory on the way, and a symlinked folder itself', async () => {
    const dir = treeFolder();
    const elsewhere = tempDir('elsewhere');
    writeFiles(elsewhere, { 'infra1.yml': 'x: 1\n' });
    fs.rmSync(path.join(dir, 'host_vars'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(dir, 'host_vars'));
    await expect(readUntrustedTreeDir(dir)).rejects.toThrow(/host_vars is a symbolic link/);

    const link = path.join(tempDir('link'), 'openstack_deploy');
    fs.symlinkSync(treeFolder(), link);
    await expect(readUntrustedTreeDir(link)).rejects.toThrow(/is a symbolic link/);
  });

  it.each([
    ['a manifest that is not one', 'not json'],
    [
      'a manifest listing a path outside the folder',
      JSON.stringify({
        generator: 'osa-gitops',
        site: 'lab',
        source: 'x',
        files: ['../escape.yml', MANIFEST_FILE],
      }),
    ],
    [
      'a manifest listing OSA state',
      JSON.stringify({
        generator: 'osa-gitops',
        site: 'lab',
        source: 'x',
        files: ['openstack_inventory.json', MANIFEST_FILE],
      }),
    ],
  ])('refuses %s', async (_, manifest) => {
    await expect(readUntrustedTreeDir(treeFolder(FILES, manifest))).rejects.toThrow(/manifest|never renders/);
  });

  it('refuses a listed file that is missing or too large', async () => {
    const dir = treeFolder();
    fs.rmSync(path.join(dir, 'host_vars/infra1.yml'));
    await expect(readUntrustedTreeDir(dir)).rejects.toThrow(/does not exist/);
    const big = treeFolder({ 'openstack_user_config.yml': 'x'.repeat(TREE_DIR_LIMITS.fileBytes + 1) });
    await expect(readUntrustedTreeDir(big)).rejects.toThrow(/over \d+ bytes/);
  });
});
