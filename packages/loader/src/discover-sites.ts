import { definitionFile } from '@osa-gitops/core';
import { createFsSourceReader, type SourceReader } from './source-reader';

/**
 * Site folders: entries directly under `environments/` that hold an `environment.ts`, sorted.
 * Names starting with `_` (shared parts) or `.` are not sites.
 *
 * Folder names that are not valid site names are returned too, on purpose: `loadSites` reports
 * them as `NAME_INVALID` instead of loading them, so a typo'd folder fails loudly rather than
 * being skipped in silence.
 */
export function discoverSites(root: string, reader: SourceReader = createFsSourceReader(root)): string[] {
  return reader
    .children('environments')
    .filter((name) => !name.startsWith('_') && !name.startsWith('.'))
    .filter((name) => reader.isFile(definitionFile(name)))
    .sort();
}
