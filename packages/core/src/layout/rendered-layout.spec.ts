import { describe, expect, it } from 'vitest';
import { readSiteFacts } from '../diff/read-site-facts';
import { MANIFEST_FILE } from '../render/manifest';
import { renderEnvironment } from '../render/render-environment';
import { guideInput } from '../validate/test-fixtures';
import { validateEnvironmentOrThrow } from '../validate/validate-environment';
import {
  ENV_D_HAPROXY_FILE,
  LXC_NETWORK_FILE,
  OPENSTACK_USER_CONFIG_FILE,
  USER_VARIABLES_FILE,
  definitionFile,
  hostOfHostVarsFile,
  hostVarsFile,
  parseRenderedFilePath,
  renderedFilePath,
  renderedTreeDir,
} from './rendered-layout';

describe('the workspace layout', () => {
  it('places a site’s definition and rendered tree', () => {
    expect(definitionFile('dc-east')).toBe('environments/dc-east/environment.ts');
    expect(renderedTreeDir('dc-east')).toBe('environments/dc-east/openstack_deploy');
    expect(renderedFilePath('dc-east', hostVarsFile('infra1'))).toBe(
      'environments/dc-east/openstack_deploy/host_vars/infra1.yml',
    );
  });

  it('reads a rendered file path back, and nothing else', () => {
    expect(parseRenderedFilePath('environments/dc-east/openstack_deploy/host_vars/infra1.yml')).toEqual({
      site: 'dc-east',
      path: 'host_vars/infra1.yml',
    });
    for (const other of [
      'environments/dc-east/environment.ts',
      'environments/dc-east/openstack_deploy/',
      'environments/openstack_deploy/x.yml',
      'x/environments/dc-east/openstack_deploy/x.yml',
    ]) {
      expect(parseRenderedFilePath(other), other).toBeUndefined();
    }
  });

  it('names hosts by their host_vars file only', () => {
    expect(hostOfHostVarsFile(hostVarsFile('infra1'))).toBe('infra1');
    for (const other of [
      'host_vars/a/b.yml',
      'host_vars/.yml',
      'host_vars/a.yaml',
      OPENSTACK_USER_CONFIG_FILE,
    ]) {
      expect(hostOfHostVarsFile(other), other).toBeUndefined();
    }
  });
});

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
