import { describe, expect, it } from 'vitest';
import { affectedSites } from './affected-sites.js';

const sites = ['dc-east', 'dc-west', 'lab'];

describe('affectedSites', () => {
  it('maps files under a site folder to that site', () => {
    expect(
      affectedSites(
        ['environments/dc-west/environment.ts', 'environments/dc-west/openstack_deploy/x.yml', 'docs/a.md'],
        sites,
      ),
    ).toEqual(['dc-west']);
  });

  it('touches every site when something they share changes', () => {
    expect(affectedSites(['environments/_shared/base.ts'], sites)).toEqual(sites);
    expect(affectedSites(['packages/core/src/render/yaml.ts'], sites)).toEqual(sites);
    expect(affectedSites(['package-lock.json'], sites)).toEqual(sites);
  });

  it('ignores removed sites and unrelated files', () => {
    expect(
      affectedSites(['environments/gone/environment.ts', 'README.md', 'packages/action/src/x.ts'], sites),
    ).toEqual([]);
  });
});
