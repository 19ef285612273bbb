import { logger, type Tree } from '@nx/devkit';
import { formatIssueBlocks, hasErrors } from '@osa-gitops/core';
import { syncSiteTrees } from '../../lib/sync-site-trees';
import type { RenderGeneratorSchema } from './schema';
import { GeneratorFailure } from '../../lib/generator-failure';

/**
 * `nx g @osa-gitops/nx-plugin:render [--site <name>]`: load, validate (site and fleet) and write
 * each site's tree under `environments/<site>/openstack_deploy/`. Any error anywhere: throw with
 * every issue and write nothing (Nx flushes the Tree only when a generator succeeds), where
 * `osa-gitops render` exits 1 having written nothing. The issues are the CLI's, printed as the CLI
 * prints them (core's formatIssueBlocks: file:line:column → path).
 */
export async function renderGenerator(tree: Tree, options: RenderGeneratorSchema = {}): Promise<void> {
  const result = await syncSiteTrees(tree, {
    ...(options.site === undefined ? {} : { site: options.site }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const errors = result.issues.filter((i) => i.severity === 'error');
  const warnings = result.issues.filter((i) => i.severity === 'warning');
  if (hasErrors(result.issues)) {
    throw new GeneratorFailure(
      `Not rendering: ${errors.length} error(s) in the site definitions; nothing was written.\n${formatIssueBlocks(result.issues)}`,
    );
  }
  if (result.invalidElsewhere.length > 0) {
    const others = result.invalidElsewhere;
    throw new GeneratorFailure(
      `Not rendering: fix the errors in ${others.join(', ')} (see "osa-gitops validate ${others.join(' ')}"); nothing was written.`,
    );
  }
  if (warnings.length > 0) logger.warn(formatIssueBlocks(warnings));
  if (result.stale.length === 0)
    logger.info(`Site trees are up to date (${result.sites.join(', ') || 'no sites'}).`);
}

export default renderGenerator;
