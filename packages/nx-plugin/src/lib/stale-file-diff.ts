import { structuredPatch } from 'diff';
import type { StaleKind } from '@osa-gitops/render';

/**
 * Lines describing one stale file for `nx sync:check`: a headline, then a short unified diff
 * (committed → rendered), capped so one huge file cannot bury the others.
 */
export function describeStaleFile(
  file: string,
  kind: StaleKind,
  committed: string,
  rendered: string,
  maxDiffLines = 40,
): string[] {
  const headline =
    kind === 'changed'
      ? `${file}: differs from a fresh render`
      : kind === 'missing'
        ? `${file}: rendered but not committed`
        : `${file}: no longer rendered (listed in the previous manifest), would be deleted`;
  if (kind === 'orphan') return [headline];
  const patch = structuredPatch(file, file, committed, rendered, 'committed', 'rendered', { context: 2 });
  const body: string[] = [`--- ${file} (committed)`, `+++ ${file} (rendered)`];
  for (const h of patch.hunks) {
    body.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines);
  }
  const shown = body.slice(0, maxDiffLines);
  if (body.length > shown.length) shown.push(`… ${body.length - shown.length} more diff lines`);
  return [headline, ...shown.map((l) => `    ${l}`)];
}
