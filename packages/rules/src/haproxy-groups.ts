import { type Environment, HAPROXY_CONTAINER, haproxyHosts, normalizeGroup } from '@osa-gitops/core';

/**
 * OSA inventory facts about the haproxy container that several rules share. From stock env.d
 * (docs/osa-facts.md#guide-step-1, #generated-inventory): `haproxy_container` belongs to `haproxy_containers` and
 * `load_balancer_containers` and holds the component group `haproxy`; `haproxy_all` holds hosts
 * and containers; `all_containers` and `all` hold every container.
 */

/** Groups whose members include the haproxy containers: a network bound here reaches them. */
export const HAPROXY_CONTAINER_GROUPS: ReadonlySet<string> = new Set([
  'all',
  'all_containers',
  'haproxy',
  'haproxy_all',
  'haproxy_container',
  'haproxy_containers',
  'load_balancer_containers',
]);

/**
 * Groups whose members all live on `haproxy_hosts`, where the renderer builds the public bridge
 * (host_vars of haproxy hosts only). `load_balancer_containers` is left out: its containers may sit
 * on `load_balancer_hosts`, which get no bridge.
 */
export const PUBLIC_BRIDGE_GROUPS: ReadonlySet<string> = new Set([
  'haproxy',
  'haproxy_all',
  'haproxy_container',
  'haproxy_containers',
  'haproxy_hosts',
]);

/** Physical host groups (`*_hosts`, `hosts`): every other group holds containers. */
export function isHostGroup(group: string): boolean {
  const g = normalizeGroup(group);
  return g === 'hosts' || g.endsWith('_hosts');
}

/** Affinity of one host for the haproxy container: OSA's default is 1, 0 means none (docs/osa-facts.md#host-entries). */
export function haproxyAffinity(env: Environment, host: string): number {
  const n = env.hosts[host]?.affinity?.[HAPROXY_CONTAINER] ?? 1;
  return Math.max(0, n);
}

/** How many haproxy containers OSA creates: one per haproxy host times its affinity. */
export function haproxyContainerCount(env: Environment): number {
  return haproxyHosts(env).reduce((n, host) => n + haproxyAffinity(env, host), 0);
}
