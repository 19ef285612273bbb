/**
 * Where things live: the workspace layout (`environments/<site>/environment.ts` and the site's
 * rendered tree in `environments/<site>/openstack_deploy/`) and the names of the files render
 * writes into that tree. Render writes these names, diff and the report read them back, the CLI,
 * the loader and the action find trees by them: one home, so they cannot drift apart.
 */

/** The workspace folder that holds one folder per site. */
export const ENVIRONMENTS_DIR = 'environments';
/** The folder, inside a site's folder, that holds its rendered tree (OSA's config dir name). */
export const RENDERED_DIR_NAME = 'openstack_deploy';
/** A site's definition entry point, inside the site's folder. */
export const DEFINITION_FILE_NAME = 'environment.ts';

/** Folder of a site's committed tree, relative to the workspace root. */
export function renderedTreeDir(site: string): string {
  return `${ENVIRONMENTS_DIR}/${site}/${RENDERED_DIR_NAME}`;
}

/** The site's definition entry point, relative to the workspace root. */
export function definitionFile(site: string): string {
  return `${ENVIRONMENTS_DIR}/${site}/${DEFINITION_FILE_NAME}`;
}

/** A file of a site's rendered tree, relative to the workspace root. */
export function renderedFilePath(site: string, path: string): string {
  return `${renderedTreeDir(site)}/${path}`;
}

const RENDERED_FILE_PATH = new RegExp(`^${ENVIRONMENTS_DIR}/([^/]+)/${RENDERED_DIR_NAME}/(.+)$`, 's');

/**
 * `environments/<site>/openstack_deploy/<path>` → its site and tree-relative path; undefined for
 * any other workspace path. Says nothing about whether `site` is a valid name.
 */
export function parseRenderedFilePath(path: string): { site: string; path: string } | undefined {
  const m = RENDERED_FILE_PATH.exec(path);
  return m ? { site: m[1]!, path: m[2]! } : undefined;
}

// The files render writes, relative to the tree (docs/osa-facts.md says why each is where it is).

export const OPENSTACK_USER_CONFIG_FILE = 'openstack_user_config.yml';
export const USER_VARIABLES_FILE = 'user_variables_haproxy_lxc.yml';
export const ENV_D_HAPROXY_FILE = 'env.d/haproxy.yml';
export const LXC_NETWORK_FILE = 'group_vars/haproxy/lxc_network.yml';
export const HOST_VARS_PREFIX = 'host_vars/';

/** `host_vars/<host>.yml`, one per host. */
export function hostVarsFile(host: string): string {
  return `${HOST_VARS_PREFIX}${host}.yml`;
}

/** `host_vars/<host>.yml` → `<host>`; undefined for any other path (a nested one included). */
export function hostOfHostVarsFile(path: string): string | undefined {
  if (!path.startsWith(HOST_VARS_PREFIX) || !path.endsWith('.yml')) return undefined;
  const host = path.slice(HOST_VARS_PREFIX.length, -'.yml'.length);
  return host !== '' && !host.includes('/') ? host : undefined;
}
