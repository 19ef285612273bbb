import * as path from 'node:path';
import { lstatIfExists, type DeployFs } from './deploy-fs';
import type { Finding } from './finding';

/** OSA's inventory reads these from `/etc/openstack_deploy` when the config dir lacks them. */
const FALLBACK_ENTRIES = ['conf.d', 'openstack_inventory.json'] as const;

/**
 * OSA's inventory generator looks up `conf.d/` and `openstack_inventory.json` in the config dir
 * and then, entry by entry, in `/etc/openstack_deploy` (docs/osa-facts.md#config-search). Deploying into
 * another config dir that lacks one of them while `/etc/openstack_deploy` has it would make the
 * real run mix two config dirs (another site's host groups, or its container state). The
 * preflight's own `--check` copy is protected separately (inventory-check.ts); this covers the
 * playbook run itself. Our tree always brings `env.d/` and `openstack_user_config.yml`.
 */
export async function checkOsaFallback(
  fs: DeployFs,
  configDir: string,
  fallbackDir: string,
): Promise<Finding[]> {
  if (path.resolve(configDir) === path.resolve(fallbackDir)) return [];
  const findings: Finding[] = [];
  for (const entry of FALLBACK_ENTRIES) {
    if ((await lstatIfExists(fs, path.join(configDir, entry))) !== undefined) continue;
    if ((await lstatIfExists(fs, path.join(fallbackDir, entry))) === undefined) continue;
    findings.push({
      severity: 'error',
      file: entry,
      message:
        `is missing here but exists in ${fallbackDir}, and OSA's inventory falls back to that one, ` +
        `so the playbook would read another config dir's ${entry}. ` +
        (entry === 'conf.d'
          ? `Create an empty ${entry}/ in this config dir.`
          : `Deploy into ${fallbackDir}, or move that inventory aside if it is not this site's.`),
    });
  }
  return findings;
}
