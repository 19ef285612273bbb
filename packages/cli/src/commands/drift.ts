import * as path from 'node:path';
import { type RenderedTree } from '@osa-gitops/core';
import { driftToJson, formatDriftMarkdown, formatDriftText, judgeDrift } from '@osa-gitops/report';
import {
  createDeployLog,
  DeployError,
  findShadowingFiles,
  nodeDeployFs,
  readLiveFiles,
  readRecordedDeploy,
  readWhileNoDeployRuns,
} from '@osa-gitops/deployer';
import { parseCommandArgs } from '../args';
import { loadSiteEnvironment } from '../deploy-adapter/deployable-site';
import { Git, GitCommandError, UnknownRefError } from '@osa-gitops/git';
import { CommittedTrees } from '../git/committed-trees';
import { EXIT, type CliIo } from '../io';
import { UsageError } from '../usage-error';
import { requireSiteName } from './site-arg';

/** `drift` exit codes (docs/cli.md): 1 is "drift found", so a failure to check needs its own. */
export const DRIFT_EXIT = { clean: 0, drifting: 1, usage: 2, cannotCheck: 3 } as const;

export const DRIFT_HELP = `Usage: osa-gitops drift <site> [options]

Compare the site's live OSA config dir with the committed tree of the commit recorded as
deployed there (.osa-gitops/state.json): owned files edited by hand or missing, files osa-gitops
does not own that override its own (the deploy preflight's checks), a newer tree for the site on
main not deployed yet (docs/runner-insight.md). Reads only; run it on the deploy host.

Options:
  --config-dir <dir>   the OSA config dir (default: the definition's deploy.configDir)
  --head <ref>         the commit to compare with, as main (default: HEAD of this checkout,
                       named by its branch)
  --json               { schemaVersion: 1, site, deployedCommit, findings, drifting, … }
  --markdown           Markdown (a job summary or the drift issue's body)
  -h, --help           show this help

Exit codes: 0 no drift, 1 drift found, 2 usage error, 3 the check could not run.
`;

export async function runDrift(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('drift', args, {
    'config-dir': { type: 'string' },
    head: { type: 'string' },
    markdown: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(DRIFT_HELP);
    return EXIT.ok;
  }
  if (values.json && values.markdown)
    throw new UsageError('--json and --markdown cannot be combined', 'drift');
  const site = requireSiteName('drift', positionals);
  const log = createDeployLog({ stdout: io.stderr, stderr: io.stderr });
  const git = Git.at(io.cwd);
  const trees = new CommittedTrees(git);
  try {
    const configDir =
      values['config-dir'] !== undefined
        ? path.resolve(io.cwd, values['config-dir'])
        : (await loadSiteEnvironment(io.cwd, site, log)).deploy.configDir;
    const headCommit = await git.resolveCommit(values.head ?? 'HEAD').catch((err: unknown) => {
      // No --head: HEAD not resolving means this is no checkout with history, not a usage error.
      if (values.head === undefined && err instanceof UnknownRefError)
        throw new DeployError(
          `${io.cwd} is not a git checkout with history (drift reads the deployed commit from it)`,
        );
      throw err;
    });
    const head = {
      commit: headCommit,
      label: await headLabel(git, values.head),
      tree: (await trees.readTreesAtRef(headCommit, [site])).get(site) ?? null,
    };
    // Never while a deploy of the site changes the config dir (the deployer's own lock).
    const report = await readWhileNoDeployRuns({ fs: nodeDeployFs, configDir, site, log }, () =>
      judgeLive(trees, site, configDir, head),
    );
    if (values.json) io.stdout(`${JSON.stringify(driftToJson(report), null, 2)}\n`);
    else if (values.markdown) io.stdout(formatDriftMarkdown(report));
    else io.stdout(formatDriftText(report));
    return report.drifting ? DRIFT_EXIT.drifting : DRIFT_EXIT.clean;
  } catch (err) {
    if (err instanceof UnknownRefError) throw err; // --head: a usage error (exit 2)
    if (!(err instanceof DeployError) && !(err instanceof GitCommandError)) throw err;
    io.stderr(`osa-gitops drift: cannot check ${site}: ${(err as Error).message}\n`);
    return DRIFT_EXIT.cannotCheck;
  }
}

/** The drift judgement from the config dir as it is now (read under the deploy lock). */
async function judgeLive(
  trees: CommittedTrees,
  site: string,
  configDir: string,
  head: { commit: string; label: string; tree: RenderedTree | null },
): Promise<ReturnType<typeof judgeDrift>> {
  const headTree = head.tree;
  const deployed = await readRecordedDeploy(nodeDeployFs, configDir);
  if (deployed && deployed.site !== site) {
    throw new DeployError(`${configDir} records a deploy of ${deployed.site}, not ${site}`);
  }
  const deployedTree = deployed?.commit ? await treeAt(trees, deployed.commit, site) : null;
  const compareWith = deployedTree ?? headTree ?? new Map<string, string>();
  const report = judgeDrift({
    site,
    configDir,
    deployed,
    deployedTree,
    live: deployedTree ? await readLiveFiles(nodeDeployFs, configDir, deployedTree.keys()) : new Map(),
    shadowing: await findShadowingFiles(nodeDeployFs, configDir, compareWith),
    head,
  });
  return report;
}

/**
 * What the compared commit is called in findings: the `--head` ref as given, else the checkout's
 * branch (`main` where the drift workflow runs, a feature branch elsewhere), else `HEAD` (detached).
 */
async function headLabel(git: Git, ref: string | undefined): Promise<string> {
  if (ref !== undefined) return ref;
  // --quiet: a detached HEAD fails without a message, which simple-git resolves as empty output.
  const branch = await git.run(['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '');
  return branch.trim() === '' ? 'HEAD' : branch.trim();
}

/** The site's committed tree at a commit the checkout may not have (then null: unknown-commit). */
async function treeAt(trees: CommittedTrees, commit: string, site: string): Promise<RenderedTree | null> {
  try {
    return (await trees.readTreesAtRef(commit, [site])).get(site) ?? null;
  } catch (err) {
    if (err instanceof UnknownRefError) return null;
    throw err;
  }
}
