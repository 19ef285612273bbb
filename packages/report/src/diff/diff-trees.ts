import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';
import type { RenderedTree } from '@osa-gitops/core';
import type { FileDiff, TreeDiff } from './types';

/** Lines of context around each hunk, as `git diff` shows by default. */
const CONTEXT_LINES = 3;

const EMPTY: RenderedTree = new Map();

/**
 * Files that differ between two rendered trees, sorted by path, each with a unified diff.
 * Either side may be empty (a site that was added or removed).
 */
export function diffTrees(before: RenderedTree = EMPTY, after: RenderedTree = EMPTY): TreeDiff {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const files: FileDiff[] = [];
  for (const path of paths) {
    const a = before.get(path);
    const b = after.get(path);
    if (a === b) continue;
    files.push(diffFile(path, a, b));
  }
  return { files, differenceCount: files.length };
}

/** One file's diff (either side undefined: the file is added or removed). */
export function diffFile(path: string, a: string | undefined, b: string | undefined): FileDiff {
  const kind = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
  // /dev/null marks a created or deleted file the way git and patch(1) expect.
  const oldName = a === undefined ? '/dev/null' : `a/${path}`;
  const newName = b === undefined ? '/dev/null' : `b/${path}`;
  const structured = structuredPatch(oldName, newName, a ?? '', b ?? '', undefined, undefined, {
    context: CONTEXT_LINES,
  });
  let additions = 0;
  let deletions = 0;
  for (const hunk of structured.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) additions++;
      else if (line.startsWith('-')) deletions++;
    }
  }
  return { path, kind, patch: formatPatch(structured, FILE_HEADERS_ONLY), additions, deletions };
}
