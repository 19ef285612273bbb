import { issue, type Environment, type Issue } from '@osa-gitops/core';
import type { SiteContext } from './context';
import { quote } from './context';

/**
 * Rule 11b, router ids others use (issue 26, item 5): keepalived's external instance advertises on
 * the public VLAN, where the gateways often run VRRP of their own, and the internal one on the
 * management network. Two VRRP routers with one id on one segment fight over one virtual MAC
 * (docs/osa-facts.md#keepalived-vrid); the fleet check only knew the fleet's own sites. A site
 * declares the ids others use (`haproxy.keepalived.routerIdsInUse`), and its own ids must be none
 * of them (KEEPALIVED_ROUTER_ID_IN_USE); each declared id is 1–255 like the site's own (VRID_RANGE,
 * from the schema's `boundedInt`).
 */
export function checkRouterIdsInUse(ctx: SiteContext): void {
  const k = ctx.env.haproxy.keepalived;
  for (const side of ['external', 'internal'] as const) {
    const inUse = k.routerIdsInUse?.[side] ?? [];
    const own = side === 'external' ? k.externalRouterId : k.internalRouterId;
    if (inUse.includes(own)) {
      ctx.report(
        'KEEPALIVED_ROUTER_ID_IN_USE',
        ['haproxy', 'keepalived', side === 'external' ? 'externalRouterId' : 'internalRouterId'],
        `${side} virtual router id ${own} is declared in use on the ${side === 'external' ? 'public VLAN' : 'management network'} (routerIdsInUse.${side}); expected an id nobody else uses there, because two VRRP routers with one id on one segment fight over one virtual MAC`,
      );
    }
  }
}

/**
 * Sites sharing `publicSegment` share its routers: a site's external id must not be one that
 * another site of the segment declares in use there (FLEET_VRID_CONFLICT, like two sites' ids).
 * Indexed by segment and id (validateFleet never compares all pairs of sites).
 */
export function routerIdsInUseConflicts(envs: readonly Environment[], issues: Issue[]): void {
  /** `segment \0 id` → the sites declaring it in use. */
  const declared = new Map<string, Environment[]>();
  for (const env of envs) {
    if (env.publicSegment === undefined) continue;
    for (const id of new Set(env.haproxy.keepalived.routerIdsInUse?.external ?? [])) {
      const slot = `${env.publicSegment}\u0000${id}`;
      declared.set(slot, [...(declared.get(slot) ?? []), env]);
    }
  }
  for (const env of envs) {
    const segment = env.publicSegment;
    if (segment === undefined) continue;
    const id = env.haproxy.keepalived.externalRouterId;
    for (const other of declared.get(`${segment}\u0000${id}`) ?? []) {
      if (other === env) continue; // the site's own declaration: KEEPALIVED_ROUTER_ID_IN_USE
      issues.push(
        issue(
          'FLEET_VRID_CONFLICT',
          env.name,
          ['haproxy', 'keepalived', 'externalRouterId'],
          `external virtual router id ${id} is declared in use on public segment ${quote(segment)} by site ${other.name} (routerIdsInUse.external); expected an id nobody on the segment uses`,
        ),
      );
    }
  }
}
