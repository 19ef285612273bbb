import type { CreateNodesV2, ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { createNodesFromFiles } from '@nx/devkit';

// Kept free of core/loader imports: Nx loads this file for every command, so it must stay cheap.
// SITE_NAME is duplicated from core/src/model/names.ts for that reason (asserted equal in the spec).
export const SITE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const SITE_NAME_MAX = 32;

export const SHARED_PROJECT = 'environments-shared';
export const CLI_BIN = 'packages/cli/bin/osa-gitops.cjs';

/** `site-<name>`: the Nx project of a site. */
export function siteProjectName(site: string): string {
  return `site-${site}`;
}

/**
 * Inferred projects (nx.json `plugins: ["@osa-gitops/nx-plugin"]`):
 *
 * - `site-<name>` for every `environments/<name>/environment.ts`, with a cached `validate` target
 *   (the CLI) and a `render` target (the render generator);
 * - `environments-shared` owning `environments/_shared/`, so that `nx affected` maps a change
 *   there to the sites importing it (Nx infers those edges from the relative imports).
 *
 * Implicit dependencies on core, loader and cli make a change to the tool itself affect every
 * site, because it can change what validation says about each.
 */
export const createNodesV2: CreateNodesV2 = [
  'environments/*/*.ts',
  (files, _options, context) =>
    createNodesFromFiles(
      (file) => {
        const [, folder, base] = file.split('/');
        if (folder === '_shared') {
          return { projects: { 'environments/_shared': sharedProject() } };
        }
        if (base !== 'environment.ts' || folder === undefined || !isSiteName(folder)) return {};
        return { projects: { [`environments/${folder}`]: siteProject(folder) } };
      },
      files,
      _options,
      context,
    ),
];

function isSiteName(name: string): boolean {
  return SITE_NAME.test(name) && name.length <= SITE_NAME_MAX;
}

function sharedProject(): ProjectConfiguration {
  return {
    root: 'environments/_shared',
    name: SHARED_PROJECT,
    tags: ['scope:environments'],
    targets: {},
  };
}

function siteProject(site: string): ProjectConfiguration {
  const validate: TargetConfiguration = {
    executor: 'nx:run-commands',
    options: { command: `node ${CLI_BIN} validate ${site}` },
    cache: true,
    inputs: [
      // The site's own sources, not its rendered output (that is what render writes).
      '{projectRoot}/**/*',
      '!{projectRoot}/openstack_deploy/**/*',
      // Every other site's definition sources too: the fleet rules (overlapping networks, shared
      // VIPs, router ids) make this site's result depend on them, so a cached "valid" must not
      // survive a change elsewhere. The cost: `nx affected` conservatively re-validates every
      // site when any definition changes. All files, not only `*.ts`: definitions may import
      // `.json`/`.js` parts. Rendered trees are excluded: they are output, not input.
      '{workspaceRoot}/environments/**/*',
      '!{workspaceRoot}/environments/*/openstack_deploy/**/*',
      '{workspaceRoot}/environments/_shared/**/*',
      '{workspaceRoot}/packages/core/src/**/*',
      '{workspaceRoot}/packages/loader/src/**/*',
      `{workspaceRoot}/packages/cli/src/**/*`,
      `{workspaceRoot}/${CLI_BIN}`,
      { externalDependencies: ['zod', 'ipaddr.js', 'yaml', 'esbuild'] },
    ],
    outputs: [],
    metadata: {
      description: `Validate environments/${site} (site and fleet rules) without writing anything`,
      technologies: ['osa-gitops'],
    },
  };
  const render: TargetConfiguration = {
    executor: 'nx:run-commands',
    options: { command: `nx g @osa-gitops/nx-plugin:render --site=${site}` },
    // Writes committed sources: never cached or replayed.
    cache: false,
    metadata: {
      description: `Render environments/${site}/openstack_deploy/ from the definition`,
      technologies: ['osa-gitops'],
    },
  };
  return {
    root: `environments/${site}`,
    name: siteProjectName(site),
    projectType: 'application',
    tags: ['scope:environments', 'type:site'],
    implicitDependencies: ['@osa-gitops/core', '@osa-gitops/loader', '@osa-gitops/cli'],
    targets: { validate, render },
  };
}
