import { validateEnvironment } from '@osa-gitops/rules';
import { type SiteDeploySettings } from '@osa-gitops/report';
import { loadSites } from '@osa-gitops/loader';

/**
 * Runner label and config dir of the given sites, read from their definitions in the working
 * tree. A site whose definition does not load or validate is simply left out (the plan then shows
 * "unknown"); `validate`/`check` are where such a site fails.
 */
export async function readDeploySettings(
  root: string,
  sites: readonly string[],
): Promise<Map<string, SiteDeploySettings>> {
  const out = new Map<string, SiteDeploySettings>();
  if (sites.length === 0) return out;
  for (const r of await loadSites(root, sites)) {
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
