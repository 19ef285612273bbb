import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { affectedSites, discoverOrphanTreeFolders, discoverSiteFolders } from './affected-sites.js';

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

describe('discoverOrphanTreeFolders', () => {
  it('finds committed trees without a definition, so validate can fail the PR', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'orphans-'));
    try {
      const write = (rel: string) => {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), 'x\n');
      };
      write('environments/site-a/environment.ts');
      write('environments/site-a/openstack_deploy/openstack_user_config.yml');
      write('environments/orphan/openstack_deploy/openstack_user_config.yml');
      write('environments/_shared/openstack_deploy/x.yml');
      fs.mkdirSync(path.join(root, 'environments/empty/openstack_deploy'), { recursive: true });
      expect(discoverOrphanTreeFolders(root)).toEqual(['orphan']);
      expect(
        affectedSites(
          ['environments/orphan/openstack_deploy/openstack_user_config.yml'],
          [...discoverSiteFolders(root), ...discoverOrphanTreeFolders(root)],
        ),
      ).toEqual(['orphan']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
