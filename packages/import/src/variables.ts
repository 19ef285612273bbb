import type { ParsedConfigDir, ParsedFile } from './config-dir';
import { isMapping } from './config-dir';

/** Where a variable's value came from. */
export interface VarHit {
  readonly value: unknown;
  readonly file: string;
  readonly path: readonly (string | number)[];
}

export interface VarLayer {
  readonly file: string;
  /** Path of the mapping inside the file (`[]` for a vars file). */
  readonly base: readonly (string | number)[];
  readonly vars: Readonly<Record<string, unknown>>;
}

/**
 * Ansible's variable precedence, as far as an OSA config dir decides it, highest first
 * (Ansible "Understanding variable precedence"; the openstack-ansible wrapper
 * `scripts/openstack-ansible.sh` @ ff08037 passes every `user_*.yml` as `-e @file`, in `ls`
 * order, so a later file wins):
 *
 * 1. extra vars: `user_*.yml`;
 * 2. `host_vars/<host>` files;
 * 3. the inventory's host vars: `host_vars:` under the host in openstack_user_config;
 * 4. `group_vars/<group>` files (a more specific group above `hosts`, above `all`);
 * 5. the inventory's `all` vars: `global_overrides`.
 */
export class VarScope {
  constructor(private readonly layers: readonly VarLayer[]) {}

  /** The winning value and every other place that sets the name (shadowed). */
  lookup(name: string): { hit?: VarHit; shadowed: VarHit[] } {
    const hits: VarHit[] = [];
    for (const layer of this.layers) {
      if (Object.hasOwn(layer.vars, name)) {
        hits.push({ value: layer.vars[name], file: layer.file, path: [...layer.base, name] });
      }
    }
    const [hit, ...shadowed] = hits;
    return hit === undefined ? { shadowed: [] } : { hit, shadowed };
  }

  value(name: string): unknown {
    return this.lookup(name).hit?.value;
  }
}

function fileLayers(files: readonly ParsedFile[] | undefined): VarLayer[] {
  // Within a vars dir (or the extra-vars list) a later file overrides an earlier one.
  return [...(files ?? [])].reverse().map((f) => ({ file: f.path, base: [], vars: f.data }));
}

/** The scope of a physical host (what openstack_hosts sees on it). */
export function hostScope(
  dir: ParsedConfigDir,
  host: string,
  groups: readonly string[],
  inventoryHostVars: VarLayer | undefined,
  globalOverrides: VarLayer | undefined,
): VarScope {
  const specific = [...new Set(groups)]
    .filter((g) => g !== 'all' && g !== 'hosts')
    .sort()
    .reverse();
  return new VarScope([
    ...fileLayers(dir.userVariables),
    ...fileLayers(dir.hostVars.get(host)),
    ...(inventoryHostVars ? [inventoryHostVars] : []),
    ...specific.flatMap((g) => fileLayers(dir.groupVars.get(g))),
    ...fileLayers(dir.groupVars.get('hosts')),
    ...fileLayers(dir.groupVars.get('all')),
    ...(globalOverrides ? [globalOverrides] : []),
  ]);
}

/**
 * The scope of the haproxy containers: extra vars, then the container groups' group_vars
 * (`haproxy`, `haproxy_container`, `haproxy_all`, `all_containers`), then `all`.
 */
export function haproxyScope(dir: ParsedConfigDir, globalOverrides: VarLayer | undefined): VarScope {
  return new VarScope([
    ...fileLayers(dir.userVariables),
    ...['haproxy', 'haproxy_container', 'haproxy_all', 'all_containers'].flatMap((g) =>
      fileLayers(dir.groupVars.get(g)),
    ),
    ...fileLayers(dir.groupVars.get('all')),
    ...(globalOverrides ? [globalOverrides] : []),
  ]);
}

export function layerOf(
  file: string,
  base: readonly (string | number)[],
  value: unknown,
): VarLayer | undefined {
  return isMapping(value) ? { file, base, vars: value } : undefined;
}
