import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { describeFsError } from './deploy-error';
import { readIfExists, type DeployFs } from './deploy-fs';

export const INVENTORY_FILE = 'openstack_inventory.json';

/**
 * sha256 of OSA's `openstack_inventory.json`, or null when there is none. Taken before the
 * playbook and compared after a failure: lxc-containers-create regenerates the inventory and
 * OSA never removes an entry (containers, their IPs), so once it changed the old config no longer
 * describes the inventory, and putting it back automatically would desync the two (e.g. reverting
 * `is_metal: false` while the inventory already holds the new containers).
 */
export async function inventoryFingerprint(fs: DeployFs, configDir: string): Promise<string | null> {
  const file = path.join(configDir, INVENTORY_FILE);
  let data: Buffer | undefined;
  try {
    data = await readIfExists(fs, file);
  } catch (err) {
    throw describeFsError('read', file, err);
  }
  return data === undefined ? null : createHash('sha256').update(data).digest('hex');
}
