import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeployError, describeFsError } from './deploy-error';
import * as path from 'node:path';
import { errorCode, type DeployFs } from './deploy-fs';
import type { DeployLog } from './deploy-log';
import {
  currentProcessIdentity,
  isPidAlive,
  processLiveness,
  type ProcessIdentity,
} from './process-liveness';
import { statePaths } from './state-paths';

/** What a lock file says about its holder. */
export interface LockHolder extends ProcessIdentity {
  readonly site: string;
  readonly startedAt: string;
  /** Random per acquisition: release and takeover only touch the lock they looked at. */
  readonly token: string;
}

export interface AcquireLockOptions {
  readonly fs: DeployFs;
  readonly configDir: string;
  readonly site: string;
  readonly log: DeployLog;
  /** How long to wait for a live holder. */
  readonly timeoutMs: number;
  /** @default 250 */
  readonly pollMs?: number;
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
}

export interface DeployLock {
  readonly holder: LockHolder;
  release(): Promise<void>;
}

export class LockTimeoutError extends DeployError {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder | undefined,
    waitedMs: number,
  ) {
    super(
      `another deploy holds ${lockFile} (${holder ? describeHolder(holder) : 'unreadable lock file'}); ` +
        `gave up after waiting ${Math.round(waitedMs / 1000)}s. ` +
        (holder
          ? 'If that process is gone from a different host, remove the lock file by hand.'
          : 'Remove it by hand if no deploy is running.'),
    );
    this.name = 'LockTimeoutError';
  }
}

export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host}, site ${h.site}, since ${h.startedAt}`;
}

/**
 * One deploy per config dir at a time: `<configDir>/.osa-gitops/deploy.lock`.
 *
 * The lock file is written in full to a temp file and then hard-linked to its name: `link(2)` is
 * as exclusive as `open(O_CREAT|O_EXCL)` ("wx") but the lock can never be seen empty, which an
 * O_EXCL create followed by a write can be if the process dies in between (nobody could then say
 * whose it was). A lock whose holder is dead on this host is taken over, under a second guard
 * file, after re-checking it is still the same dead lock, so two waiters cannot both take it.
 */
export async function acquireDeployLock(opts: AcquireLockOptions): Promise<DeployLock> {
  const { fs, log } = opts;
  const now = opts.now ?? (() => new Date());
  const paths = statePaths(opts.configDir);
  const holder: LockHolder = {
    ...currentProcessIdentity(),
    site: opts.site,
    startedAt: now().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const started = Date.now();
  let announced: string | undefined;

  for (;;) {
    if (await tryLink(fs, paths.lock, holder)) {
      await fs.fsyncDir(paths.stateDir);
      await removeDeadLockLeftovers(fs, paths);
      return { holder, release: () => releaseLock(fs, paths.lock, holder) };
    }
    const current = await readHolder(fs, paths.lock);
    if (current === 'missing') continue; // released between our link and our read: try again
    if (current !== 'unreadable' && processLiveness(current) === 'dead') {
      if (await takeOver(fs, paths, current, holder)) {
        log.warn(`took over the lock left by a dead deploy (${describeHolder(current)})`);
      }
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= opts.timeoutMs) {
      throw new LockTimeoutError(paths.lock, current === 'unreadable' ? undefined : current, waited);
    }
    const who = current === 'unreadable' ? 'an unreadable lock file' : describeHolder(current);
    if (announced !== who) {
      log.info(
        `waiting for the deploy lock ${paths.lock}, held by ${who} (up to ${Math.round(opts.timeoutMs / 1000)}s)`,
      );
      announced = who;
    }
    try {
      await sleep(Math.min(opts.pollMs ?? 250, Math.max(1, opts.timeoutMs - waited)), undefined, {
        signal: opts.signal,
      });
    } catch (err) {
      throw new DeployError('interrupted while waiting for the deploy lock; nothing was changed', {
        cause: err,
      });
    }
  }
}

/** Read a lock file: the holder, `missing`, or `unreadable` (hand-made or foreign). */
export async function readHolder(fs: DeployFs, file: string): Promise<LockHolder | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = (await fs.readFile(file)).toString('utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return 'missing';
    throw describeFsError('read the lock', file, err);
  }
  try {
    const data = JSON.parse(text) as Partial<LockHolder>;
    if (typeof data.pid === 'number' && typeof data.host === 'string' && typeof data.token === 'string') {
      return {
        pid: data.pid,
        host: data.host,
        site: String(data.site ?? '?'),
        startedAt: String(data.startedAt ?? '?'),
        token: data.token,
        ...(typeof data.procStart === 'string' ? { procStart: data.procStart } : {}),
      };
    }
  } catch {
    // fall through: not ours to interpret
  }
  return 'unreadable';
}

/** `.deploy.lock.<pid>.<hex>.osa-gitops-tmp`: the pid says whose it is, for the cleanup below. */
const LOCK_TEMP = /^\.deploy\.lock(?:\.takeover)?\.(\d+)\.[0-9a-f]+\.osa-gitops-tmp$/;

async function tryLink(fs: DeployFs, file: string, holder: LockHolder): Promise<boolean> {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.osa-gitops-tmp`,
  );
  try {
    await fs.writeFileDurable(temp, `${JSON.stringify(holder, null, 2)}\n`, 0o644);
    await fs.link(temp, file);
    return true;
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw describeFsError('create the deploy lock', file, err);
  } finally {
    await fs.unlink(temp).catch(() => undefined);
  }
}

async function takeOver(
  fs: DeployFs,
  paths: ReturnType<typeof statePaths>,
  dead: LockHolder,
  me: LockHolder,
): Promise<boolean> {
  if (!(await tryLink(fs, paths.lockTakeover, me))) {
    // Someone else is breaking it. If that someone died mid-takeover (a window of a few
    // syscalls), clear their guard so the next round can proceed.
    const guard = await readHolder(fs, paths.lockTakeover);
    if (guard !== 'missing' && guard !== 'unreadable' && processLiveness(guard) === 'dead') {
      await fs.unlink(paths.lockTakeover).catch(() => undefined);
    }
    await sleep(10);
    return false;
  }
  try {
    const again = await readHolder(fs, paths.lock);
    if (again === 'missing' || again === 'unreadable' || again.token !== dead.token) return false;
    await fs.unlink(paths.lock);
    return true;
  } finally {
    await fs.unlink(paths.lockTakeover).catch(() => undefined);
  }
}

/**
 * Leftovers of deployers killed while locking: a temp file written but not yet linked, or a
 * takeover guard whose holder died after breaking the stale lock. Only those of dead pids are
 * removed: a live waiter may be between two of those calls right now.
 */
async function removeDeadLockLeftovers(fs: DeployFs, paths: ReturnType<typeof statePaths>): Promise<void> {
  for (const e of await fs.readdir(paths.stateDir)) {
    const m = LOCK_TEMP.exec(e.name);
    if (m && !isPidAlive(Number(m[1])))
      await fs.unlink(path.join(paths.stateDir, e.name)).catch(() => undefined);
  }
  const guard = await readHolder(fs, paths.lockTakeover);
  if (guard !== 'missing' && guard !== 'unreadable' && processLiveness(guard) === 'dead') {
    await fs.unlink(paths.lockTakeover).catch(() => undefined);
  }
}

async function releaseLock(fs: DeployFs, file: string, holder: LockHolder): Promise<void> {
  const current = await readHolder(fs, file);
  // Never remove a lock that is no longer ours (it was taken over while we were presumed dead).
  if (current !== 'missing' && current !== 'unreadable' && current.token === holder.token) {
    await fs.unlink(file);
  }
}
