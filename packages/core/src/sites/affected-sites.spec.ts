import { describe, expect, it } from 'vitest';
import { affectedSites, type EnvironmentGraph } from './affected-sites';

const graph: EnvironmentGraph = {
  sites: ['dc-a', 'dc-b', 'dc-c', 'orphan'],
  folders: ['_shared', 'common', 'dc-a', 'dc-b', 'dc-c', 'orphan', 'unused'],
  imports: new Map([
    ['dc-a', ['_shared']],
    ['dc-b', ['_shared', 'dc-a']],
    ['dc-c', ['common']],
    ['common', ['_shared']],
  ]),
};

describe('affectedSites', () => {
  it('maps a change in a site folder to that site (definition, helpers, committed tree)', () => {
    expect(affectedSites(['environments/dc-c/environment.ts', 'docs/x.md'], graph)).toEqual(['dc-c']);
    expect(affectedSites(['environments/orphan/openstack_deploy/user_variables.yml'], graph)).toEqual([
      'orphan',
    ]);
  });

  it('adds every site importing a changed folder, directly or through another folder', () => {
    // dc-b imports a file from dc-a's folder.
    expect(affectedSites(['environments/dc-a/racks.ts'], graph)).toEqual(['dc-a', 'dc-b']);
    expect(affectedSites(['environments/common/vlans.ts'], graph)).toEqual(['dc-c']);
    // dc-c reaches _shared through common.
    expect(affectedSites(['environments/_shared/base.ts'], graph)).toEqual(['dc-a', 'dc-b', 'dc-c']);
  });

  it('touches no site for a folder nothing imports, or one that no longer exists', () => {
    expect(affectedSites(['environments/unused/x.ts'], graph)).toEqual([]);
    expect(affectedSites(['environments/gone/environment.ts'], graph)).toEqual([]);
    expect(affectedSites([], graph)).toEqual([]);
  });

  it('touches every site for the compiler, the lock file or a file directly under environments/', () => {
    const all = ['dc-a', 'dc-b', 'dc-c', 'orphan'];
    expect(affectedSites(['packages/core/src/model/schema.ts'], graph)).toEqual(all);
    expect(affectedSites(['packages/rules/src/vips.ts'], graph)).toEqual(all);
    expect(affectedSites(['packages/render/src/yaml.ts'], graph)).toEqual(all);
    expect(affectedSites(['package-lock.json'], graph)).toEqual(all);
    expect(affectedSites(['environments/types.ts'], graph)).toEqual(all);
  });

  it('touches no site for code that neither validates nor renders (report, deployer)', () => {
    expect(affectedSites(['packages/report/src/diff/plan.ts'], graph)).toEqual([]);
    expect(affectedSites(['packages/deployer/src/sync.ts'], graph)).toEqual([]);
  });

  it('terminates on import cycles between folders', () => {
    const cyclic: EnvironmentGraph = {
      sites: ['a', 'b'],
      folders: ['a', 'b'],
      imports: new Map([
        ['a', ['b']],
        ['b', ['a']],
      ]),
    };
    expect(affectedSites(['environments/a/x.ts'], cyclic)).toEqual(['a', 'b']);
  });
});
