import * as path from 'node:path';
import { type RenderedTree } from '@osa-gitops/core';
import {
  isOwnablePath,
  isRenderablePath,
  MANIFEST_FILE,
  parseManifest,
  planTreeSync,
} from '@osa-gitops/render';
import { DeployError, describeFsError } from './deploy-error';
import { lstatIfExists, readIfExists, type DeployFs } from './deploy-fs';
import { topLevelKeys } from './yaml-keys';

export interface PlannedWrite {
  readonly path: string;
  /** A file is there now (it is backed up before being replaced). */
  readonly existed: boolean;
  /** It is there now, no manifest of ours listed it, and `--adopt` names it: it becomes ours. */
  readonly adopted: boolean;
  /** Mode to write with: the existing file's, else 0644. */
  readonly mode: number;
}

/** What a deploy will change in the config dir, computed without changing anything. */
export interface SyncPlan {
  /** Owned paths of the manifest now in the config dir (undefined on the first deploy). */
  readonly previousOwned: readonly string[] | undefined;
  readonly writes: readonly PlannedWrite[];
  /** Files owned before, not rendered any more, present now. */
  readonly removes: readonly string[];
  readonly unchanged: readonly string[];
  /** Directories to create for new files, relative, parents first. */
  readonly createDirs: readonly string[];
  readonly manifestText: string;
  readonly manifestExists: boolean;
  readonly manifestChanged: boolean;
  /**
   * Files we render that exist, differ from ours, and no manifest of ours listed: the operator's.
   * Writing would replace them whole and drop every variable we do not render, so the deploy
   * refuses the plan while any is left (`--adopt <path>` takes one over). They are also in
   * `writes`, with `adopted: false`, so a dry run can show the whole plan.
   */
  readonly refusedAdoptions: readonly UnownedFile[];
  /** `--adopt` paths with nothing to adopt (already ours, absent, or identical to ours). */
  readonly adoptNotNeeded: readonly string[];
}

export interface UnownedFile {
  readonly path: string;
  /** Top-level keys of that file we do not render (names only), undefined when unparseable. */
  readonly droppedKeys: readonly string[] | undefined;
}

/** Everything that must be backed up before the first change: replaced, removed, the manifest. */
export function filesToBackUp(plan: SyncPlan): string[] {
  return [
    ...plan.writes.filter((w) => w.existed).map((w) => w.path),
    ...plan.removes,
    ...(plan.manifestExists && plan.manifestChanged ? [MANIFEST_FILE] : []),
  ];
}

/**
 * Compare the committed tree with the config dir. Only paths the tree renders or the previous
 * manifest owned are ever looked at; both are checked against the ownable-path pattern, and
 * every directory on the way must be a real directory inside the config dir (a symlinked
 * `host_vars/` would otherwise redirect our writes elsewhere).
 */
export async function planSync(
  fs: DeployFs,
  configDir: string,
  tree: RenderedTree,
  adopt: readonly string[] = [],
): Promise<SyncPlan> {
  const manifestText = tree.get(MANIFEST_FILE);
  if (manifestText === undefined) {
    throw new DeployError(`the committed tree has no ${MANIFEST_FILE}; re-render the site and commit it`);
  }
  const listed = parseManifest(manifestText);
  const rendered = [...tree.keys()].filter((p) => p !== MANIFEST_FILE);
  for (const p of rendered) {
    if (!isOwnablePath(p))
      throw new DeployError(`refusing to deploy a tree with the path ${JSON.stringify(p)}`);
  }
  if (!listed || [...tree.keys()].sort().join('\n') !== [...listed].sort().join('\n')) {
    throw new DeployError(
      `the committed ${MANIFEST_FILE} does not list exactly the committed files; re-render`,
    );
  }

  const notRendered = adopt.filter((p) => !tree.has(p) || p === MANIFEST_FILE);
  if (notRendered.length > 0) {
    throw new DeployError(
      `--adopt ${notRendered.join(', ')}: osa-gitops does not render ${notRendered.length > 1 ? 'these paths' : 'this path'} ` +
        `for this site; it can only adopt a file it renders (${rendered.sort().join(', ')}). Nothing was changed`,
    );
  }

  const manifestPath = path.join(configDir, MANIFEST_FILE);
  const currentManifest = await read(fs, manifestPath);
  let previousOwned: string[] | undefined;
  if (currentManifest !== undefined) {
    previousOwned = parseManifest(currentManifest.toString('utf8'));
    const foreign = previousOwned?.filter((p) => p !== MANIFEST_FILE && !isRenderablePath(p)) ?? [];
    if (foreign.length > 0) {
      // It would make us delete or replace the operator's files (user_variables.yml, conf.d/…):
      // a manifest we wrote never lists a path the renderer cannot produce (issue 16, item 2).
      throw new DeployError(
        `${manifestPath} lists ${foreign.map((p) => JSON.stringify(p)).join(', ')}, which osa-gitops never renders, ` +
          'so it was not written by osa-gitops; refusing to treat those files as ours. Restore the manifest from ' +
          '.osa-gitops/backups/ or remove it (then no orphan is removed)',
      );
    }
    if (previousOwned === undefined) {
      throw new DeployError(
        `${manifestPath} is not a valid osa-gitops manifest, so the files we owned are unknown; ` +
          'restore it from .osa-gitops/backups/ or remove it (then no orphan is removed)',
      );
    }
    // One config dir is one OSA deployment: another site's manifest means a wrong --config-dir,
    // and deploying would delete that site's files as orphans.
    const previousSite = manifestSite(currentManifest.toString('utf8'));
    const nextSite = manifestSite(manifestText);
    if (previousSite !== undefined && nextSite !== undefined && previousSite !== nextSite) {
      throw new DeployError(
        `${configDir} holds the files of site ${previousSite}, not ${nextSite}; refusing to replace them ` +
          `(check --config-dir; to hand the dir over on purpose, remove ${MANIFEST_FILE} first)`,
      );
    }
  }

  const candidates = [...new Set([...rendered, ...(previousOwned ?? [])])].filter((p) => p !== MANIFEST_FILE);
  const current = new Map<string, string>();
  const modes = new Map<string, number>();
  const missingDirs = new Set<string>();
  for (const rel of candidates) {
    await checkParents(fs, configDir, rel, missingDirs);
    const file = path.join(configDir, rel);
    const stats = await lstatIfExists(fs, file).catch((err: unknown) => {
      throw describeFsError('inspect', file, err);
    });
    if (stats === undefined) continue;
    if (!stats.isFile()) {
      throw new DeployError(`${file} is not a regular file (a symlink or directory); refusing to replace it`);
    }
    current.set(rel, (await read(fs, file))!.toString('utf8'));
    modes.set(rel, stats.mode & 0o7777);
  }

  const next = new Map(rendered.map((p) => [p, tree.get(p)!]));
  const planned = planTreeSync(previousOwned, next, current);
  const owned = new Set(previousOwned ?? []);
  const adopting = new Set(adopt);
  const unowned = (p: string): boolean => current.has(p) && !owned.has(p);
  const writes = planned.write.map((p) => ({
    path: p,
    existed: current.has(p),
    adopted: unowned(p) && adopting.has(p),
    mode: modes.get(p) ?? 0o644,
  }));
  // A byte-identical unowned file is simply listed in our manifest: nothing of the operator's is lost.
  const refusedAdoptions = planned.write
    .filter((p) => unowned(p) && !adopting.has(p))
    .map((p) => ({ path: p, droppedKeys: droppedKeys(current.get(p)!, tree.get(p)!) }));
  const createDirs = [...missingDirs]
    .filter((d) => writes.some((w) => w.path.startsWith(`${d}/`)))
    .sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
  return {
    previousOwned,
    writes,
    removes: planned.remove.filter((p) => p !== MANIFEST_FILE && current.has(p)),
    unchanged: planned.unchanged,
    createDirs,
    manifestText,
    manifestExists: currentManifest !== undefined,
    manifestChanged: currentManifest?.toString('utf8') !== manifestText,
    refusedAdoptions,
    adoptNotNeeded: adopt.filter((p) => !writes.some((w) => w.path === p && w.adopted)),
  };
}

/** Top-level keys of the operator's file that ours does not set: what replacing it would drop. */
function droppedKeys(theirs: string, ours: string): string[] | undefined {
  const keys = topLevelKeys(theirs);
  if (keys === undefined) return undefined;
  const mine = new Set(topLevelKeys(ours) ?? []);
  return [...new Set(keys.filter((k) => !mine.has(k)))].sort();
}

/**
 * Why a deploy refuses to replace an operator's file, and exactly what to do: move the variables
 * we do not render somewhere we do not own (per kind of file), then deploy with `--adopt`.
 * Key names only, never values.
 */
export function describeRefusedAdoption(file: UnownedFile, configDir: string): string {
  const abs = path.join(configDir, file.path);
  const dropped =
    file.droppedKeys === undefined
      ? 'it is not a plain YAML mapping, so what it sets could not be compared'
      : file.droppedKeys.length > 0
        ? `it sets ${file.droppedKeys.join(', ')}, which osa-gitops does not render and would drop`
        : 'it sets nothing osa-gitops does not render, but its values differ';
  return (
    `${abs} exists, no osa-gitops manifest lists it, and it differs from the file osa-gitops renders there; ` +
    `deploying would replace it whole (${dropped}). ${whereToMove(file.path)} Then deploy again with ` +
    `--adopt ${file.path}: the old file is backed up under .osa-gitops/backups/ and becomes osa-gitops' own.`
  );
}

function whereToMove(rel: string): string {
  const host = /^host_vars\/([^/]+)\.yml$/.exec(rel);
  if (host)
    return (
      `Move the variables you still need for ${host[1]} out of it: into a \`host_vars:\` entry for ${host[1]} in a ` +
      `conf.d/*.yml host group (OSA adds those to the host's inventory vars), or into user_variables.yml if they hold ` +
      `for every host. Not into host_vars/${host[1]}/: Ansible reads that directory instead of host_vars/${host[1]}.yml.`
    );
  const group = /^group_vars\/([^/]+)\//.exec(rel);
  if (group)
    return `Move the variables you still need out of it into another file of group_vars/${group[1]}/ (one sorting before ${path.posix.basename(rel)}, so ours win where both set a key).`;
  if (rel === 'openstack_user_config.yml')
    return 'Move what the site definition does not describe (other host groups, provider networks, …) into conf.d/*.yml, or into the definition.';
  if (/^user_[^/]*\.yml$/.test(rel))
    return 'Move the variables you still need out of it into a user_*.yml of your own (one osa-gitops does not render).';
  return 'Move what you still need out of it into a file osa-gitops does not own.';
}

function manifestSite(text: string): string | undefined {
  try {
    const site = (JSON.parse(text) as { site?: unknown }).site;
    return typeof site === 'string' ? site : undefined;
  } catch {
    return undefined;
  }
}

async function read(fs: DeployFs, file: string): Promise<Buffer | undefined> {
  try {
    return await readIfExists(fs, file);
  } catch (err) {
    throw describeFsError('read', file, err);
  }
}

async function checkParents(
  fs: DeployFs,
  configDir: string,
  rel: string,
  missing: Set<string>,
): Promise<void> {
  const parts = rel.split('/').slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const dirRel = parts.slice(0, i).join('/');
    if (missing.has(dirRel)) continue;
    const dir = path.join(configDir, dirRel);
    const stats = await lstatIfExists(fs, dir);
    if (stats === undefined) {
      missing.add(dirRel);
      continue;
    }
    if (!stats.isDirectory()) {
      throw new DeployError(`${dir} is not a directory (a symlink or a file); refusing to write below it`);
    }
  }
}
