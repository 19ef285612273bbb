import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  affectedSites,
  discoverEnvironmentFolders,
  discoverOrphanTreeFolders,
  discoverSiteFolders,
} from './affected-sites.js';

const sites = ['dc-east', 'dc-west', 'lab'];
/** What exists under environments/ at the head: the sites, `_shared`, a helper folder. */
const folders = [...sites, '_shared', 'common'];

describe('affectedSites', () => {
  it('maps files under a site folder to that site', () => {
    expect(
      affectedSites(
        ['environments/dc-west/environment.ts', 'environments/dc-west/openstack_deploy/x.yml', 'docs/a.md'],
        sites,
        folders,
      ),
    ).toEqual(['dc-west']);
  });

  it('touches every site when something they share changes', () => {
    expect(affectedSites(['environments/_shared/base.ts'], sites, folders)).toEqual(sites);
    expect(affectedSites(['packages/core/src/render/yaml.ts'], sites, folders)).toEqual(sites);
    expect(affectedSites(['package-lock.json'], sites, folders)).toEqual(sites);
  });

  it('ignores removed sites and unrelated files', () => {
    expect(
      affectedSites(
        ['environments/gone/environment.ts', 'README.md', 'packages/action/src/x.ts'],
        sites,
        folders,
      ),
    ).toEqual([]);
  });

  it('touches every site when a helper folder that still exists changes (a site may import it)', () => {
    // environments/common/ has no environment.ts and no `_` prefix, yet `../common/x` imports it.
    expect(affectedSites(['environments/common/vlans.ts'], sites, folders)).toEqual(sites);
    expect(affectedSites(['environments/common/deep/x.ts', 'docs/a.md'], sites, folders)).toEqual(sites);
    // A removed site's folder is gone from the head: still nothing.
    expect(affectedSites(['environments/gone/helpers.ts'], sites, folders)).toEqual([]);
    expect(affectedSites(['environments/common/vlans.ts'], sites, sites)).toEqual([]);
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
      write('environments/common/vlans.ts');
      expect(discoverOrphanTreeFolders(root)).toEqual(['orphan']);
      expect(discoverEnvironmentFolders(root)).toEqual(['_shared', 'common', 'empty', 'orphan', 'site-a']);
      const affected = (changed: string[]) =>
        affectedSites(
          changed,
          [...discoverSiteFolders(root), ...discoverOrphanTreeFolders(root)],
          discoverEnvironmentFolders(root),
        );
      expect(affected(['environments/orphan/openstack_deploy/openstack_user_config.yml'])).toEqual([
        'orphan',
      ]);
      expect(affected(['environments/common/vlans.ts'])).toEqual(['site-a', 'orphan']);
      expect(affected(['environments/removed/environment.ts'])).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
