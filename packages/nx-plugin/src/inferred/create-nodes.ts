import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CreateNodesV2, ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { createNodesFromFiles } from '@nx/devkit';

// Kept free of core/loader imports: Nx loads this file for every command, so it must stay cheap.
// SITE_NAME is duplicated from core/src/model/names.ts for that reason (asserted equal in the spec).
export const SITE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const SITE_NAME_MAX = 32;

export const SHARED_PROJECT = 'environments-shared';
/** Owns `environments/` itself: the fleet rules, which compare every site, run here once. */
export const FLEET_PROJECT = 'environments-fleet';
/** The tool's own packages: implicit dependencies of every site where they are projects. */
const TOOL_PACKAGES = ['core', 'loader', 'cli'];
export const CLI_BIN = 'packages/cli/bin/osa-gitops.cjs';

/** `site-<name>`: the Nx project of a site. */
export function siteProjectName(site: string): string {
  return `site-${site}`;
}

/**
 * `environments-shared` for `_shared`, `environments-parts-<folder>` for any other folder of
 * definition parts (a helper folder such as `common/`, or a misnamed site folder).
 */
export function partsProjectName(folder: string): string {
  return folder === '_shared' ? SHARED_PROJECT : `environments-parts-${folder}`;
}

/**
 * Inferred projects (nx.json `plugins: ["@osa-gitops/nx-plugin"]`), from file names only (no
 * definition is loaded or read here):
 *
 * - `site-<name>` for every `environments/<name>/environment.ts`, with cached `validate` and
 *   `check` targets that load this site alone (`--no-fleet`), and a `render` target (the render
 *   generator);
 * - a parts project for every other folder holding definition sources (`_shared/`, `common/`, …),
 *   so that `nx affected` maps a change there to the sites importing it: create-dependencies.ts
 *   adds an edge per relative import, including imports between site folders;
 * - `environments-fleet` owning `environments/` itself, whose `validate` runs every site and the
 *   fleet rules (overlapping networks, shared VIPs, router ids) once. It depends on every site,
 *   so any site's change makes it affected.
 *
 * Each environments project's `default` input is its folder without the rendered tree, so a site
 * importing another site's file is not invalidated by that site's `render`. Implicit
 * dependencies on core, loader and cli make a change to the tool itself affect every site.
 */
export const createNodesV2: CreateNodesV2 = [
  'environments/*/**/*.{ts,mts,cts,js,mjs,cjs}',
  (files, _options, context) => {
    // In a checkout of osa-gitops the tool's packages are projects; a workspace using the tool
    // from node_modules has none, and Nx refuses implicit dependencies on missing projects.
    const tool = TOOL_PACKAGES.filter((p) =>
      existsSync(join(context.workspaceRoot, 'packages', p, 'package.json')),
    ).map((p) => `@osa-gitops/${p}`);
    const sites = new Set<string>();
    for (const file of files) {
      const [, folder, base, ...rest] = file.split('/');
      if (base === 'environment.ts' && rest.length === 0 && folder !== undefined && isSiteName(folder)) {
        sites.add(folder);
      }
    }
    let fleetInferred = false;
    return createNodesFromFiles(
      (file) => {
        const [, folder, base, ...rest] = file.split('/');
        if (folder === undefined || base === undefined) return {};
        // Rendered trees hold YAML only; a script there is output, not a definition part.
        if (base === 'openstack_deploy' && rest.length > 0) return {};
        const projects: Record<string, ProjectConfiguration> = {};
        if (sites.has(folder)) projects[`environments/${folder}`] = siteProject(folder, tool);
        else if (!folder.startsWith('.')) projects[`environments/${folder}`] = partsProject(folder);
        if (!fleetInferred && sites.size > 0) {
          projects['environments'] = fleetProject([...sites].sort(), tool);
          fleetInferred = true;
        }
        return { projects };
      },
      files,
      _options,
      context,
    );
  },
];

function isSiteName(name: string): boolean {
  return SITE_NAME.test(name) && name.length <= SITE_NAME_MAX;
}

/** A folder's definition sources: everything but its rendered tree (that is what render writes). */
const DEFINITION_INPUTS = ['{projectRoot}/**/*', '!{projectRoot}/openstack_deploy/**/*'];

function partsProject(folder: string): ProjectConfiguration {
  return {
    root: `environments/${folder}`,
    name: partsProjectName(folder),
    tags: ['scope:environments'],
    namedInputs: { default: DEFINITION_INPUTS },
    targets: {},
  };
}

/**
 * Targets print plain text: Nx may run them at a pseudo-terminal and replays cached output
 * anywhere later (a CI log, a pipe), where colour codes arrive as raw `\u001b[31m` text.
 */
const PLAIN_OUTPUT = { NO_COLOR: '1' };

/**
 * Inputs every validation shares: the tool's sources and the npm packages it runs (known to Nx
 * only where the tool's packages are projects, i.e. in a checkout of osa-gitops).
 */
function toolInputs(tool: readonly string[]): NonNullable<TargetConfiguration['inputs']> {
  return [
    '{workspaceRoot}/packages/core/src/**/*',
    '{workspaceRoot}/packages/rules/src/**/*',
    '{workspaceRoot}/packages/render/src/**/*',
    '{workspaceRoot}/packages/report/src/**/*',
    '{workspaceRoot}/packages/loader/src/**/*',
    '{workspaceRoot}/packages/cli/src/**/*',
    `{workspaceRoot}/${CLI_BIN}`,
    ...(tool.length > 0 ? [{ externalDependencies: ['zod', 'ipaddr.js', 'yaml', 'esbuild'] }] : []),
  ];
}

function siteProject(site: string, tool: readonly string[]): ProjectConfiguration {
  // This site's definition sources and those of every project it imports (the edges of
  // create-dependencies.ts: `_shared/`, helper folders, other sites' files), never another
  // site's sources it does not import: a change to dc-west leaves dc-east's cached result valid.
  const siteInputs: NonNullable<TargetConfiguration['inputs']> = [
    'default',
    { input: 'default', dependencies: true },
    ...toolInputs(tool),
  ];
  const validate: TargetConfiguration = {
    executor: 'nx:run-commands',
    // --no-fleet: this site's own rules, loading this site only. The fleet rules compare all
    // sites and run once, in environments-fleet:validate.
    options: { command: `node ${CLI_BIN} validate ${site} --no-fleet`, env: PLAIN_OUTPUT },
    cache: true,
    inputs: siteInputs,
    outputs: [],
    metadata: {
      description: `Validate environments/${site} (its own rules; the fleet rules run in ${FLEET_PROJECT}:validate)`,
      technologies: ['osa-gitops'],
    },
  };
  const check: TargetConfiguration = {
    executor: 'nx:run-commands',
    options: { command: `node ${CLI_BIN} check ${site} --no-fleet`, env: PLAIN_OUTPUT },
    cache: true,
    // The committed tree is what check compares the fresh render with.
    inputs: [...siteInputs, '{projectRoot}/openstack_deploy/**/*'],
    outputs: [],
    metadata: {
      description: `Check that environments/${site}/openstack_deploy/ is what the definition renders to`,
      technologies: ['osa-gitops'],
    },
  };
  const render: TargetConfiguration = {
    executor: 'nx:run-commands',
    // The CLI, not `nx g …:render` nested in Nx: that printed Nx's banners and colour codes
    // into the target's output. Same rule and bytes as the render generator.
    options: { command: `node ${CLI_BIN} render ${site}`, env: PLAIN_OUTPUT },
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
    namedInputs: { default: DEFINITION_INPUTS },
    implicitDependencies: [...tool],
    targets: { validate, check, render },
  };
}

/**
 * `environments-fleet`: `validate` runs every site's rules and the fleet rules in one process.
 * It depends on every site, so a change to any site makes it affected, and its inputs are every
 * definition source under `environments/`.
 */
function fleetProject(sites: readonly string[], tool: readonly string[]): ProjectConfiguration {
  return {
    root: 'environments',
    name: FLEET_PROJECT,
    tags: ['scope:environments', 'type:fleet'],
    implicitDependencies: [...sites.map(siteProjectName), ...tool],
    targets: {
      validate: {
        executor: 'nx:run-commands',
        options: { command: `node ${CLI_BIN} validate`, env: PLAIN_OUTPUT },
        cache: true,
        inputs: [
          '{workspaceRoot}/environments/**/*',
          '!{workspaceRoot}/environments/*/openstack_deploy/**/*',
          ...toolInputs(tool),
        ],
        outputs: [],
        metadata: {
          description: 'Validate every site and the fleet rules across them',
          technologies: ['osa-gitops'],
        },
      },
    },
  };
}
