import { z } from 'zod';
import { SITE_NAME } from '@osa-gitops/core';
import { isRenderablePath, isRenderedDir } from '@osa-gitops/render';
import { STATE_DIR } from './state-paths';

/**
 * Schemas of what the deployer reads back from `.osa-gitops/` (issue 16, item 2). The journal and
 * the undo record steer deletions and restores, so a tampered one must not be able to name
 * anything outside what a deploy could have touched:
 * - every op path is a file the renderer can produce (`isRenderablePath`: relative, no `..`, only
 *   our kinds of file; never `user_variables.yml`, `conf.d/*`, the inventory or secrets);
 * - created dirs are directories rendered files live in (`isRenderedDir`);
 * - the backup dir is `.osa-gitops/backups/<id>` with a real backup id (`BACKUP_ID`).
 * Anything else makes the file unreadable, and the deploy stops before changing anything.
 */

/** A backup id as `backupName` makes them (`2026-07-16T12-01-02.123Z`, maybe `-2`). */
export const BACKUP_ID = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z(?:-\d{1,4})?$/;

const BACKUP_DIR = new RegExp(
  `^${STATE_DIR.replace('.', '\\.')}/backups/(${BACKUP_ID.source.slice(1, -1)})$`,
);

/** The backup id of a journal's `backupDir`, or undefined when it is not one. */
export function backupIdOf(backupDir: string): string | undefined {
  return BACKUP_DIR.exec(backupDir)?.[1];
}

const ownedPath = z.string().refine(isRenderablePath, 'not a path osa-gitops renders');
const processIdentity = z.strictObject({
  pid: z.number().int().positive(),
  host: z.string().max(255),
  procStart: z.string().regex(/^\d+$/).optional(),
});

export const JournalSchema = z.strictObject({
  version: z.literal(1),
  phase: z.enum(['syncing', 'synced', 'playbook']),
  site: z.string().regex(SITE_NAME),
  commit: z.string().max(256).nullable(),
  startedAt: z.string().max(64),
  owner: processIdentity,
  backupDir: z.string().regex(BACKUP_DIR, 'not a backup dir of .osa-gitops/backups/').nullable(),
  ops: z
    .array(z.strictObject({ path: ownedPath, op: z.enum(['write', 'remove']), backedUp: z.boolean() }))
    .max(100_000),
  manifest: z.enum(['replaced', 'created', 'unchanged']),
  createdDirs: z.array(z.string().refine(isRenderedDir, 'not a directory osa-gitops creates')).max(10_000),
  restoreOnFailure: z.boolean(),
  playbook: processIdentity.extend({ pgid: z.number().int().positive() }).optional(),
  inventoryBefore: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .optional(),
});

export const UndoRecordSchema = z.strictObject({
  version: z.literal(1),
  site: z.string().regex(SITE_NAME),
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
  journal: JournalSchema,
});

/** The first problem zod found, as `path: message`, for the error the deploy stops with. */
export function firstProblem(error: z.ZodError): string {
  const i = error.issues[0];
  return i ? `${i.path.join('.') || '(top)'}: ${i.message}` : 'invalid';
}
