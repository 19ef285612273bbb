import {
  ENV_D_HAPROXY_FILE,
  guideInput,
  hostVarsFile,
  LXC_NETWORK_FILE,
  OPENSTACK_USER_CONFIG_FILE,
  USER_VARIABLES_FILE,
} from '@osa-gitops/core';
import { MANIFEST_FILE, renderEnvironment } from '@osa-gitops/render';
import { validateEnvironmentOrThrow } from '@osa-gitops/rules';
import { describe, expect, it } from 'vitest';
import { readSiteFacts } from './read-site-facts';

// Core's layout module names the files; this checks, where both are visible, that the renderer
// writes them and the diff reads them back by those names (core/src/layout/rendered-layout.spec.ts
// covers the names themselves).
describe('render and diff share the layout', () => {
  const env = validateEnvironmentOrThrow(guideInput());
  const tree = renderEnvironment(env);

  it('render writes exactly the files the layout names', () => {
    const hosts = Object.keys(env.hosts).sort();
    expect([...tree.keys()].sort()).toEqual(
      [
        OPENSTACK_USER_CONFIG_FILE,
        USER_VARIABLES_FILE,
        ENV_D_HAPROXY_FILE,
        LXC_NETWORK_FILE,
        MANIFEST_FILE,
        ...hosts.map(hostVarsFile),
      ]
        .filter((f) => tree.has(f))
        .sort(),
    );
    expect(tree.has(OPENSTACK_USER_CONFIG_FILE) && tree.has(USER_VARIABLES_FILE)).toBe(true);
    expect(hosts.filter((h) => tree.has(hostVarsFile(h)))).not.toEqual([]);
  });

  it('diff reads the renderer’s own output back by those names', () => {
    const facts = readSiteFacts(tree);
    expect(facts.externalVip).toBe(env.haproxy.vips.external);
    expect(facts.internalVip).toBe(env.haproxy.vips.internal);
    expect(Object.fromEntries(facts.cidrNetworks)).toEqual(env.networks);
    expect(facts.vlans.size).toBeGreaterThan(0);
    for (const host of facts.vlans.keys()) expect(tree.has(hostVarsFile(host))).toBe(true);
  });
});
