import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { renderedTreeDir } from '@osa-gitops/core';
import { describeRequiring, pythonModules, source } from '@osa-gitops/test-support';
import { deploySite } from './deploy-site';
import { stubDeployOptions, stubRecord } from './test-fixtures/deploy-options';
import {
  FIXTURES,
  makeConfigDir,
  readTreeDir,
  removeTempDirs,
  snapshot,
  tempDir,
} from './test-fixtures/fixture';

/**
 * The preflight with OSA's real inventory generator (docs/osa-facts.md#oracle): needs an extracted
 * openstack-ansible checkout in OSA_INVENTORY_SRC and Debian's python3-netaddr/python3-yaml.
 * Without one (CI) it skips; the stand-in generator covers the same code path elsewhere.
 */
const SRC = process.env.OSA_INVENTORY_SRC ?? '';
/** The checkout and a machine without OSA's fallback dir first (CI has no checkout), then what .ci/run installs. */
const NEEDS = [
  source(
    'OSA_INVENTORY_SRC',
    'set it to an extracted openstack-ansible checkout with osa_toolkit/generate.py (README "Checking against OSA itself")',
    () => SRC !== '' && fs.existsSync(path.join(SRC, 'osa_toolkit', 'generate.py')),
  ),
  source(
    'a machine without /etc/openstack_deploy',
    'the generator would read it as a fallback (docs/osa-facts.md#config-search)',
    () => !fs.existsSync('/etc/openstack_deploy'),
  ),
  pythonModules(
    '/usr/bin/python3',
    ['netaddr', 'yaml'],
    "Debian's python3-netaddr and python3-yaml (.ci/run installs them)",
  ),
];
const REPO = path.resolve(__dirname, '../../..');
const readCommittedTree = (root: string, site: string) =>
  readTreeDir(path.join(root, ...renderedTreeDir(site).split('/')));

afterAll(removeTempDirs);

/** An OSA dir whose inventory/ and osa_toolkit/ are the real ones, with the stand-in playbook. */
function realInventoryOsaDir(): string {
  const dir = path.join(tempDir('osa-real-inventory'), 'openstack-ansible');
  fs.mkdirSync(path.join(dir, 'playbooks'), { recursive: true });
  fs.copyFileSync(
    path.join(FIXTURES, 'osa', 'playbooks', 'lxc-containers-create.yml'),
    path.join(dir, 'playbooks', 'lxc-containers-create.yml'),
  );
  // Copies, not links: the deploy refuses links in the checkout's code folders (trusted-path.ts).
  fs.cpSync(path.join(SRC, 'inventory'), path.join(dir, 'inventory'), { recursive: true });
  fs.cpSync(path.join(SRC, 'osa_toolkit'), path.join(dir, 'osa_toolkit'), { recursive: true });
  return dir;
}

describeRequiring(NEEDS, "OSA's real inventory generator as the preflight (OSA_INVENTORY_SRC)", () => {
  it('accepts the committed guide-lab tree and leaves the real inventory state alone', async () => {
    const tree = readCommittedTree(REPO, 'guide-lab');
    const configDir = makeConfigDir();
    const inventoryBefore = snapshot(configDir)['openstack_inventory.json'];
    const opts = stubDeployOptions(configDir, realInventoryOsaDir(), tree, stubRecord());

    expect(await deploySite(opts)).toBe(0);

    expect(opts.log.text()).toContain("OSA's inventory check passed on the synced copy");
    expect(snapshot(configDir)['openstack_inventory.json']).toBe(inventoryBefore);
    expect(fs.existsSync(path.join(configDir, 'backup_openstack_inventory.tar'))).toBe(false);
  }, 120_000);

  it("refuses a tree OSA's generator rejects, before any change", async () => {
    const committed = readCommittedTree(REPO, 'guide-lab');
    const tree = new Map(committed);
    tree.set(
      'openstack_user_config.yml',
      committed.get('openstack_user_config.yml')!.replace('ip_from_q: public_api', 'ip_from_q: public_apix'),
    );
    const configDir = makeConfigDir();
    const before = snapshot(configDir, { includeState: true });
    const opts = stubDeployOptions(configDir, realInventoryOsaDir(), tree, stubRecord());

    await expect(deploySite(opts)).rejects.toThrow(/can't find public_apix in cidr_networks/);
    expect(snapshot(configDir, { includeState: true })).toEqual(before);
  }, 120_000);
});
