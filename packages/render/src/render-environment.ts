import {
  ENV_D_HAPROXY_FILE,
  type Environment,
  LXC_NETWORK_FILE,
  OPENSTACK_USER_CONFIG_FILE,
  type RenderedTree,
  SITE_NAME,
  toRenderedTree,
  USER_VARIABLES_FILE,
} from '@osa-gitops/core';
import { renderEnvDHaproxy } from './env-d-haproxy';
import { renderHostVars } from './host-vars';
import { renderLxcNetwork } from './lxc-network';
import { MANIFEST_FILE, renderManifest } from './manifest';
import { renderOpenstackUserConfig } from './openstack-user-config';
import { renderUserVariables } from './user-variables';
import { renderYamlFile } from './yaml';

/**
 * The site's override tree (README.md, "The rendered tree per site"): paths relative to
 * `environments/<site>/openstack_deploy/`, byte-for-byte deterministic. Pure; expects a validated
 * environment (use `compileEnvironment` for untrusted input) and throws on broken invariants.
 * Never renders `openstack_inventory.json` (OSA state) or secrets.
 */
export function renderEnvironment(env: Environment): RenderedTree {
  const site = env.name;
  // The name lands in every marker comment and the manifest: never let it carry a newline or `/`.
  if (!SITE_NAME.test(site)) {
    throw new Error(`render needs a validated environment: ${JSON.stringify(site)} is not a site name`);
  }
  const files = new Map<string, string>([
    [OPENSTACK_USER_CONFIG_FILE, renderYamlFile(site, renderOpenstackUserConfig(env))],
    [ENV_D_HAPROXY_FILE, renderYamlFile(site, renderEnvDHaproxy())],
    [LXC_NETWORK_FILE, renderYamlFile(site, renderLxcNetwork())],
    [USER_VARIABLES_FILE, renderYamlFile(site, renderUserVariables(env))],
  ]);
  for (const [path, vars] of renderHostVars(env)) files.set(path, renderYamlFile(site, vars));
  files.set(MANIFEST_FILE, renderManifest(site, files.keys()));
  return toRenderedTree(files);
}
