import * as path from 'node:path';
import { type Environment, type RenderedTree } from '@osa-gitops/core';
import { MANIFEST_FILE } from '@osa-gitops/render';
import {
  hostNetworkingArgv,
  networkChanges,
  planStages,
  SERVICE_PLAYBOOKS,
  STAGE_ORDER,
  type DeployStage,
  type StageName,
} from '@osa-gitops/report';
import { readIfExists, type DeployFs } from '../deploy-fs';
import { INVENTORY_FILE } from '../inventory-fingerprint';
import { findMetalHaproxyHosts, populatedInventoryGroups } from '../inventory-state';
import { readStageRecord, type StageRecord } from '../verify/stage-record';

/** Exit code: a stage waits for a person (host networking or the metal cut-over not approved); files synced. */
export const EXIT_WAITING = 91;
/** Exit code: every stage ran, and verify found a check that failed. */
export const EXIT_VERIFY_FAILED = 90;
/**
 * Exit code: this host needs the host-networking stage, which the deploy plan (made from the git
 * diff, `--planned-host-networking none`) did not foresee, so nobody approved it; nothing changed.
 */
export const EXIT_UNPLANNED = 92;

/**
 * What the deploy may do about a stage that needs its own approval (host networking, the metal
 * cut-over):
 * - `approved`: run it (the CLI's `--host-networking approved` / `--metal-cutover approved`, given
 *   by the workflow after the stage's own environment approved it, or by a person on the host);
 * - `done`: a person did it by hand: skip it;
 * - undefined: stop before it (exit EXIT_WAITING) with the exact commands.
 * A site with `deploy.hostNetworking: 'manual'` never runs host networking, whatever this says.
 */
export type StagePermission = 'approved' | 'done';

export interface StagedDeployOptions {
  /** The site's validated definition (verify and `deploy.hostNetworking` read it). */
  readonly environment: Environment;
  readonly hostNetworking?: StagePermission;
  readonly metalCutover?: StagePermission;
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
  /**
   * The options this deploy was given that a resumed deploy must repeat (`--config-dir`,
   * `--osa-dir`, `--osa-bin`), as argv, for the resume command printed when it stops.
   */
  readonly resumeArgs?: readonly string[];
}

/** What the deploy host's OSA inventory says, for the stage plan. */
export interface HostInventory {
  /** Metal instances still in the `haproxy` group (a site moving off metal HAProxy), sorted. */
  readonly metalHaproxy: readonly string[];
  /** Groups of the service playbooks that have members there. */
  readonly groups: readonly string[];
}

/** `openstack_inventory.json` of the config dir, read only; none yet (a new cloud) is empty. */
export async function readHostInventory(fs: DeployFs, configDir: string): Promise<HostInventory> {
  const text = (await readIfExists(fs, path.join(configDir, INVENTORY_FILE)))?.toString('utf8');
  if (text === undefined) return { metalHaproxy: [], groups: [] };
  return {
    metalHaproxy: findMetalHaproxyHosts(text) ?? [],
    groups: populatedInventoryGroups(
      text,
      SERVICE_PLAYBOOKS.map((p) => p.group),
    ),
  };
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
 * needs, with what the host's inventory says (metal HAProxy still in the group, the services it
 * has), plus whatever an earlier deploy of this site left pending (a failed stage whose files
 * were kept, a stage waiting for a person), in OSA's order.
 */
export function stagesToRun(
  site: string,
  environment: Environment,
  before: RenderedTree | undefined,
  after: RenderedTree,
  record: StageRecord | undefined,
  host: HostInventory,
): DeployStage[] {
  const pending = record && record.site === site ? record.pending : [];
  const plan = (from: RenderedTree | undefined) =>
    planStages({
      cutoverPrepared: pending.some((p) => p.name === 'metal-cutover'),
      site,
      before: from,
      after,
      changes: networkChanges(site, from, after),
      hostNetworking: environment.deploy.hostNetworking,
      metalHaproxy: host.metalHaproxy,
      inventoryGroups: host.groups,
    });
  const planned = plan(before);
  if (pending.length === 0) return planned;
  // Re-plan as if nothing had been applied for the pending stages: a new-site plan has every
  // stage, with host networking on every host that has host_vars.
  const full = plan(undefined);
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
      const argv = hostNetworkingArgv(hosts);
      byName.set(p.name, {
        ...stage,
        hosts,
        argv,
        command: argv.join(' '),
        why: `${have ? `${have.why}; ` : ''}left pending by an earlier deploy`,
      });
    } else if (!have) {
      byName.set(p.name, { ...stage, why: `left pending by an earlier deploy; ${stage.why}` });
    }
  }
  return STAGE_ORDER.flatMap((n: StageName) => (byName.has(n) ? [byName.get(n)!] : []));
}

/**
 * The stage plan of a deploy, from the config dir as it is before the sync: the real deploy and
 * the dry run both call this, so they cannot disagree.
 */
export async function planDeployStages(
  fs: DeployFs,
  configDir: string,
  site: string,
  staged: StagedDeployOptions,
  tree: RenderedTree,
  previousOwned: readonly string[] | undefined,
): Promise<DeployStage[]> {
  return stagesToRun(
    site,
    staged.environment,
    await readOwnedTree(fs, configDir, previousOwned),
    tree,
    await readStageRecord(fs, configDir),
    await readHostInventory(fs, configDir),
  );
}

/**
 * The host-networking stage this host needs although the deploy plan said none was needed
 * (`planned: 'none'`, no permission given): the deploy stops before changing anything
 * (EXIT_UNPLANNED), and so does what its dry run prints.
 */
export function unplannedStage(
  staged: StagedDeployOptions,
  stages: readonly DeployStage[],
): DeployStage | undefined {
  if (staged.planned !== 'none' || staged.hostNetworking !== undefined) return undefined;
  const stage = stages.find((s) => s.name === 'host-networking');
  return stage && stage.approval !== 'manual' ? stage : undefined;
}
