/**
 * Files outside `environments/` that change what every site validates or renders to: the
 * compiler itself (core, rules, render, loader, cli; ADR 0012) and its dependency lock. A change to them can leave any committed tree stale.
 */
const COMPILER_INPUTS = [/^packages\/(core|rules|render|loader|cli)\/src\//, /^package(-lock)?\.json$/];

/** The folders under `environments/` at one commit, and what imports what. */
export interface EnvironmentGraph {
  /** Folders that validate as a site: those with a definition, and rendered trees without one. */
  readonly sites: readonly string[];
  /** Every folder directly under `environments/` (sites, `_shared`, helper folders). */
  readonly folders: readonly string[];
  /** Folder → the folders its definition sources import (importedEnvironmentFolders). */
  readonly imports: ReadonlyMap<string, readonly string[]>;
}

/**
 * The sites a change touches, sorted: a site whose own folder changed (definition, helper files,
 * committed tree), and every site importing, directly or through other folders, a file of a
 * changed folder: `_shared/`, a helper folder such as `common/`, or another site's folder. A
 * change to a file directly under `environments/` or to the compiler touches every site. A
 * changed folder that no longer exists (a removed site) touches none: its removal still shows in
 * the report, which is built from the committed trees. Paths are relative to the workspace root.
 *
 * Folder granularity, as Nx's project graph: any file of an imported folder counts, not only
 * the imported one.
 */
export function affectedSites(changedPaths: readonly string[], graph: EnvironmentGraph): string[] {
  const existing = new Set(graph.folders);
  const changed = new Set<string>();
  for (const p of changedPaths) {
    const m = /^environments\/([^/]+)\/./.exec(p);
    if (m) {
      if (existing.has(m[1]!)) changed.add(m[1]!);
      continue;
    }
    if (p.startsWith('environments/') || COMPILER_INPUTS.some((re) => re.test(p))) {
      return [...graph.sites].sort();
    }
  }
  // Walk the import edges backwards from the changed folders.
  const importers = new Map<string, string[]>();
  for (const [from, tos] of graph.imports) {
    for (const to of tos) importers.set(to, [...(importers.get(to) ?? []), from]);
  }
  const reached = new Set(changed);
  const queue = [...changed];
  while (queue.length > 0) {
    for (const from of importers.get(queue.pop()!) ?? []) {
      if (!reached.has(from)) {
        reached.add(from);
        queue.push(from);
      }
    }
  }
  return graph.sites.filter((s) => reached.has(s)).sort();
}
