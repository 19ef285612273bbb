import * as path from 'node:path';
import { type RenderedTree } from '@osa-gitops/core';
import { MANIFEST_FILE } from '@osa-gitops/render';
import { mkdirIfMissing } from './backup';
import { describeFsError } from './deploy-error';
import { atomicWrite, type DeployFs } from './deploy-fs';
import { requireSafeParents } from './safe-dirs';
import type { SyncPlan } from './sync-plan';

/**
 * Carry out a sync plan in the config dir: directories, then each changed file by atomic rename,
 * then orphans, then the manifest last (so the manifest only ever names a complete set). Must
 * run after the backup and the journal are durable; on any error the caller rolls back.
 */
export async function applySync(
  fs: DeployFs,
  configDir: string,
  plan: SyncPlan,
  tree: RenderedTree,
): Promise<void> {
  const step = async (action: string, file: string, run: () => Promise<unknown>): Promise<void> => {
    try {
      await run();
    } catch (err) {
      throw describeFsError(action, file, err);
    }
  };
  // Every parent is checked again right before each change (safe-dirs.ts): a directory swapped
  // for a link since the plan must not carry a write out of the config dir.
  const recheck = (rel: string) => () => requireSafeParents(fs, configDir, rel);
  for (const dir of plan.createDirs) {
    const abs = path.join(configDir, dir);
    await step('create the directory', abs, async () => {
      await recheck(dir)();
      await mkdirIfMissing(fs, abs);
      await fs.fsyncDir(path.dirname(abs));
    });
  }
  for (const w of plan.writes) {
    const abs = path.join(configDir, w.path);
    await step('write', abs, () => atomicWrite(fs, abs, tree.get(w.path)!, w.mode, recheck(w.path)));
  }
  for (const rel of plan.removes) {
    const abs = path.join(configDir, rel);
    await step('remove', abs, async () => {
      await recheck(rel)();
      await fs.unlink(abs);
      await fs.fsyncDir(path.dirname(abs));
    });
  }
  if (plan.manifestChanged) {
    const abs = path.join(configDir, MANIFEST_FILE);
    await step('write', abs, () => atomicWrite(fs, abs, plan.manifestText, 0o644));
  }
}
