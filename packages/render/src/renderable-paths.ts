import {
  ENV_D_HAPROXY_FILE,
  HOST_NAME,
  HOST_NAME_MAX,
  LXC_NETWORK_FILE,
  OPENSTACK_USER_CONFIG_FILE,
  USER_VARIABLES_FILE,
} from '@osa-gitops/core';

/**
 * The files the renderer can produce, apart from the manifest: a fixed set plus one
 * `host_vars/<host>.yml` per host (`hostVarsFile`). A manifest that lists anything else was not
 * written by us, whatever else it says: in the OSA config dir it would make the deployer delete an
 * operator's `user_variables.yml` or `conf.d/*.yml` as an "orphan" (issue 16). `render.property`
 * and `manifest.spec` check that every rendered path is in here, so a new kind of file cannot be
 * rendered without being listed.
 */
export const RENDERED_FILES: readonly string[] = [
  OPENSTACK_USER_CONFIG_FILE,
  ENV_D_HAPROXY_FILE,
  LXC_NETWORK_FILE,
  USER_VARIABLES_FILE,
];

const HOST_VARS = /^host_vars\/([^/]+)\.yml$/;
/** Group variables in a group's folder, as `LXC_NETWORK_FILE` is (`group_vars/haproxy/…`). */
const GROUP_VARS = /^group_vars\/[a-z][a-z0-9_-]*\/[a-z][a-z0-9_-]*\.yml$/;

/**
 * A path of a kind the renderer produces (the manifest aside): one of `RENDERED_FILES`, a
 * `host_vars/<host>.yml`, or a `group_vars/<group>/<name>.yml`. Never `user_variables.yml`,
 * another `user_*.yml`, `conf.d/`, another `env.d/` file, OSA state or secrets.
 */
export function isRenderablePath(path: string): boolean {
  if (RENDERED_FILES.includes(path) || GROUP_VARS.test(path)) return true;
  const host = HOST_VARS.exec(path)?.[1];
  return host !== undefined && HOST_NAME.test(host) && host.length <= HOST_NAME_MAX;
}

/** A directory rendered files live in: the only kind a deploy may create (and remove again). */
export function isRenderedDir(dir: string): boolean {
  return (
    RENDERED_FILES.some((f) => f.startsWith(`${dir}/`)) ||
    dir === 'host_vars' ||
    dir === 'group_vars' ||
    /^group_vars\/[a-z][a-z0-9_-]*$/.test(dir)
  );
}
