import { definitionFile, renderedTreeDir } from '@osa-gitops/core';
import { loadIssue, type LoadIssue } from './load-issue';
import type { SourceReader } from './source-reader';

/**
 * Folders under `environments/` that hold a rendered tree (`openstack_deploy/` with entries) but
 * no `environment.ts`, sorted: a definition deleted without its output, or output committed
 * without its definition. They are not sites, so nothing validates them, yet the plan would list
 * them to deploy, and after merge the deploy plan fails for the whole push. Reported instead.
 */
export function findOrphanTrees(reader: SourceReader): string[] {
  return reader
    .children('environments')
    .filter((name) => !name.startsWith('_') && !name.startsWith('.'))
    .filter((name) => !reader.isFile(definitionFile(name)))
    .filter((name) => reader.children(renderedTreeDir(name)).length > 0)
    .sort();
}

/** The error for an orphan tree: LOAD_FAILED on the folder, saying both ways to fix it. */
export function orphanTreeIssue(site: string): LoadIssue {
  const dir = renderedTreeDir(site);
  return loadIssue(
    'LOAD_FAILED',
    site,
    `rendered tree without a definition: delete ${dir} or add ${definitionFile(site)}`,
    { file: dir },
  );
}
