import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type RenderedTree } from '@osa-gitops/core';
import {
  addressNetworksFromUserConfig,
  EMPTY_INVENTORY,
  previewAllocation,
  readInventory,
  type AllocationPreview,
  type InventoryView,
} from '@osa-gitops/render';
import { DeployError } from './deploy-error';
import type { DeployFs } from './deploy-fs';
import { buildGeneratorCopy, INVENTORY_JSON, refuseFallbackInventory } from './inventory-check';
import { runCaptured, type CapturedRun } from './run-captured';
import { planSync } from './sync-plan';
import { requireTrustedOsaDir } from './trusted-path';
import { refuseYamlAliases } from './untrusted-yaml';

/**
 * Address space OSA's generator may map in the preview (`ulimit -v`, RLIMIT_AS), MiB. The
 * preview runs it on a pull request's tree on a deploy runner, so the tree must not be able to
 * take the runner's memory (issue 26: 2.9 GB from a 2 KB alias bomb; a huge CIDR is a list of
 * every address). Real trees need far less: about 20 MB for the examples, 37 MB for a site with
 * 300 infra hosts.
 */
export const PREVIEW_MEMORY_LIMIT_MB = 1024;

/**
 * Our own few lines of Python (not OSA's): import OSA's generator the way its
 * `inventory/dynamic_inventory.py` does (installed `osa_toolkit` first, else the checkout), seed
 * its random draws (`uuid.uuid4` name suffixes, `random.shuffle` of each address pool) so the
 * same change previews the same draw, and print the inventory it generates into the copy.
 * Written into the temp dir at run time, so it needs no file next to this module.
 */
export const PREVIEW_GENERATOR_PY = `import os, random, sys, uuid
osa_dir, config, seed = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    from osa_toolkit import generate
except ImportError:
    sys.path.append(osa_dir)
    from osa_toolkit import generate
random.seed(seed)
uuid.uuid4 = lambda: uuid.UUID(int=random.getrandbits(128), version=4)
print(generate.generate(config=config, check=False, debug=False,
                        environment=os.path.join(osa_dir, 'inventory')))
`;

export interface PreviewOnHostOptions {
  readonly site: string;
  readonly fs: DeployFs;
  readonly configDir: string;
  readonly osaDir: string;
  readonly python: string;
  /** The tree to preview (the committed tree, or a PR's, read by readTreeDir). */
  readonly tree: RenderedTree;
  readonly env: NodeJS.ProcessEnv;
  /** @default 300000 */
  readonly timeoutMs?: number;
  /** OSA's fallback config dir; tests point it elsewhere. */
  readonly fallbackConfigDir?: string;
  /** @default PREVIEW_MEMORY_LIMIT_MB */
  readonly memoryLimitMb?: number;
}

export type PreviewOnHostResult =
  | { readonly ran: false; readonly reason: string }
  | { readonly ran: true; readonly preview: AllocationPreview };

/**
 * What OSA's inventory generator will do when this tree is deployed: it runs on a temporary copy
 * of the config dir with the tree synced in and a copy of the real `openstack_inventory.json`
 * (so existing containers keep their names and addresses, as on the real run), and the result is
 * compared with the real inventory. The live config dir is only read.
 */
export async function previewOnHost(opts: PreviewOnHostOptions): Promise<PreviewOnHostResult> {
  const generator = path.join(opts.osaDir, 'osa_toolkit', 'generate.py');
  try {
    await fsp.access(generator);
  } catch {
    return { ran: false, reason: `${generator} does not exist (is osaDir an openstack-ansible checkout?)` };
  }
  // Before anything runs: the checkout's code is run as this user, the tree may be a PR's.
  await requireTrustedOsaDir(opts.fs, opts.osaDir, 'the openstack-ansible checkout (osaDir)');
  refuseYamlAliases(opts.tree);
  const plan = await planSync(opts.fs, opts.configDir, opts.tree);
  await refuseFallbackInventory(opts.configDir, opts.fallbackConfigDir);
  const before = await readInventoryFile(path.join(opts.configDir, INVENTORY_JSON));
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'osa-gitops-preview-'));
  try {
    const copy = await buildGeneratorCopy(opts.configDir, opts.tree, plan.removes, work);
    const run = await runPreviewGenerator({
      python: opts.python,
      osaDir: opts.osaDir,
      copy,
      work,
      seed: `osa-gitops:${opts.site}`,
      env: opts.env,
      timeoutMs: opts.timeoutMs ?? 300_000,
      memoryLimitMb: opts.memoryLimitMb ?? PREVIEW_MEMORY_LIMIT_MB,
    });
    const after = parseInventory(run.stdout, "the generator's output");
    const networks = addressNetworksFromUserConfig(opts.tree.get('openstack_user_config.yml') ?? '');
    const preview = previewAllocation({
      site: opts.site,
      before: before ?? EMPTY_INVENTORY,
      after,
      fromEmpty: before === undefined,
      networks,
    });
    return { ran: true, preview };
  } finally {
    await fsp.rm(work, { recursive: true, force: true });
  }
}

/**
 * OSA's generator (through PREVIEW_GENERATOR_PY) on a prepared copy, under `ulimit -v` and the
 * timeout. Throws DeployError when it fails, naming the limit it hit. Exported for tests.
 */
export async function runPreviewGenerator(opts: {
  readonly python: string;
  readonly osaDir: string;
  readonly copy: string;
  readonly work: string;
  readonly seed: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly memoryLimitMb: number;
}): Promise<CapturedRun> {
  const script = path.join(opts.work, 'osa-gitops-preview.py');
  await fsp.writeFile(script, PREVIEW_GENERATOR_PY, { mode: 0o600 });
  const env = { ...opts.env };
  delete env.OSA_CONFIG_DIR; // --config decides; never let the real dir leak in
  // /bin/sh only to set the limit (Node has no setrlimit); the arguments are passed as "$@".
  const limit = `ulimit -v ${Math.floor(opts.memoryLimitMb * 1024)} && exec "$0" "$@"`;
  const run = await runCaptured(
    '/bin/sh',
    ['-c', limit, opts.python, script, opts.osaDir, opts.copy, opts.seed],
    {
      cwd: opts.work,
      env,
      timeoutMs: opts.timeoutMs,
      maxBytes: 64 * 1024 * 1024,
    },
  ).catch((err: unknown) => {
    throw new DeployError(`cannot run /bin/sh for the allocation preview: ${(err as Error).message}`, {
      cause: err,
    });
  });
  if (run.code === 127) {
    throw new DeployError(
      `cannot run ${opts.python} for the allocation preview: ${run.stderr.trim().split('\n')[0] ?? ''}`,
    );
  }
  if (run.code !== 0 || run.timedOut) {
    const tail = run.stderr.trim().split('\n').slice(-15).join('\n');
    const outOfMemory = /MemoryError|Cannot allocate memory|out of memory/.test(run.stderr);
    const why = run.timedOut
      ? `it did not finish within ${Math.round(opts.timeoutMs / 1000)} s, the preview's time limit`
      : outOfMemory
        ? `it ran out of memory under the preview's limit of ${opts.memoryLimitMb} MiB of address space (ulimit -v); real trees need a few tens of MB`
        : `exit ${run.code ?? run.signal}`;
    throw new DeployError(
      `OSA's inventory generator failed on the synced copy (${why}), so the deploy would fail there too` +
        (tail && !outOfMemory ? `:\n${tail}` : ''),
    );
  }
  return run;
}

async function readInventoryFile(file: string): Promise<InventoryView | undefined> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DeployError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return parseInventory(text, file);
}

function parseInventory(text: string, what: string): InventoryView {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new DeployError(`${what} is not JSON`);
  }
  const r = readInventory(doc);
  if (!r.ok) throw new DeployError(`${what}: ${r.error}`);
  return r.inventory;
}
