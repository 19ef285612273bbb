import { describe, expect, it } from 'vitest';
import {
  OPENSTACK_USER_CONFIG_FILE,
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
