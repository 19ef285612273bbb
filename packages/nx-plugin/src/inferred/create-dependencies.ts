import * as fs from 'node:fs';
import * as path from 'node:path';
import { DependencyType, type CreateDependencies, type RawProjectGraphDependency } from '@nx/devkit';
// This one file of core, not its index: Nx loads the plugin for every command, so it stays cheap.
import {
  DEFINITION_SOURCE,
  importedEnvironmentFolders,
} from '@osa-gitops/core/src/sites/environment-imports';

/**
 * Static edges between environment projects, from the relative imports of their files:
 * `site-dc1 → environments-shared` when `environments/dc1/*.ts` imports `../_shared/base`, and
 * `site-dc2 → site-dc1` when a file of dc2 imports one of dc1's. Core's
 * importedEnvironmentFolders finds them, the function the GitHub Action's affected sites use.
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
  const environmentProjects = new Set(ownerOfFolder.values());
  const deps: RawProjectGraphDependency[] = [];
  for (const [source, files] of Object.entries(context.filesToProcess.projectFileMap)) {
    if (!environmentProjects.has(source)) continue;
    for (const { file } of files) {
      if (!DEFINITION_SOURCE.test(file)) continue;
      for (const folder of importedFolders(context.workspaceRoot, file)) {
        const owner = ownerOfFolder.get(`environments/${folder}`);
        if (owner === undefined || owner === source) continue;
        deps.push({ source, target: owner, sourceFile: file, type: DependencyType.static });
      }
    }
  }
  return deps;
};

/** The folders under `environments/` that `file` (workspace-relative) imports from. */
function importedFolders(workspaceRoot: string, file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(workspaceRoot, file), 'utf8');
  } catch {
    return []; // deleted since the file map was built: no edges
  }
  return importedEnvironmentFolders(file, text);
}
