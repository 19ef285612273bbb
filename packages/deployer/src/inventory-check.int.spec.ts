import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toRenderedTree, type RenderedTree } from '@osa-gitops/core';
import { MANIFEST_FILE, renderManifest } from '@osa-gitops/render';
import { DeployError } from './deploy-error';
import { nodeDeployFs } from './deploy-fs';
import { checkInventory, type InventoryCheckResult } from './inventory-check';
import { planSync } from './sync-plan';
import {
  makeConfigDir,
  makeOsaDir,
  removeTempDirs,
  SITE,
  siteTree,
  tempDir,
  writeFiles,
} from './test-fixtures/fixture';

/**
 * OSA's generator takes conf.d, env.d and openstack_inventory.json from /etc/openstack_deploy
 * when `--config` lacks them (docs/osa-facts.md#config-search). The stand-in generator records where it would
 * have read each from ("from <name>=config|fallback|none"), with the fallback dir pointed at a
 * temp dir here.
 */
afterAll(removeTempDirs);

const tree = siteTree(1);

/** A fallback dir ("/etc/openstack_deploy") holding another deployment's files. */
function fallbackDir(files: Record<string, string>): string {
  const dir = path.join(tempDir('etc'), 'openstack_deploy');
  writeFiles(dir, files);
  return dir;
}

/** A config dir with none of conf.d, env.d, openstack_inventory.json (a new deployment). */
function bareConfigDir(): string {
  const dir = path.join(tempDir('config'), 'openstack_deploy');
  writeFiles(dir, { 'user_variables.yml': 'install_method: source\n' });
  return dir;
}

/** Run the check with the stand-in generator; settles, so each test can look at both outcomes. */
async function check(configDir: string, fallback: string, checked: RenderedTree = tree) {
  const record = path.join(tempDir('record'), 'inventory-check.txt');
  let result: InventoryCheckResult | undefined;
  let error: unknown;
  try {
    result = await checkInventory({
      configDir,
      osaDir: makeOsaDir(),
      python: '/usr/bin/python3',
      tree: checked,
      plan: await planSync(nodeDeployFs, configDir, checked, []),
      env: {
        PATH: process.env.PATH,
        OSA_TEST_INVENTORY_RECORD: record,
        OSA_TEST_FALLBACK_CONFIG_DIR: fallback,
      },
      fallbackConfigDir: fallback,
    });
  } catch (err) {
    error = err;
  }
  const seen = fs.existsSync(record) ? fs.readFileSync(record, 'utf8').trim().split('\n') : [];
  return { result, error, seen };
}

describe("OSA's inventory check and the fallback config dir", { timeout: 60_000 }, () => {
  it('gives the copy its own (empty) conf.d and env.d, so nothing is read from the fallback dir', async () => {
    const fallback = fallbackDir({
      'conf.d/other.yml': 'compute_hosts:\n  other1:\n    ip: 10.0.0.1\n',
      'env.d/other.yml': 'component_skel: {}\n',
    });
    // No env.d in this tree either, so both dirs are made by the copy itself.
    const files = [...tree].filter(([p]) => !p.startsWith('env.d/') && p !== MANIFEST_FILE);
    const noEnvD = toRenderedTree([
      ...files,
      [MANIFEST_FILE, renderManifest(SITE, [...files.map(([p]) => p), MANIFEST_FILE])],
    ]);
    const configDir = bareConfigDir();
    const { result, error, seen } = await check(configDir, fallback, noEnvD);

    expect(error).toBeUndefined();
    expect(result).toEqual({ ran: true });
    expect(seen).toEqual(
      expect.arrayContaining([
        'from conf.d=config',
        'from env.d=config',
        'from openstack_inventory.json=none',
      ]),
    );
    expect(fs.readdirSync(configDir)).toEqual(['user_variables.yml']); // the real dir is untouched
  });

  it('refuses when the config dir has no inventory but the fallback dir has one (the check would mix them)', async () => {
    const fallback = fallbackDir({ 'openstack_inventory.json': '{"_meta": {"hostvars": {}}}\n' });
    const configDir = bareConfigDir();
    const { result, error, seen } = await check(configDir, fallback);

    expect(result).toBeUndefined();
    expect(error).toBeInstanceOf(DeployError);
    expect((error as Error).message).toContain(
      `refusing OSA's inventory check: ${configDir} has no openstack_inventory.json, but ` +
        `${fallback}/openstack_inventory.json exists`,
    );
    expect((error as Error).message).toContain('would mix the two config dirs');
    expect(seen).toEqual([]); // the generator never ran
  });

  it("runs as before when the config dir has its own inventory (the fallback's is never read)", async () => {
    const fallback = fallbackDir({ 'openstack_inventory.json': '{"_meta": {"hostvars": {}}}\n' });
    const { result, error, seen } = await check(makeConfigDir(), fallback);
    expect(error).toBeUndefined();
    expect(result).toEqual({ ran: true });
    expect(seen).toEqual(
      expect.arrayContaining([
        'conf.d/x.yml',
        'from conf.d=config',
        'from env.d=config',
        'from openstack_inventory.json=config',
      ]),
    );
  });
});
