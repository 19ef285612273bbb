import type { Issue } from '@osa-gitops/core';
import type * as TS from 'typescript';
import type { SourceReader } from '../source-reader';
import { locatePath, type SourceLocation } from './locate-path';

/**
 * Line and column for issues that name a definition file and a path but no line yet: the property
 * at that path in the `.ts` source, or the nearest enclosing one that exists there, following
 * spreads and identifiers into shared bases (`environments/_shared/…`). Text output, `--json` and
 * PR annotations all read `file`/`line`/`column` from the issue.
 *
 * The TypeScript compiler (a few MB of JavaScript) is loaded only when there is something to
 * locate: a clean run never pays for it. When it cannot be loaded the issues stay as they were
 * (a file without a line), which is what every consumer already handles.
 */
export async function locateIssues(issues: readonly Issue[], reader: SourceReader): Promise<Issue[]> {
  const todo = issues.filter(needsLocation);
  // Nothing to place, or only files that cannot be read (a deleted definition): no compiler.
  if (!todo.some((i) => reader.readFile(i.file!) !== undefined)) return [...issues];
  const ts = await loadTypeScript();
  if (ts === undefined) return [...issues];
  const cache = new Map<string, TS.SourceFile | undefined>();
  const parse = (file: string): TS.SourceFile | undefined => {
    if (!cache.has(file)) {
      const text = reader.readFile(file);
      cache.set(
        file,
        text === undefined ? undefined : ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true),
      );
    }
    return cache.get(file);
  };
  return issues.map((issue) => {
    if (!needsLocation(issue)) return issue;
    let where: SourceLocation | undefined;
    try {
      where = locatePath(ts, parse, issue.file!, issue.path);
    } catch {
      where = undefined; // an odd source shape: leave the issue as it was
    }
    return where === undefined
      ? issue
      : { ...issue, file: where.file, line: where.line, column: where.column };
  });
}

/** A compiled site with its issues located (the same object when none needs it). */
export async function withLocations<T extends { readonly issues: Issue[] }>(
  site: T,
  reader: SourceReader,
): Promise<T> {
  return site.issues.some(needsLocation)
    ? { ...site, issues: await locateIssues(site.issues, reader) }
    : site;
}

/** Loader issues (LOAD_*) are placed by the loader from esbuild's and V8's own positions, or not at all. */
function needsLocation(i: Issue): boolean {
  return (
    i.file !== undefined &&
    i.line === undefined &&
    !i.code.startsWith('LOAD_') &&
    /\.[cm]?[tj]s$/.test(i.file)
  );
}

let typescript: Promise<typeof TS | undefined> | undefined;

function loadTypeScript(): Promise<typeof TS | undefined> {
  typescript ??= import('typescript').then(
    (m) => ((m as { default?: typeof TS }).default ?? m) as typeof TS,
    () => undefined,
  );
  return typescript;
}
