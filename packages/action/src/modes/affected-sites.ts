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

/** Every folder directly under `environments/` (sites, orphans, helper folders like `common/`). */
export function discoverEnvironmentFolders(root: string): string[] {
  const dir = path.join(root, 'environments');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/**
 * The sites a change touches: a site's own folder (definition, helper files, committed tree), or
 * every site when something they may share changed: `environments/_shared/`, any other folder
 * under `environments/` that still exists but is no site (a helper folder such as `common/`,
 * which a site can import as `../common/x`; which sites do is not known without loading them), a
 * file directly under `environments/`, or the compiler. Paths are relative to the workspace
 * root. A folder that no longer exists (a removed site) touches none: its removal still shows in
 * the report, which is built from the committed trees.
 *
 * Pure: `sites` are the site (and orphan tree) folders, `folders` every folder under
 * `environments/` at the head (discoverEnvironmentFolders).
 */
export function affectedSites(
  changedPaths: readonly string[],
  sites: readonly string[],
  folders: readonly string[],
): string[] {
  const known = new Set(sites);
  const existing = new Set(folders);
  const hit = new Set<string>();
  for (const p of changedPaths) {
    const m = /^environments\/([^/]+)\//.exec(p);
    if (m) {
      const folder = m[1]!;
      if (known.has(folder)) hit.add(folder);
      else if (/^[_.]/.test(folder) || existing.has(folder)) return [...sites];
      continue;
    }
    if (p.startsWith('environments/') || RENDER_INPUTS.some((re) => re.test(p))) return [...sites];
  }
  return [...hit].sort();
}
