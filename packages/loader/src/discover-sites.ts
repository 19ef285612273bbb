import { definitionFile } from '@osa-gitops/core';
import { findSymlinkSync } from './no-symlinks';
import { createFsSourceReader, type SourceReader } from './source-reader';

/**
 * Site folders: entries directly under `environments/` that hold an `environment.ts`, sorted.
 * Names starting with `_` (shared parts) or `.` are not sites.
 *
 * Folder names that are not valid site names are returned too, on purpose: `loadSites` reports
 * them as `NAME_INVALID` instead of loading them, so a typo'd folder fails loudly rather than
 * being skipped in silence. For the same reason an entry that is a symbolic link (or has one as
 * its `environment.ts`) is returned: the reader reads nothing through it, and `loadSites` reports
 * the link.
 */
export function discoverSites(root: string, reader: SourceReader = createFsSourceReader(root)): string[] {
  return reader
    .children('environments')
    .filter((name) => !name.startsWith('_') && !name.startsWith('.'))
    .filter(
      (name) =>
        reader.isFile(definitionFile(name)) || findSymlinkSync(root, definitionFile(name)) !== undefined,
    )
    .sort();
}
