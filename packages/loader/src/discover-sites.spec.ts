import { describe, expect, it } from 'vitest';
import { discoverSites } from './discover-sites';
import { createTestWorkspace } from './test-workspace';

describe('discoverSites', () => {
  it('lists folders with an environment.ts, sorted, skipping _shared and dot folders', () => {
    const root = createTestWorkspace({
      'environments/zeta/environment.ts': 'export default {}',
      'environments/alpha/environment.ts': 'export default {}',
      'environments/_shared/base.ts': 'export {}',
      'environments/_shared/environment.ts': 'export default {}',
      'environments/.hidden/environment.ts': 'export default {}',
      'environments/empty/README.md': 'not a site',
      'environments/Bad_Name/environment.ts': 'export default {}',
      'environments/stray.ts': 'export {}',
    });
    // Invalid names are kept so that loadSites reports them (NAME_INVALID) instead of hiding them.
    expect(discoverSites(root)).toEqual(['Bad_Name', 'alpha', 'zeta']);
  });

  it('returns nothing when there is no environments folder', () => {
    const root = createTestWorkspace({ 'README.md': '' });
    expect(discoverSites(root)).toEqual([]);
  });
});
