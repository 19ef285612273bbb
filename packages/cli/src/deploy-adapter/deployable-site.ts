import {
  formatIssues,
  renderedTreeDir,
  toRenderedTree,
  type Environment,
  type RenderedTree,
} from '@osa-gitops/core';
import { MANIFEST_FILE, parseManifest } from '@osa-gitops/render';
import { Git } from '@osa-gitops/git';
import { compileWorkspace, findStaleFiles, readCommittedTree } from '../workspace';
import { DeployError, type DeployLog } from '@osa-gitops/deployer';

export interface DeployableSite {
  readonly site: string;
  readonly environment: Environment;
  /** The committed tree's owned files (equal to a fresh render). */
  readonly tree: RenderedTree;
}

/**
 * The site's definition from the workspace, valid by its own and the fleet's rules: where its
 * config dir and OSA checkout are (also for commands that take the tree from elsewhere).
 */
export async function loadSiteEnvironment(root: string, site: string, log: DeployLog): Promise<Environment> {
  return (await compileValidSite(root, site, log)).environment;
}

async function compileValidSite(root: string, site: string, log: DeployLog) {
  const ws = await compileWorkspace(root, { sites: [site] });
  const compiled = ws.sites[0];
  if (!compiled) throw new DeployError(`site ${site} was not found under environments/`);
  const errors = [...compiled.issues, ...ws.fleetIssues].filter((i) => i.severity === 'error');
  const environment = compiled.environment;
  if (errors.length > 0 || !compiled.tree || !environment) {
    if (errors.length > 0) log.error(formatIssues(errors));
    throw new DeployError(`site ${site} is invalid (${errors.length} error(s)); nothing was deployed`);
  }
  return { compiled, environment };
}

/**
 * The workspace side of a deploy: the site must be valid (its own and fleet rules) and its
 * committed tree must equal a fresh render of its definition, because what is deployed is what
 * reviewers saw: the committed files, never a render made on the deploy host.
 */
export async function loadDeployableSite(
  root: string,
  site: string,
  log: DeployLog,
): Promise<DeployableSite> {
  const { compiled, environment } = await compileValidSite(root, site, log);
  const stale = await findStaleFiles(root, compiled);
  if (stale.length > 0) {
    for (const s of stale) log.error(`${renderedTreeDir(site)}/${s.path}: ${s.kind}`);
    throw new DeployError(
      `the committed tree of ${site} differs from a fresh render of its definition (${stale.length} file(s)); ` +
        `run "osa-gitops render ${site}", commit, and deploy that commit. Nothing was deployed`,
    );
  }
  const committed = await readCommittedTree(root, site);
  const owned = new Set(parseManifest(committed.get(MANIFEST_FILE) ?? '') ?? []);
  if (owned.size === 0)
    throw new DeployError(`${renderedTreeDir(site)}/${MANIFEST_FILE} is missing or invalid`);
  const ignored = [...committed.keys()].filter((p) => !owned.has(p));
  if (ignored.length > 0) log.warn(`not deploying files the manifest does not list: ${ignored.join(', ')}`);
  return {
    site,
    environment,
    tree: toRenderedTree([...committed].filter(([p]) => owned.has(p))),
  };
}

/**
 * Refuse a workspace whose `environments/` has uncommitted changes (untracked files too): the
 * tree deployed is the one on disk, while state.json records HEAD, which would then name a commit
 * that is not what runs. Any site's folder counts, not only this one: a site imports
 * `_shared/` and helper folders. `--allow-dirty` turns the refusal into a warning. A workspace
 * that is not a git checkout is left to `workspaceCommit` (which records the commit as unknown).
 */
export async function refuseDirtyWorkspace(root: string, allowDirty: boolean, log: DeployLog): Promise<void> {
  let dirty: string;
  try {
    dirty = await Git.at(root).run(['status', '--porcelain', '--', 'environments/']);
  } catch {
    return;
  }
  const lines = dirty.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return;
  const listing = lines.slice(0, 20).map((l) => `  ${l}`);
  if (lines.length > 20) listing.push(`  … and ${lines.length - 20} more`);
  if (allowDirty) {
    log.warn(
      `environments/ has uncommitted changes (--allow-dirty); state.json will record HEAD anyway:\n${listing.join('\n')}`,
    );
    return;
  }
  throw new DeployError(
    `environments/ has uncommitted changes, so what would deploy is not the commit state.json would record:\n` +
      `${listing.join('\n')}\nCommit (or stash) them and deploy that commit, or pass --allow-dirty. Nothing was deployed`,
  );
}

/**
 * The commit to record: `--commit`, else `git rev-parse HEAD` of the workspace (a dirty
 * `environments/` was refused before, see refuseDirtyWorkspace).
 */
export async function workspaceCommit(root: string, log: DeployLog): Promise<string | null> {
  try {
    return await Git.at(root).resolveCommit('HEAD');
  } catch {
    log.warn(
      'the workspace is not a git checkout (or git failed): the deployed commit is recorded as unknown',
    );
    return null;
  }
}
