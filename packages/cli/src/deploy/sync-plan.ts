import * as path from 'node:path';
import {
  isOwnablePath,
  MANIFEST_FILE,
  parseManifest,
  planTreeSync,
  type RenderedTree,
} from '@osa-gitops/core';
import { DeployError, describeFsError } from './deploy-error';
import { lstatIfExists, readIfExists, type DeployFs } from './deploy-fs';

export interface PlannedWrite {
  readonly path: string;
  /** A file is there now (it is backed up before being replaced). */
  readonly existed: boolean;
  /** It is there now but no manifest of ours listed it: the operator's file becomes ours. */
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
}

export function planIsEmpty(plan: SyncPlan): boolean {
  return plan.writes.length === 0 && plan.removes.length === 0 && !plan.manifestChanged;
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
export async function planSync(fs: DeployFs, configDir: string, tree: RenderedTree): Promise<SyncPlan> {
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

  const manifestPath = path.join(configDir, MANIFEST_FILE);
  const currentManifest = await read(fs, manifestPath);
  let previousOwned: string[] | undefined;
  if (currentManifest !== undefined) {
    previousOwned = parseManifest(currentManifest.toString('utf8'));
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
  const writes = planned.write.map((p) => ({
    path: p,
    existed: current.has(p),
    adopted: current.has(p) && !owned.has(p),
    mode: modes.get(p) ?? 0o644,
  }));
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
  };
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
