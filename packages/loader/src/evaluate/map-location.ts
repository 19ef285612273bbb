import { SourceMap, type SourceMapPayload } from 'node:module';
import * as path from 'node:path';
import type { SourceLocation } from '../load-issue';
import type { BundleFrame } from './protocol';

/**
 * Map stack frames inside a bundle back to the definition source. Prefers the innermost frame in
 * a file under `environments/` (the operator's code) over one inside bundled core, so an error
 * raised by a core helper points at the line that called it.
 */
export function mapFrames(
  frames: readonly BundleFrame[],
  mapText: string,
  outDir: string,
  root: string,
): SourceLocation | undefined {
  let map: SourceMap;
  try {
    map = new SourceMap(JSON.parse(mapText) as SourceMapPayload);
  } catch {
    return undefined; // no usable map: report without a location rather than fail the load
  }
  const mapped: SourceLocation[] = [];
  for (const f of frames) {
    const entry = map.findEntry(f.line - 1, f.column - 1) as Partial<{
      originalSource: string;
      originalLine: number;
      originalColumn: number;
    }>;
    if (entry.originalSource === undefined || entry.originalLine === undefined) continue;
    const abs = path.resolve(outDir, entry.originalSource.replace(/^file:\/\//, ''));
    const rel = path.relative(root, abs).split(path.sep).join('/');
    mapped.push({ file: rel, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 });
  }
  return mapped.find((l) => l.file.startsWith('environments/')) ?? mapped[0];
}
