import {
  HAPROXY_CONTAINER,
  haproxyHosts,
  HOST_NAME,
  HOST_NAME_MAX,
  ipv4,
  managementCidrName,
  OSA_CONTAINER_SKELS,
} from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';
const { contains, isNetworkOrBroadcast, parseAddress } = ipv4;

/**
 * Rule 10: hosts as OSA's inventory generator accepts them (docs/osa-facts.md#name-lengths, #generator-errors, #host-entries).
 */

/** OSA's limit on `<host>-<container group with dashes>` for LXC containers (docs/osa-facts.md#name-lengths). */
const CONTAINER_NAME_MAX = 52;
const HAPROXY_CONTAINER_DASHED = HAPROXY_CONTAINER.replace(/_/g, '-');
/** 52 − len('haproxy-container') − 1 = 34. */
export const HAPROXY_HOST_NAME_MAX = CONTAINER_NAME_MAX - HAPROXY_CONTAINER_DASHED.length - 1;

export function checkHosts(ctx: SiteContext): void {
  const { env } = ctx;
  const haproxy = new Set(haproxyHosts(env));
  for (const name of Object.keys(env.hosts)) {
    const path = ['hosts', name];
    if (!HOST_NAME.test(name)) {
      ctx.report(
        'HOST_NAME_INVALID',
        path,
        `host name ${quote(name)} is not valid; expected a lowercase RFC 1123 label (${HOST_NAME.source}), because OSA and DNS use it as is`,
      );
    } else if (name.length > HOST_NAME_MAX) {
      ctx.report(
        'HOST_NAME_TOO_LONG',
        path,
        `host name ${name} is ${name.length} characters; expected at most ${HOST_NAME_MAX} for a metal host (docs/osa-facts.md#name-lengths)`,
      );
    } else if (haproxy.has(name) && name.length > HAPROXY_HOST_NAME_MAX) {
      ctx.report(
        'HOST_NAME_TOO_LONG',
        path,
        `haproxy host name ${name} is ${name.length} characters; expected at most ${HAPROXY_HOST_NAME_MAX}, because OSA refuses container names where "<host>-${HAPROXY_CONTAINER_DASHED}" is longer than ${CONTAINER_NAME_MAX} characters (docs/osa-facts.md#name-lengths)`,
      );
    }
    // Its value is 0–1022 by the model itself (core's bounds.ts, AFFINITY_RANGE).
    for (const skel of Object.keys(env.hosts[name]!.affinity ?? {})) {
      // A typo such as `haproxy: 0` is ignored by OSA, which then creates the container anyway.
      if (!OSA_CONTAINER_SKELS.has(skel)) {
        ctx.report(
          'AFFINITY_UNKNOWN',
          [...path, 'affinity', skel],
          `affinity key ${JSON.stringify(skel)} is not an OSA container_skel name; expected one such as ${HAPROXY_CONTAINER}. OSA ignores unknown keys and creates the container anyway`,
        );
      }
    }
  }

  const mgmtName = managementCidrName(env);
  const mgmt = mgmtName === undefined ? undefined : ctx.cidrs.get(mgmtName);
  const owners = new Map<number, string>();
  for (const [name, host] of Object.entries(env.hosts)) {
    const path = ['hosts', name, 'ip'];
    const ip = parseAddress(host.ip);
    if (ip === undefined) continue;
    const other = owners.get(ip);
    if (other !== undefined) {
      ctx.report(
        'HOST_IP_DUPLICATE',
        path,
        `${host.ip} is already the ip of host ${other}; expected one ip per host. OSA fails with MultipleHostsWithOneIPError (docs/osa-facts.md#generator-errors)`,
      );
    } else {
      owners.set(ip, name);
    }
    // OSA's management address is management_ip when given, else ip (user_defined_setup); it is
    // the address on br-mgmt, so that one must be a host address of the management network.
    const mgmtText = host.managementIp ?? host.ip;
    const mgmtAddress = host.managementIp === undefined ? ip : parseAddress(host.managementIp);
    if (
      mgmt !== undefined &&
      mgmtAddress !== undefined &&
      (!contains(mgmt, mgmtAddress) || isNetworkOrBroadcast(mgmt, mgmtAddress))
    ) {
      ctx.report(
        'HOST_OUTSIDE_MANAGEMENT',
        host.managementIp === undefined ? path : ['hosts', name, 'managementIp'],
        `${mgmtText} is not a host address of the management network ${quote(mgmtName!)} (${mgmt.text}); expected one, because it is the host's management address on ${quote(env.managementBridge)}`,
      );
    }
  }
}
