import { validateEnvironment } from '@osa-gitops/rules';
import { type SiteDeploySettings } from '@osa-gitops/report';
import { loadSites, type SourceReader } from '@osa-gitops/loader';

/**
 * Runner label and config dir of the given sites, read from their definitions in the working
 * tree. A site whose definition does not load or validate is simply left out (the plan then shows
 * "unknown"); `validate`/`check` are where such a site fails.
 */
export async function readDeploySettings(
  root: string,
  sites: readonly string[],
  reader?: SourceReader,
): Promise<Map<string, SiteDeploySettings>> {
  const out = new Map<string, SiteDeploySettings>();
  if (sites.length === 0) return out;
  for (const r of await loadSites(root, sites, reader ? { reader } : {})) {
    if (!r.ok) continue;
    const { environment } = validateEnvironment(r.value, { site: r.site });
    if (environment) {
      out.set(r.site, {
        runnerLabel: environment.deploy.runnerLabel,
        configDir: environment.deploy.configDir,
        hostNetworking: environment.deploy.hostNetworking,
      });
    }
  }
  return out;
}

/**
 * A SourceReader over files held in memory (path relative to the workspace → text), e.g. the
 * definitions committed at a ref: `plan --head <ref>` shows the deploy settings of that ref.
 */
export function memorySourceReader(files: ReadonlyMap<string, string>): SourceReader {
  const dirs = new Map<string, Set<string>>();
  for (const file of files.keys()) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      let set = dirs.get(dir);
      if (!set) dirs.set(dir, (set = new Set()));
      set.add(parts[i]!);
    }
  }
  const norm = (p: string) => p.replace(/^\.\//, '').replace(/\/+$/, '');
  return {
    readFile: (rel) => files.get(norm(rel)),
    isFile: (rel) => files.has(norm(rel)),
    children: (rel) => [...(dirs.get(norm(rel)) ?? [])].sort(),
  };
}
