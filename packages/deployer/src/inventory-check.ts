import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type RenderedTree } from '@osa-gitops/core';
import { MANIFEST_FILE } from '@osa-gitops/render';
import { DeployError } from './deploy-error';
import { runCaptured } from './run-captured';
import type { SyncPlan } from './sync-plan';

/** Where an openstack-ansible checkout keeps its inventory generator (docs/osa-facts.md#config-search). */
export const INVENTORY_SCRIPT = 'inventory/dynamic_inventory.py';
/** What `--check` prints when the whole generation succeeded (and nothing else). */
export const INVENTORY_CHECK_OK = 'Configuration ok!';

/**
 * What the generator reads from the config dir (docs/osa-facts.md#config-search, #merge): only these are copied. The rest
 * (user_secrets.yml, fact caches, backups) is not needed and would only widen where secrets lie.
 * `openstack_inventory.json` is included because OSA keeps existing allocations from it, and the
 * copy is what keeps the real one from being rewritten by the check.
 */
const GENERATOR_INPUTS = ['openstack_user_config.yml', 'conf.d', 'env.d', 'openstack_inventory.json'];

/**
 * Where the generator looks for anything missing from `--config` (docs/osa-facts.md#config-search:
 * `_get_search_paths` always appends it): `conf.d`, `env.d`, the inventory JSON. So the copy must
 * hold its own `conf.d/` and `env.d/`, and a config dir without an inventory cannot be checked
 * while this one has one.
 */
export const OSA_FALLBACK_CONFIG_DIR = '/etc/openstack_deploy';
export const INVENTORY_JSON = 'openstack_inventory.json';

export interface InventoryCheckOptions {
  readonly configDir: string;
  readonly osaDir: string;
  readonly python: string;
  readonly tree: RenderedTree;
  readonly plan: SyncPlan;
  readonly env: NodeJS.ProcessEnv;
  /** @default 300000 */
  readonly timeoutMs?: number;
  /** OSA's fallback config dir; tests point it elsewhere. @default OSA_FALLBACK_CONFIG_DIR */
  readonly fallbackConfigDir?: string;
}

export type InventoryCheckResult = { readonly ran: false; readonly reason: string } | { readonly ran: true };

/**
 * Run OSA's own inventory generator with `--check` on a temporary copy of the config dir as it
 * will be after the sync. Throws a DeployError with the generator's message when it fails.
 */
export async function checkInventory(opts: InventoryCheckOptions): Promise<InventoryCheckResult> {
  const script = path.join(opts.osaDir, INVENTORY_SCRIPT);
  try {
    await fsp.access(script);
  } catch {
    return { ran: false, reason: `${script} does not exist` };
  }
  await refuseFallbackInventory(opts.configDir, opts.fallbackConfigDir ?? OSA_FALLBACK_CONFIG_DIR);
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'osa-gitops-inventory-check-'));
  try {
    const copy = await buildGeneratorCopy(opts.configDir, opts.tree, opts.plan.removes, work);

    const env = { ...opts.env };
    delete env.OSA_CONFIG_DIR; // --config decides; never let the real dir leak in
    const run = await runCaptured(opts.python, [script, '--config', copy, '--check'], {
      cwd: work, // `-d` would write ./inventory.log; keep any such output in the temp dir
      env,
      timeoutMs: opts.timeoutMs ?? 300_000,
    }).catch((err: unknown) => {
      throw new DeployError(
        `cannot run ${opts.python} for OSA's inventory check: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    });
    if (run.code === 0 && run.stdout.trim() === INVENTORY_CHECK_OK) return { ran: true };
    const tail = run.stderr.trim().split('\n').slice(-15).join('\n');
    const why = run.timedOut
      ? 'it did not finish in time'
      : run.code === 0
        ? `it printed the inventory instead of "${INVENTORY_CHECK_OK}" (OSA does that when a group in the config is unknown to env.d)`
        : `exit ${run.code ?? run.signal}`;
    throw new DeployError(
      `OSA's inventory check (${INVENTORY_SCRIPT} --check) rejects the config dir as it would be after the sync: ` +
        `${why}${tail ? `\n${tail}` : ''}`,
    );
  } finally {
    await fsp.rm(work, { recursive: true, force: true });
  }
}

/**
 * The config dir as the generator will read it after the sync, in `<work>/openstack_deploy`:
 * only the generator's inputs are copied (secrets, fact caches and backups are not), the tree is
 * written over them, files the sync removes are removed. Shared by the inventory check and the
 * allocation preview, so both see exactly what the deploy will leave. Returns the copy's path.
 */
export async function buildGeneratorCopy(
  configDir: string,
  tree: RenderedTree,
  removes: readonly string[],
  work: string,
): Promise<string> {
  const copy = path.join(work, 'openstack_deploy');
  await fsp.mkdir(copy, { mode: 0o700 });
  for (const name of GENERATOR_INPUTS) {
    const source = path.join(configDir, name);
    if (await exists(source))
      await fsp.cp(source, path.join(copy, name), { recursive: true, dereference: true });
  }
  for (const [rel, text] of tree) {
    if (rel === MANIFEST_FILE) continue;
    await fsp.mkdir(path.dirname(path.join(copy, rel)), { recursive: true });
    await fsp.writeFile(path.join(copy, rel), text);
  }
  for (const rel of removes) await fsp.rm(path.join(copy, rel), { force: true });
  // Present (even empty), so the generator takes them from the copy and never falls back to
  // the fallback dir's conf.d/env.d, another deployment's hosts and groups.
  for (const dir of ['conf.d', 'env.d']) await fsp.mkdir(path.join(copy, dir), { recursive: true });
  return copy;
}

/**
 * A config dir without an inventory (a first deploy) while the fallback dir has one: the copy has
 * none either, so the generator would read the fallback's and check this site's config against
 * another deployment's allocations; the result means nothing. Refused, naming both.
 */
export async function refuseFallbackInventory(
  configDir: string,
  fallback: string = OSA_FALLBACK_CONFIG_DIR,
): Promise<void> {
  if (await exists(path.join(configDir, INVENTORY_JSON))) return;
  const theirs = path.join(fallback, INVENTORY_JSON);
  // (When the config dir is the fallback dir itself, it has none either: no realpath check needed.)
  if (!(await exists(theirs))) return;
  throw new DeployError(
    `refusing OSA's inventory check: ${configDir} has no ${INVENTORY_JSON}, but ${theirs} exists, and OSA's ` +
      `inventory generator falls back to ${fallback} for anything missing from its --config dir, so the check ` +
      `would mix the two config dirs (this site's config with the other's inventory). Nothing was changed. Deploy ` +
      `into ${fallback} itself, or move ${fallback} aside on this host, and deploy again`,
  );
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.lstat(file);
    return true;
  } catch {
    return false;
  }
}
