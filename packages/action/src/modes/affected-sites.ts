import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Files outside `environments/<site>/` that change what every site renders to: the compiler
 * itself and its dependency lock. A change to them can leave any committed tree stale.
 */
const RENDER_INPUTS = [/^packages\/(core|loader|cli)\/src\//, /^package(-lock)?\.json$/];

/** Site folders: `environments/<name>/environment.ts`, names not starting with `_` or `.`. */
export function discoverSiteFolders(root: string): string[] {
  const dir = path.join(root, 'environments');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(
      (d) =>
        d.isDirectory() && !/^[_.]/.test(d.name) && fs.existsSync(path.join(dir, d.name, 'environment.ts')),
    )
    .map((d) => d.name)
    .sort();
}

/**
 * Folders with a committed tree but no definition (a definition deleted without its output, or
 * output committed alone). Validated like sites so the PR fails, instead of the deploy plan
 * after merge (the CLI library reports them as LOAD_FAILED when asked for them by name).
 */
export function discoverOrphanTreeFolders(root: string): string[] {
  const dir = path.join(root, 'environments');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !/^[_.]/.test(d.name))
    .filter((d) => !fs.existsSync(path.join(dir, d.name, 'environment.ts')))
    .filter((d) => {
      const tree = path.join(dir, d.name, 'openstack_deploy');
      return fs.existsSync(tree) && fs.readdirSync(tree).length > 0;
    })
    .map((d) => d.name)
    .sort();
}

/**
 * The sites a change touches: a site's own folder (definition, helper files, committed tree), or
 * every site when something they share changed (`environments/_shared/`, the compiler). Paths
 * are relative to the workspace root. Sites that no longer exist are not returned (their
 * removal still shows in the report, which is built from the committed trees).
 */
export function affectedSites(changedPaths: readonly string[], sites: readonly string[]): string[] {
  const known = new Set(sites);
  const hit = new Set<string>();
  for (const p of changedPaths) {
    const m = /^environments\/([^/]+)\//.exec(p);
    if (m) {
      if (known.has(m[1]!)) hit.add(m[1]!);
      else if (/^[_.]/.test(m[1]!)) return [...sites];
      continue;
    }
    if (p.startsWith('environments/') || RENDER_INPUTS.some((re) => re.test(p))) return [...sites];
  }
  return [...hit].sort();
}
