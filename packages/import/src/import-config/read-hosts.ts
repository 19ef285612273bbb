// Reads the <group>_hosts groups into hosts with their ip, management ip, groups, affinity and inventory
// host_vars.
import { isMapping } from '../config-dir';
import { finding, ImportInputError } from '../findings';
import { layerOf } from '../variables';
import type { Emit, ImportedHost } from './types';

/** `<group>hosts: {<host>: {ip, management_ip, affinity, ...}}` → hosts with their groups. */
export function readHosts(
  config: Record<string, unknown>,
  originOf: (p: string[]) => string,
  emit: Emit,
): Map<string, ImportedHost> {
  const hosts = new Map<string, ImportedHost>();
  for (const [group, members] of Object.entries(config)) {
    if (!group.endsWith('hosts')) continue;
    const file = originOf([group]);
    if (members === null || (isMapping(members) && Object.keys(members).length === 0)) {
      emit(
        finding(
          'IMPORT_LEFT_OUT',
          file,
          [group],
          `group ${group} has no hosts`,
          'not imported: the definition lists groups per host',
        ),
      );
      continue;
    }
    if (!isMapping(members)) {
      throw new ImportInputError(
        `${group} is ${Array.isArray(members) ? 'a list' : typeof members}; expected a mapping of host names to {ip: ...}`,
        file,
      );
    }
    for (const [name, entry] of Object.entries(members)) {
      const path = [group, name];
      if (!isMapping(entry) || typeof entry.ip !== 'string') {
        throw new ImportInputError(
          `${group}.${name} has no ip: OSA stops with KeyError: 'ip'`,
          originOf(path),
        );
      }
      const existing = hosts.get(name);
      if (existing !== undefined && existing.ip !== entry.ip) {
        throw new ImportInputError(
          `host ${name} has ip ${existing.ip} in one group and ${entry.ip} in ${group}: OSA stops with MultipleIpForHostError`,
          originOf(path),
        );
      }
      const h: ImportedHost = existing ?? { ip: entry.ip, groups: [] };
      if (!h.groups.includes(group)) h.groups.push(group);
      if (typeof entry.management_ip === 'string') h.managementIp ??= entry.management_ip;
      if (isMapping(entry.affinity)) {
        const aff: Record<string, number> = {};
        for (const [k, v] of Object.entries(entry.affinity)) if (typeof v === 'number') aff[k] = v;
        if (h.affinity !== undefined && JSON.stringify(h.affinity) !== JSON.stringify(aff)) {
          emit(
            finding(
              'IMPORT_LEFT_OUT',
              originOf(path),
              [...path, 'affinity'],
              `${name} has a different affinity in another group`,
              'imported the first one; the definition has one affinity per host',
            ),
          );
        } else h.affinity = aff;
      }
      if (isMapping(entry.host_vars)) {
        h.hostVars = layerOf(originOf(path), [...path, 'host_vars'], entry.host_vars);
        emit(
          finding(
            'IMPORT_LEFT_OUT',
            originOf(path),
            [...path, 'host_vars'],
            `inventory host_vars of ${name} (${Object.keys(entry.host_vars).join(', ')})`,
            'read for host networking only, otherwise not imported: the rendered openstack_user_config.yml replaces this file; move them to host_vars/',
          ),
        );
      }
      for (const key of Object.keys(entry)) {
        if (!['ip', 'management_ip', 'affinity', 'host_vars'].includes(key)) {
          emit(
            finding(
              'IMPORT_LEFT_OUT',
              originOf(path),
              [...path, key],
              `${key} of host ${name} is not part of the definition`,
              'not imported: the rendered openstack_user_config.yml will not have it',
            ),
          );
        }
      }
      hosts.set(name, h);
    }
  }
  if (hosts.size === 0)
    throw new ImportInputError('no host groups (<group>_hosts) with hosts: nothing to import');
  return hosts;
}
