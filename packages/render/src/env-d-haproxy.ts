import { HAPROXY_CONTAINER } from '@osa-gitops/core';

/**
 * Only `is_metal: false`: OSA merges a user env.d over its stock `inventory/env.d/haproxy.yml`, so
 * `belongs_to`/`contains` stay OSA's (docs/osa-facts.md#guide-step-1, #env-d). Writing a list here
 * would replace OSA's list instead.
 */
export function renderEnvDHaproxy(): Record<string, unknown> {
  return { container_skel: { [HAPROXY_CONTAINER]: { properties: { is_metal: false } } } };
}
