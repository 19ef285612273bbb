import { buildReport, type Report, type SiteDeploySettings } from '@osa-gitops/core';
import { Git } from '../git/git';
import { readCommittedTree } from '../workspace/committed-tree';

export interface DiffRefsOptions {
  /** Deploy settings (runner label, config dir) per site, shown in the plan when known. */
  readonly deploy?: ReadonlyMap<string, SiteDeploySettings>;
  /**
   * Or: a lookup for the changed sites that `deploy` lacks, e.g.
   * `(sites) => readDeploySettings(root, sites)` when `head` is the working tree.
   */
  readonly deploySettings?: (sites: readonly string[]) => Promise<ReadonlyMap<string, SiteDeploySettings>>;
  /** Passed to Git: sees every git command. */
  readonly gitLog?: (command: string) => void;
}

/** Label of the working tree as a `head`. */
export const WORKING_TREE = 'working tree';

/**
 * The report between two states of the repository, built from the committed rendered trees (not
 * by rendering again, so the PR plan and the YAML that deploys cannot diverge). `head` omitted
 * means the working tree, as CI checks it out. Only sites whose rendered tree changed are read.
 */
export async function diffRefs(
  root: string,
  base: string,
  head?: string,
  opts: DiffRefsOptions = {},
): Promise<Report> {
  const git = Git.create(root, opts.gitLog ? { log: opts.gitLog } : {});
  const sites = await git.changedSites(base, head);
  const before = await git.readTreesAtRef(base, sites);
  const after =
    head === undefined
      ? new Map(
          (await Promise.all(sites.map(async (s) => [s, await readCommittedTree(root, s)] as const))).filter(
            ([, t]) => t.size > 0,
          ),
        )
      : await git.readTreesAtRef(head, sites);

  const deploy = new Map(opts.deploy ?? []);
  const missing = sites.filter((s) => after.has(s) && !deploy.has(s));
  if (opts.deploySettings && missing.length > 0) {
    for (const [site, settings] of await opts.deploySettings(missing)) deploy.set(site, settings);
  }
  return buildReport(
    sites.map((site) => ({
      site,
      ...(before.has(site) ? { before: before.get(site)! } : {}),
      ...(after.has(site) ? { after: after.get(site)! } : {}),
      ...(deploy.has(site) ? { deploy: deploy.get(site)! } : {}),
    })),
    { base, head: head ?? WORKING_TREE },
  );
}
