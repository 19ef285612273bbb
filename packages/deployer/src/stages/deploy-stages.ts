import * as path from 'node:path';
import { type Environment, type RenderedTree } from '@osa-gitops/core';
import { MANIFEST_FILE } from '@osa-gitops/render';
import {
  networkChanges,
  planStages,
  STAGE_ORDER,
  type DeployStage,
  type StageName,
} from '@osa-gitops/report';
import { readIfExists, type DeployFs } from '../deploy-fs';
import type { StageRecord } from '../verify/stage-record';

/** Exit code: a stage waits for a person (host networking manual or not approved); files synced. */
export const EXIT_WAITING = 91;
/** Exit code: every stage ran, and verify found a check that failed. */
export const EXIT_VERIFY_FAILED = 90;
/**
 * Exit code: this host needs the host-networking stage, which the deploy plan (made from the git
 * diff, `--planned-host-networking none`) did not foresee, so nobody approved it; nothing changed.
 */
export const EXIT_UNPLANNED = 92;

/**
 * What the deploy may do about the host-networking stage:
 * - `approved`: run it (the CLI's `--host-networking approved`, given by the workflow after the
 *   stage's own environment approved it, or by a person on the host);
 * - `done`: a person ran it by hand: skip it;
 * - undefined: stop before it (exit EXIT_WAITING) with the exact command.
 * A site with `deploy.hostNetworking: 'manual'` never runs it, whatever this says.
 */
export type HostNetworkingPermission = 'approved' | 'done';

export interface StagedDeployOptions {
  /** The site's validated definition (verify and `deploy.hostNetworking` read it). */
  readonly environment: Environment;
  readonly hostNetworking?: HostNetworkingPermission;
  /**
   * What the deploy plan said of the host-networking stage (from the git diff of the push; the
   * workflow's approvals follow it). `none`: when this host needs the stage all the same (its
   * config dir is behind the push's parent: a first deploy, a dropped or restored deploy), stop
   * before changing anything with EXIT_UNPLANNED, instead of syncing and waiting (91).
   */
  readonly planned?: 'approve' | 'manual' | 'none';
  /** Run verify after the stages. @default true */
  readonly verify?: boolean;
  /** Append the stage table and the verify table (Markdown) to this file, e.g. the job summary. */
  readonly summaryFile?: string;
}

/**
 * The tree the config dir holds now: the files the manifest there owns, as they are. This, not a
 * git ref, is the "before" of the stage plan: it is what the hosts were last built from, and a
 * config dir that never had our manifest is a new site (every stage runs).
 */
export async function readOwnedTree(
  fs: DeployFs,
  configDir: string,
  previousOwned: readonly string[] | undefined,
): Promise<RenderedTree | undefined> {
  if (previousOwned === undefined) return undefined;
  const files = new Map<string, string>();
  for (const rel of [...previousOwned, MANIFEST_FILE]) {
    const data = await readIfExists(fs, path.join(configDir, rel));
    if (data !== undefined) files.set(rel, data.toString('utf8'));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The stages this deploy runs: what the change from the config dir's tree to the committed one
 * needs, plus whatever an earlier deploy of this site left pending (a failed stage whose files
 * were kept, a host-networking stage waiting for a person), in the guide's order.
 */
export function stagesToRun(
  site: string,
  environment: Environment,
  before: RenderedTree | undefined,
  after: RenderedTree,
  record: StageRecord | undefined,
): DeployStage[] {
  const planned = planStages({
    site,
    before,
    after,
    changes: networkChanges(site, before, after),
    hostNetworking: environment.deploy.hostNetworking,
  });
  const pending = record && record.site === site ? record.pending : [];
  if (pending.length === 0) return planned;
  // Re-plan as if nothing had been applied for the pending stages: a new-site plan has every
  // stage, with host networking on every host that has host_vars.
  const full = planStages({
    site,
    before: undefined,
    after,
    changes: networkChanges(site, undefined, after),
    hostNetworking: environment.deploy.hostNetworking,
  });
  const byName = new Map(planned.map((s) => [s.name, s]));
  for (const p of pending) {
    const stage = full.find((s) => s.name === p.name);
    if (!stage) continue;
    const have = byName.get(p.name);
    if (p.name === 'host-networking') {
      const hosts = [...new Set([...(have?.hosts ?? []), ...(p.hosts ?? stage.hosts ?? [])])]
        .filter((h) => stage.hosts?.includes(h))
        .sort();
      if (hosts.length === 0) continue;
      byName.set(p.name, {
        ...stage,
        hosts,
        argv: [...stage.argv.slice(0, 3), hosts.join(','), ...stage.argv.slice(4)],
        command: [...stage.argv.slice(0, 3), hosts.join(','), ...stage.argv.slice(4)].join(' '),
        why: `${have ? `${have.why}; ` : ''}left pending by an earlier deploy`,
      });
    } else if (!have) {
      byName.set(p.name, { ...stage, why: `left pending by an earlier deploy; ${stage.why}` });
    }
  }
  return STAGE_ORDER.flatMap((n: StageName) => (byName.has(n) ? [byName.get(n)!] : []));
}
