import * as fs from 'node:fs';
import * as path from 'node:path';
import { DependencyType, type CreateDependencies, type RawProjectGraphDependency } from '@nx/devkit';

/** Module specifiers of `import … from`, `export … from`, `import '…'` and `import('…')`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"\n]+)['"]/g;

/**
 * Static edges between environment projects, from the relative imports of their files:
 * `site-dc1 → environments-shared` when `environments/dc1/*.ts` imports `../_shared/base`.
 * Without them (Nx only analyses source files when @nx/js is installed) `nx affected` would not
 * know which sites a change under `environments/_shared/` touches.
 *
 * Only files Nx asks about (`filesToProcess`) are read; edges of unchanged files come from
 * Nx's per-file cache, which is why every edge names its `sourceFile`.
 */
export const createDependencies: CreateDependencies = (_options, context) => {
  const ownerOfFolder = new Map<string, string>();
  // `context.projects` is keyed by project name; the folder is `root`.
  for (const [name, project] of Object.entries(context.projects)) {
    if (project.root.startsWith('environments/')) ownerOfFolder.set(project.root, name);
  }
  const deps: RawProjectGraphDependency[] = [];
  for (const [source, files] of Object.entries(context.filesToProcess.projectFileMap)) {
    const sourceRoot = [...ownerOfFolder].find(([, name]) => name === source)?.[0];
    if (sourceRoot === undefined) continue;
    for (const { file } of files) {
      if (!/\.[cm]?[jt]s$/.test(file)) continue;
      for (const target of importedFolders(context.workspaceRoot, file)) {
        const owner = ownerOfFolder.get(target);
        if (owner === undefined || owner === source) continue;
        deps.push({ source, target: owner, sourceFile: file, type: DependencyType.static });
      }
    }
  }
  return deps;
};

/** `environments/<folder>` of every relative import in `file` (workspace-relative). */
function importedFolders(workspaceRoot: string, file: string): Set<string> {
  const out = new Set<string>();
  let text: string;
  try {
    text = fs.readFileSync(path.join(workspaceRoot, file), 'utf8');
  } catch {
    return out; // deleted since the file map was built: no edges
  }
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1]!;
    if (!spec.startsWith('.')) continue;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    const parts = target.split('/');
    if (parts[0] === 'environments' && parts.length > 2) out.add(`environments/${parts[1]}`);
  }
  return out;
}
