// The definition's hosts: ip, management ip, groups, bond members and affinity per host.
import type { EnvironmentInput } from '@osa-gitops/core';
import type { SiteNetworking } from './aggregate-networking';
import type { ImportedHost } from './types';

export function definitionHosts(
  hosts: ReadonlyMap<string, ImportedHost>,
  hostNetworking: SiteNetworking,
): EnvironmentInput['hosts'] {
  const hostsOut: EnvironmentInput['hosts'] = {};
  for (const [name, h] of hosts) {
    const members = hostNetworking.members.get(name);
    hostsOut[name] = {
      ip: h.ip,
      ...(h.managementIp !== undefined ? { managementIp: h.managementIp } : {}),
      groups: h.groups,
      ...(members !== undefined && Object.keys(members).length > 0 ? { bondMembers: members } : {}),
      ...(h.affinity !== undefined ? { affinity: h.affinity } : {}),
    };
  }
  return hostsOut;
}
