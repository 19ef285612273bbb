import * as path from 'node:path';
import type { RenderedTree } from '@osa-gitops/core';
import { describeFsError } from './deploy-error';
import { errorCode, readIfExists, type DeployFs } from './deploy-fs';
import type { Finding } from './finding';
import { findMetalHaproxyHosts } from './inventory-state';
import { STATE_DIR } from './state-paths';
import { checkVarsShadowing } from './vars-shadowing';
import { OSA_FALLBACK_CONFIG_DIR } from './inventory-check';
import { checkOsaFallback } from './osa-fallback';
import { nestedKeys, topLevelKeys } from './yaml-keys';

/** Top-level keys of conf.d files that replace ours whole (merge_dict replaces lists, docs/osa-facts.md#merge). */
const CONF_D_REPLACING_KEYS = ['cidr_networks', 'global_overrides', 'used_ips'];

const USER_FILE = /^user_.*\.yml$/; // the wrapper's glob, `${OSA_CONFIG_DIR}/user_*.yml`
const OWNED_VARS_FILE = /^(?:user_[^/]*\.yml|(?:group_vars|host_vars)\/.+\.ya?ml)$/;
const USER_CONFIG = 'openstack_user_config.yml';

/**
 * Files we do not own that would silently beat ours, found before anything is touched:
 * - `user_*.yml` setting a variable we set: the wrapper passes each as `-e @file` (extra vars
 *   beat host_vars, group_vars and inventory vars, and among user files `ls` order decides);
 * - `conf.d/**.yml|yaml` setting `used_ips`, `global_overrides` or `cidr_networks`: the inventory's
 *   merge_dict replaces lists, so our reservations or provider networks would vanish;
 * - group_vars/host_vars files that Ansible reads after ours or instead of ours
 *   (`vars-shadowing.ts`);
 * - metal haproxy hosts left in `openstack_inventory.json` (a warning: OSA never removes them,
 *   so `--limit haproxy` and keepalived priorities still include them, docs/osa-facts.md#brownfield);
 * - `conf.d/` or `openstack_inventory.json` missing here but present in OSA's fallback dir
 *   (`osa-fallback.ts`).
 * Only key names are reported, never values (user_secrets.yml is read too).
 */
export async function checkUnownedOverrides(
  fs: DeployFs,
  configDir: string,
  tree: RenderedTree,
  previousOwned: readonly string[] | undefined,
  fallbackDir: string = OSA_FALLBACK_CONFIG_DIR,
): Promise<Finding[]> {
  const owned = new Set([...tree.keys(), ...(previousOwned ?? [])]);
  const ours = ourVariables(tree);
  const findings: Finding[] = [];

  for (const name of await listDir(fs, configDir)) {
    if (!USER_FILE.test(name) || owned.has(name)) continue;
    const text = await readText(fs, path.join(configDir, name));
    if (text === undefined) continue;
    const keys = topLevelKeys(text);
    if (keys === undefined) {
      findings.push({
        severity: 'warning',
        file: name,
        message: 'is not a plain YAML mapping (vault-encrypted?), so it was not checked for variables we set',
      });
      continue;
    }
    const clash = [...new Set(keys.filter((k) => ours.has(k)))].sort();
    if (clash.length > 0) {
      const where = [...new Set(clash.flatMap((k) => ours.get(k)!))].sort();
      findings.push({
        severity: 'error',
        file: name,
        message:
          `sets ${clash.join(', ')}, which osa-gitops sets in ${where.join(', ')}. The openstack-ansible ` +
          'wrapper passes every user_*.yml as extra vars (-e @file), which override host_vars and group_vars ' +
          '(and each other in `ls` order), so ours would be silently replaced. Remove these keys from that file.',
      });
    }
  }

  const topKeysOfUserConfig = new Set(
    tree.has(USER_CONFIG) ? (topLevelKeys(tree.get(USER_CONFIG)!) ?? []) : [],
  );
  for (const rel of await walkYaml(fs, configDir, 'conf.d')) {
    const text = await readText(fs, path.join(configDir, rel));
    if (text === undefined) continue;
    const keys = topLevelKeys(text);
    if (keys === undefined) {
      findings.push({
        severity: 'warning',
        file: rel,
        message: 'is not a YAML mapping; the inventory may fail on it',
      });
      continue;
    }
    const replacing = keys.filter((k) => CONF_D_REPLACING_KEYS.includes(k)).sort();
    if (replacing.length > 0) {
      findings.push({
        severity: 'error',
        file: rel,
        message:
          `sets ${replacing.join(', ')}. OSA merges conf.d into openstack_user_config.yml with merge_dict, which ` +
          'replaces lists and scalars instead of merging them, so the reservations, networks or provider networks ' +
          'osa-gitops renders would be dropped. Move these into the site definition.',
      });
    }
    const merging = keys
      .filter((k) => !CONF_D_REPLACING_KEYS.includes(k) && topKeysOfUserConfig.has(k))
      .sort();
    if (merging.length > 0) {
      findings.push({
        severity: 'warning',
        file: rel,
        message: `also sets ${merging.join(', ')}, which osa-gitops renders in ${USER_CONFIG}; OSA merges the two`,
      });
    }
  }

  findings.push(...(await checkVarsShadowing(fs, configDir, tree, previousOwned)));

  const inventory = await readText(fs, path.join(configDir, 'openstack_inventory.json'));
  if (inventory !== undefined) {
    const metal = findMetalHaproxyHosts(inventory);
    if (metal === undefined) {
      findings.push({ severity: 'warning', file: 'openstack_inventory.json', message: 'is not valid JSON' });
    } else if (metal.length > 0) {
      findings.push({
        severity: 'warning',
        file: 'openstack_inventory.json',
        message:
          `still lists metal haproxy hosts in the haproxy group (${metal.join(', ')}): this site serves its VIPs ` +
          'from metal HAProxy. OSA never removes them when haproxy moves into containers, so the deploy plans the ' +
          "cut-over: HAProxy, the frontends and galera's trusted proxies are set up in the containers with the " +
          'metal hosts left out; then, with its own approval (--metal-cutover approved, or done by hand), ' +
          'keepalived and haproxy stop on the metal hosts and scripts/inventory-manage.py -r takes them out of the ' +
          'haproxy group; the VIPs are down until the keepalived stage brings them up in the containers.',
      });
    }
  }
  findings.push(...(await checkOsaFallback(fs, configDir, fallbackDir)));
  return findings;
}

/** Variable name → our files that set it: top-level keys of vars files, global_overrides keys. */
export function ourVariables(tree: RenderedTree): Map<string, string[]> {
  const vars = new Map<string, string[]>();
  const add = (key: string, file: string): void => {
    vars.set(key, [...(vars.get(key) ?? []), file]);
  };
  for (const [file, text] of tree) {
    if (OWNED_VARS_FILE.test(file)) for (const k of topLevelKeys(text) ?? []) add(k, file);
  }
  // global_overrides become inventory `all` vars, which extra vars beat as well (docs/osa-facts.md#merge).
  if (tree.has(USER_CONFIG))
    for (const k of nestedKeys(tree.get(USER_CONFIG)!, 'global_overrides')) add(k, USER_CONFIG);
  return vars;
}

async function listDir(fs: DeployFs, dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).map((e) => e.name).sort();
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return [];
    throw describeFsError('list', dir, err);
  }
}

/** Text of a regular file (following symlinks), undefined when absent or not a file. */
async function readText(fs: DeployFs, file: string): Promise<string | undefined> {
  try {
    const stats = await fs.stat(file);
    if (!stats.isFile()) return undefined;
    return (await readIfExists(fs, file))?.toString('utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw describeFsError('read', file, err);
  }
}

/**
 * `*.yml`/`*.yaml` below `rel`, recursively, as OSA's os.walk finds them (it does not follow
 * symlinked directories; symlinked files are read).
 */
async function walkYaml(fs: DeployFs, root: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await fs.readdir(path.join(root, rel));
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return out;
    throw describeFsError('list', path.join(root, rel), err);
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = `${rel}/${e.name}`;
    if (e.isDirectory() && e.name !== STATE_DIR) out.push(...(await walkYaml(fs, root, child)));
    else if ((e.isFile() || e.isSymbolicLink()) && /\.ya?ml$/.test(e.name)) out.push(child);
  }
  return out;
}
