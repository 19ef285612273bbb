import {
  DEFINITION_SOURCE,
  importedEnvironmentFolders,
  renderedTreeDir,
  type EnvironmentGraph,
} from '@osa-gitops/core';
import { discoverSites } from './discover-sites';
import { findOrphanTrees } from './orphan-trees';
import { createFsSourceReader, DEFINITIONS_DIR, type SourceReader } from './source-reader';

/**
 * The folders under `environments/` and their import edges, read through the loader's reader
 * (no symbolic link followed, nothing outside `environments/`): the sites as `compileSites`
 * finds them (discoverSites, findOrphanTrees), and per folder the folders its definition
 * sources import (core's importedEnvironmentFolders, the function the Nx plugin's project edges
 * use too). Rendered trees are not read. Input of core's `affectedSites`.
 */
export function readEnvironmentGraph(
  root: string,
  reader: SourceReader = createFsSourceReader(root),
): EnvironmentGraph {
  const defined = discoverSites(root, reader);
  const sites = [...new Set([...defined, ...findOrphanTrees(reader)])].sort();
  const folders = reader
    .children(DEFINITIONS_DIR)
    .filter((name) => !reader.isFile(`${DEFINITIONS_DIR}/${name}`))
    .sort();
  const imports = new Map<string, string[]>();
  for (const folder of folders) {
    const found = new Set<string>();
    for (const file of definitionSources(reader, `${DEFINITIONS_DIR}/${folder}`, renderedTreeDir(folder))) {
      for (const f of importedEnvironmentFolders(file, reader.readFile(file) ?? '')) found.add(f);
    }
    found.delete(folder);
    if (found.size > 0) imports.set(folder, [...found].sort());
  }
  return { sites, folders, imports };
}

/** Every definition source file below `dir`, depth first, skipping the rendered tree `skip`. */
function definitionSources(reader: SourceReader, dir: string, skip: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const name of reader.children(current)) {
      const rel = `${current}/${name}`;
      if (rel === skip) continue;
      if (reader.isFile(rel)) {
        if (DEFINITION_SOURCE.test(name)) out.push(rel);
      } else stack.push(rel);
    }
  }
  return out.sort();
}
