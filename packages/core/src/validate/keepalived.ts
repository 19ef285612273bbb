import type { SiteContext } from './context';
import { haproxyContainerCount } from './haproxy-groups';

/**
 * Rule 11: keepalived as OSA configures it (docs/osa-facts.md#haproxy-keepalived, #keepalived-vrid): VRRP router ids are 1–255
 * and the external and internal instances must differ. OSA turns keepalived on only when
 * `groups.haproxy | length > 1`, so a single haproxy container has no VIP failover at all.
 */
export function checkKeepalived(ctx: SiteContext): void {
  const { externalRouterId, internalRouterId } = ctx.env.haproxy.keepalived;
  for (const [key, id] of [
    ['externalRouterId', externalRouterId],
    ['internalRouterId', internalRouterId],
  ] as const) {
    if (id < 1 || id > 255) {
      ctx.report(
        'VRID_RANGE',
        ['haproxy', 'keepalived', key],
        `virtual router id ${id} is out of range; expected 1–255`,
      );
    }
  }
  if (externalRouterId === internalRouterId) {
    ctx.report(
      'VRID_EQUAL',
      ['haproxy', 'keepalived', 'internalRouterId'],
      `internal and external virtual router ids are both ${internalRouterId}; expected two different ids (OSA's defaults are 10 and 11)`,
    );
  }
  if (haproxyContainerCount(ctx.env) === 1) {
    ctx.report(
      'SINGLE_HAPROXY_HOST',
      ['hosts'],
      'only one haproxy container: the VIPs have no failover (osa-gitops sets haproxy_use_keepalived, which OSA turns off for a single host, so the VIPs are still brought up); expected two or more haproxy hosts for high availability',
    );
  }
}
