import { DeployError, describeFsError } from './deploy-error';
import { atomicWrite, readIfExists, type DeployFs } from './deploy-fs';
import type { ProcessIdentity } from './process-liveness';
import { statePaths } from './state-paths';
import { firstProblem, JournalSchema } from './state-schema';

/**
 * The deploy journal, `<configDir>/.osa-gitops/journal.json`: the intent of an unfinished
 * deploy, written (atomically) before the first owned file changes and removed only when the
 * deploy is over. Its presence at start means the previous deploy died; its content says how to
 * put every owned file back.
 *
 * Ordering that makes this safe (each step durable before the next):
 *   1. back up every file about to be replaced or removed (and the old manifest) into a new
 *      `backups/<UTC timestamp>/`, completed via rename from `<ts>.partial`;
 *   2. write the journal, phase `syncing`, listing every op and the backup dir;
 *   3. replace/remove owned files one by one, each by an atomic rename or unlink;
 *   4. write the manifest (last, atomic);
 *   5. journal phase `synced`; then `playbook` with the playbook's process group once spawned;
 *   6. remove the journal (after restoring from the backup when the playbook failed).
 * A crash anywhere leaves each owned file whole (old or new bytes, never torn) and a journal
 * from which `rollBack` restores the previous set exactly.
 */
export type JournalPhase = 'syncing' | 'synced' | 'playbook';

export interface JournalOp {
  /** Owned path relative to the config dir. */
  readonly path: string;
  readonly op: 'write' | 'remove';
  /** The file existed before and a copy is in the backup dir. */
  readonly backedUp: boolean;
}

export interface Journal {
  readonly version: 1;
  readonly phase: JournalPhase;
  readonly site: string;
  readonly commit: string | null;
  readonly startedAt: string;
  readonly owner: ProcessIdentity;
  /** Backup dir relative to the config dir, or null when nothing existed to back up. */
  readonly backupDir: string | null;
  readonly ops: readonly JournalOp[];
  /**
   * The manifest is rewritten last. `replaced`: the old one is in the backup; `created`: there
   * was none (rollback deletes it); `unchanged`: it stays as it is.
   */
  readonly manifest: 'replaced' | 'created' | 'unchanged';
  /** Directories this deploy created (relative, parents first): removed again on rollback. */
  readonly createdDirs: readonly string[];
  /** The deploy was asked to restore on failure (`--no-restore` turns it off). */
  readonly restoreOnFailure: boolean;
  /**
   * Set once the playbook runs: a deploy that dies leaves it orphaned, and the next one stops it
   * (its own process group; `procStart` is the group leader's start time).
   */
  readonly playbook?: ProcessIdentity & { readonly pgid: number };
  /**
   * sha256 of openstack_inventory.json (null: none) just before the playbook ran. A failed or dead
   * deploy whose playbook changed it keeps its new files instead of rolling back
   * (inventory-fingerprint.ts); absent in journals of older versions (then: roll back).
   */
  readonly inventoryBefore?: string | null;
}

export async function readJournal(fs: DeployFs, configDir: string): Promise<Journal | undefined> {
  const file = statePaths(configDir).journal;
  let raw: Buffer | undefined;
  try {
    raw = await readIfExists(fs, file);
  } catch (err) {
    throw describeFsError('read the deploy journal', file, err);
  }
  if (raw === undefined) return undefined;
  try {
    // Validated, not trusted: its paths steer deletions and restores (state-schema.ts).
    const parsed = JournalSchema.safeParse(JSON.parse(raw.toString('utf8')));
    if (!parsed.success) throw new Error(firstProblem(parsed.error));
    return parsed.data as Journal;
  } catch (err) {
    // Written atomically, so this is a hand edit or another tool: recovering from a guess
    // could destroy files, so stop and say where to look.
    throw new DeployError(
      `the deploy journal ${file} is unreadable (${(err as Error).message}); ` +
        'inspect the newest backup under .osa-gitops/backups/, restore by hand, then delete the journal',
      { cause: err },
    );
  }
}

export async function writeJournal(fs: DeployFs, configDir: string, journal: Journal): Promise<void> {
  const file = statePaths(configDir).journal;
  try {
    await atomicWrite(fs, file, `${JSON.stringify(journal, null, 2)}\n`, 0o600);
  } catch (err) {
    throw describeFsError('write the deploy journal', file, err);
  }
}

export async function clearJournal(fs: DeployFs, configDir: string): Promise<void> {
  const paths = statePaths(configDir);
  try {
    await fs.unlink(paths.journal);
    await fs.fsyncDir(paths.stateDir);
  } catch (err) {
    throw describeFsError('remove the deploy journal', paths.journal, err);
  }
}
