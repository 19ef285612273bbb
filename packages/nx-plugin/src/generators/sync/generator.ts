import type { Tree } from '@nx/devkit';
import { formatIssues, hasErrors } from '@osa-gitops/core';
import { SyncError, type SyncGeneratorResult } from 'nx/src/utils/sync-generators';
import { syncSiteTrees } from '../../lib/sync-site-trees';

/**
 * Sync generator (nx.dev/concepts/sync-generators), registered in nx.json `sync.globalGenerators`:
 * renders every site into the Tree. `nx sync` then writes the stale files; `nx sync:check` fails
 * and prints each stale file with a short diff. Definitions with errors cannot be rendered, so
 * they fail both commands with the issues instead of a misleading "in sync".
 */
export async function syncGenerator(tree: Tree): Promise<SyncGeneratorResult> {
  const result = await syncSiteTrees(tree);
  if (hasErrors(result.issues)) {
    throw new SyncError(
      'The site definitions have errors, so their trees cannot be rendered',
      formatIssues(result.issues.filter((i) => i.severity === 'error')).split('\n'),
    );
  }
  if (result.stale.length === 0) return;
  return {
    outOfSyncMessage: `${result.stale.length} rendered file(s) under environments/*/openstack_deploy/ differ from their definitions. Run \`npx nx sync\` (or \`npx nx g @osa-gitops/nx-plugin:render\`) and commit the result.`,
    outOfSyncDetails: result.stale.flatMap((s) => s.details),
  };
}

export default syncGenerator;
