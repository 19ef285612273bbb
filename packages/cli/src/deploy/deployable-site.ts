import {
  formatIssues,
  MANIFEST_FILE,
  parseManifest,
  renderedTreeDir,
  toRenderedTree,
  type Environment,
  type RenderedTree,
} from '@osa-gitops/core';
import { Git } from '../git/git';
import { compileWorkspace, findStaleFiles, readCommittedTree } from '../workspace';
import { DeployError } from './deploy-error';
import type { DeployLog } from './deploy-log';

export interface DeployableSite {
  readonly site: string;
  readonly environment: Environment;
  /** The committed tree's owned files (equal to a fresh render). */
  readonly tree: RenderedTree;
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
  const ws = await compileWorkspace(root, { sites: [site] });
  const compiled = ws.sites[0];
  if (!compiled) throw new DeployError(`site ${site} was not found under environments/`);
  const errors = [...compiled.issues, ...ws.fleetIssues].filter((i) => i.severity === 'error');
  if (errors.length > 0 || !compiled.tree || !compiled.environment) {
    if (errors.length > 0) log.error(formatIssues(errors));
    throw new DeployError(`site ${site} is invalid (${errors.length} error(s)); nothing was deployed`);
  }
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
    environment: compiled.environment,
    tree: toRenderedTree([...committed].filter(([p]) => owned.has(p))),
  };
}

/**
 * The commit to record: `--commit`, else `git rev-parse HEAD` of the workspace. A dirty site
 * folder is only a warning (the committed-tree check above already compared the files on disk).
 */
export async function workspaceCommit(root: string, site: string, log: DeployLog): Promise<string | null> {
  const git = Git.create(root);
  try {
    const head = await git.resolveCommit('HEAD');
    const dirty = await git.exec(['status', '--porcelain', '--', `environments/${site}/`]);
    if (dirty.trim() !== '') {
      log.warn(`environments/${site}/ has uncommitted changes; state.json will record ${head} anyway`);
    }
    return head;
  } catch {
    log.warn(
      'the workspace is not a git checkout (or git failed): the deployed commit is recorded as unknown',
    );
    return null;
  }
}
