import { existsSync } from 'node:fs';
import type { DeployFs } from './deploy-fs';
import type { DeployLog } from './deploy-log';
import { acquireDeployLock } from './lock';
import { statePaths } from './state-paths';

/** How long `drift` and `preview` wait for a deploy of the site to finish. */
export const READ_LOCK_TIMEOUT_MS = 10 * 60_000;

/**
 * Read a site's config dir while no deploy is changing it: under the deployer's own lock
 * (`.osa-gitops/deploy.lock`, the only thing written), waiting up to `timeoutMs` for a running
 * deploy. `osa-gitops drift` and `preview` read through this, so the workflows need no GitHub
 * concurrency group shared with the deploy job: GitHub keeps one pending job per group and cancels
 * the older one, which would drop a pending deploy (issue 29). A config dir no deploy ever locked
 * (no state dir) is read as it is: there is nothing to wait for, and nothing is created in it.
 */
export async function readWhileNoDeployRuns<T>(
  opts: {
    readonly fs: DeployFs;
    readonly configDir: string;
    readonly site: string;
    readonly log: DeployLog;
    readonly timeoutMs?: number;
  },
  read: () => Promise<T>,
): Promise<T> {
  if (!existsSync(statePaths(opts.configDir).stateDir)) return read();
  const lock = await acquireDeployLock({
    fs: opts.fs,
    configDir: opts.configDir,
    site: opts.site,
    log: opts.log,
    timeoutMs: opts.timeoutMs ?? READ_LOCK_TIMEOUT_MS,
  });
  try {
    return await read();
  } finally {
    await lock.release().catch((err: unknown) => opts.log.warn(`could not release the lock: ${String(err)}`));
  }
}
