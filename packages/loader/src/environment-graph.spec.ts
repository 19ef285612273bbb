import * as fs from 'node:fs';
import * as path from 'node:path';
import { affectedSites } from '@osa-gitops/core';
import { describe, expect, it } from 'vitest';
import { readEnvironmentGraph } from './environment-graph';
import { createTestWorkspace } from './test-workspace';

describe('readEnvironmentGraph', () => {
  it('finds the sites compileSites loads, every folder, and the imports of each', () => {
    const root = createTestWorkspace({
      'environments/_shared/base.ts': 'export const base = {};\n',
      'environments/common/vlans.ts': "import { base } from '../_shared/base';\nexport const v = base;\n",
      'environments/dc-a/environment.ts': "import { base } from '../_shared/base';\nexport default base;\n",
      'environments/dc-a/racks/rack1.ts': 'export const r = 1;\n',
      'environments/dc-b/environment.ts': "import { r } from '../dc-a/racks/rack1';\nexport default { r };\n",
      'environments/dc-c/environment.ts': "export * from './parts/p';\n",
      'environments/dc-c/parts/p.ts': "export { v } from '../../common/vlans.js';\n",
      // A rendered tree is output: nothing in it is read for imports.
      'environments/dc-c/openstack_deploy/evil.ts': "import '../../../dc-a/environment';\n",
      'environments/orphan/openstack_deploy/user_variables.yml': 'a: 1\n',
      'environments/Bad_Name/environment.ts': 'export default {};\n',
      'environments/stray.ts': 'export {};\n',
    });
    const graph = readEnvironmentGraph(root);
    expect(graph.sites).toEqual(['Bad_Name', 'dc-a', 'dc-b', 'dc-c', 'orphan']);
    expect(graph.folders).toEqual(['Bad_Name', '_shared', 'common', 'dc-a', 'dc-b', 'dc-c', 'orphan']);
    expect(Object.fromEntries(graph.imports)).toEqual({
      common: ['_shared'],
      'dc-a': ['_shared'],
      'dc-b': ['dc-a'],
      'dc-c': ['common'],
    });
    expect(affectedSites(['environments/dc-a/racks/rack1.ts'], graph)).toEqual(['dc-a', 'dc-b']);
    expect(affectedSites(['environments/_shared/base.ts'], graph)).toEqual(['dc-a', 'dc-b', 'dc-c']);
  });

  it('reads nothing through a symbolic link', () => {
    const root = createTestWorkspace({
      'environments/dc-a/environment.ts': 'export default {};\n',
      'outside/x.ts': "import '../../_shared/x';\n",
    });
    fs.symlinkSync(path.join(root, 'outside'), path.join(root, 'environments/dc-a/linked'));
    expect(Object.fromEntries(readEnvironmentGraph(root).imports)).toEqual({});
  });
});
