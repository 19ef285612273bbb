import { describe, expect, it } from 'vitest';
import { importedEnvironmentFolders } from './environment-imports';

describe('importedEnvironmentFolders', () => {
  it('finds the environments folders of every relative import form', () => {
    const text = [
      "import { base } from '../_shared/base';",
      "export * from '../dc-a/hosts.js';",
      "import '../common/side-effect';",
      "const lazy = import('../lazy/x');",
      "const cjs = require('../cjs/y.cjs');",
      "import { defineEnvironment } from '@osa-gitops/core';",
      "import local from './local';",
      'const tpl = import(`../template/z`);',
      'const tplCjs = require(`../tplcjs/z`);',
      'const computed = import(`../${dynamic}/z`);', // not followed by the bundler: no edge
      "import dollar from '../dollar$/d';",
      "import {\n  multi,\n} from\n  '../multiline/m';",
    ].join('\n');
    expect(importedEnvironmentFolders('environments/dc-b/environment.ts', text)).toEqual([
      '_shared',
      'cjs',
      'common',
      'dc-a',
      'dc-b',
      'dollar$',
      'lazy',
      'multiline',
      'template',
      'tplcjs',
    ]);
  });

  it('resolves from nested files and ignores targets outside environments/<folder>/', () => {
    expect(
      importedEnvironmentFolders('environments/dc-b/parts/hosts.ts', "import x from '../../dc-a/x';"),
    ).toEqual(['dc-a']);
    for (const spec of ['../types', '../../packages/core/src/index', '../../../../etc/passwd', 'node:fs']) {
      expect(
        importedEnvironmentFolders('environments/dc-b/environment.ts', `import x from '${spec}';`),
      ).toEqual([]);
    }
  });
});
