import type { AppliedStages } from '@osa-gitops/render';
import type { DeployStage, StageName } from '@osa-gitops/report';
import { describeFsError } from '../deploy-error';
import { atomicWrite, readIfExists, type DeployFs } from '../deploy-fs';
import { statePaths } from '../state-paths';
import * as path from 'node:path';

/**
 * `<configDir>/.osa-gitops/stages.json`: which stages are live for the files in the config dir,
 * and which were planned but not done (a failed stage whose files were kept, a manual host
 * networking stage): the next deploy runs those first, whatever its own change needs.
 */
export interface StageRecord {
  readonly site: string;
  readonly commit: string | null;
  readonly updatedAt: string;
  readonly applied: AppliedStages;
  readonly pending: readonly { readonly name: StageName; readonly hosts?: readonly string[] }[];
}

/** `<configDir>/.osa-gitops/verified.json`: the last commit whose deploy passed verify here. */
export interface VerifiedRecord {
  readonly site: string;
  readonly commit: string;
  readonly verifiedAt: string;
}

export function stageRecordPath(configDir: string): string {
  return path.join(statePaths(configDir).stateDir, 'stages.json');
}

export function verifiedRecordPath(configDir: string): string {
  return path.join(statePaths(configDir).stateDir, 'verified.json');
}

/**
 * What is live. Without a stage record (deploys made before stages existed) a recorded deploy
 * means the containers stage ran, and nothing says haproxy-install did: its checks are then not
 * applicable rather than guessed.
 */
export async function readAppliedStages(fs: DeployFs, configDir: string): Promise<AppliedStages> {
  const record = await readStageRecord(fs, configDir);
  if (record) return record.applied;
  const state = await readIfExists(fs, statePaths(configDir).state);
  return { containers: state !== undefined, haproxy: false };
}

export async function readStageRecord(fs: DeployFs, configDir: string): Promise<StageRecord | undefined> {
  const text = (await readIfExists(fs, stageRecordPath(configDir)))?.toString('utf8');
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as Partial<StageRecord>;
    const a = v.applied as Partial<AppliedStages> | undefined;
    if (typeof v.site !== 'string' || typeof a?.containers !== 'boolean' || typeof a.haproxy !== 'boolean')
      return undefined;
    const pending = Array.isArray(v.pending)
      ? v.pending.filter(
          (p): p is StageRecord['pending'][number] =>
            typeof p === 'object' && p !== null && typeof (p as { name?: unknown }).name === 'string',
        )
      : [];
    return {
      site: v.site,
      commit: typeof v.commit === 'string' ? v.commit : null,
      updatedAt: String(v.updatedAt ?? ''),
      applied: { containers: a.containers, haproxy: a.haproxy },
      pending,
    };
  } catch {
    return undefined;
  }
}

export async function writeStageRecord(fs: DeployFs, configDir: string, record: StageRecord): Promise<void> {
  const file = stageRecordPath(configDir);
  try {
    await atomicWrite(fs, file, `${JSON.stringify(record, null, 2)}\n`, 0o644);
  } catch (err) {
    throw describeFsError('record the deploy stages in', file, err);
  }
}

export async function writeVerifiedRecord(
  fs: DeployFs,
  configDir: string,
  record: VerifiedRecord,
): Promise<void> {
  const file = verifiedRecordPath(configDir);
  try {
    await atomicWrite(fs, file, `${JSON.stringify(record, null, 2)}\n`, 0o644);
  } catch (err) {
    throw describeFsError('record the verified commit in', file, err);
  }
}

export async function readVerifiedRecord(
  fs: DeployFs,
  configDir: string,
): Promise<VerifiedRecord | undefined> {
  const text = (await readIfExists(fs, verifiedRecordPath(configDir)))?.toString('utf8');
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as Partial<VerifiedRecord>;
    return typeof v.site === 'string' && typeof v.commit === 'string' && /^[0-9a-f]{7,64}$/.test(v.commit)
      ? { site: v.site, commit: v.commit, verifiedAt: String(v.verifiedAt ?? '') }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Pending stages as a planner would list them, for merging into a new plan. */
export function pendingOf(stages: readonly DeployStage[]): StageRecord['pending'] {
  return stages
    .filter((s) => s.name !== 'verify')
    .map((s) => ({ name: s.name, ...(s.hosts ? { hosts: s.hosts } : {}) }));
}
