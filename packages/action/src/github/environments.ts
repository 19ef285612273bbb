import { GitHubApiError } from './api-error.js';
import type { GitHubClient } from './client.js';

interface EnvironmentResponse {
  readonly name?: string;
  readonly protection_rules?: readonly { readonly type?: string }[] | null;
}

/** What the deploy plan needs of the GITHUB_TOKEN to read environments (docs/github.md). */
export const ENVIRONMENTS_PERMISSION = 'actions: read';

/** A GitHub environment a site's deploy waits on: `<site>`, or `<site>-host-networking`. */
export interface SiteEnvironment {
  readonly site: string;
  readonly environment: string;
}

/**
 * Environments that are missing or have no protection rule, each with the reason. The deploy job
 * names `environment: <site>` (and the host-networking approval job `<site>-host-networking`),
 * and GitHub creates a missing environment on first use with no reviewers and no branch rule: a
 * new site (or a typo'd one) would deploy without anyone approving it. Any rule counts (required
 * reviewers, a wait timer, a deployment-branch policy, a custom protection rule); which ones a
 * site needs is the repository admin's choice.
 */
export async function unprotectedEnvironments(
  client: GitHubClient,
  wanted: readonly SiteEnvironment[],
): Promise<{ readonly site: string; readonly environment: string; readonly reason: string }[]> {
  const problems: { site: string; environment: string; reason: string }[] = [];
  for (const { site, environment } of wanted) {
    let env: EnvironmentResponse;
    try {
      env = await client.request<EnvironmentResponse>(
        'GET',
        client.repoPath(`/environments/${encodeURIComponent(environment)}`),
        { permission: ENVIRONMENTS_PERMISSION },
      );
    } catch (err) {
      if (err instanceof GitHubApiError && err.status === 404) {
        problems.push({
          site,
          environment,
          reason: `there is no environment "${environment}" (GitHub would create it on first deploy, unprotected)`,
        });
        continue;
      }
      throw err;
    }
    if (!Array.isArray(env.protection_rules) || env.protection_rules.length === 0) {
      problems.push({
        site,
        environment,
        reason: `the environment "${environment}" has no protection rules`,
      });
    }
  }
  return problems;
}
