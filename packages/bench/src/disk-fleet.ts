import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticSite } from './fleet';

/**
 * The bench's synthetic fleet written to disk as real definitions, for the end-to-end rows: a
 * temp workspace with `environments/<site>/environment.ts` (10 hosts each; every site imports
 * its provider networks from `environments/_shared/`, as the examples do), an `nx.json` naming
 * the plugin, and `node_modules` linked to this repository's, so `nx` and the CLI run there as
 * they would in a user's checkout. Returns the workspace root (the caller removes it).
 */
export function writeDiskFleet(repoRoot: string, sites: number, hosts = 10): string {
  const root = mkdtempSync(join(tmpdir(), `osa-bench-${sites}-`));
  mkdirSync(join(root, 'environments', '_shared'), { recursive: true });
  const first = syntheticSite(0, hosts);
  writeFileSync(
    join(root, 'environments', '_shared', 'provider-networks.ts'),
    `import type { EnvironmentInput } from '@osa-gitops/core';\n\nexport const providerNetworks: EnvironmentInput['providerNetworks'] = ${JSON.stringify(first.providerNetworks, null, 2)};\n`,
  );
  for (let i = 0; i < sites; i++) {
    const { providerNetworks: _shared, ...site } = syntheticSite(i, hosts);
    const dir = join(root, 'environments', site.name);
    mkdirSync(dir);
    const body = JSON.stringify(site, null, 2).replace(/\n}$/, ',\n  providerNetworks,\n}');
    writeFileSync(
      join(dir, 'environment.ts'),
      `import { defineEnvironment } from '@osa-gitops/core';\nimport { providerNetworks } from '../_shared/provider-networks';\n\nexport default defineEnvironment(${body});\n`,
    );
  }
  writeFileSync(
    join(root, 'nx.json'),
    `${JSON.stringify(
      {
        analytics: false,
        neverConnectToCloud: true,
        useDaemonProcess: false,
        tui: { enabled: false },
        plugins: ['@osa-gitops/nx-plugin'],
        sync: { globalGenerators: ['@osa-gitops/nx-plugin:sync'] },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(root, 'package.json'), '{ "name": "osa-bench-fleet", "private": true }\n');
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  // Nx compiles the TypeScript plugin with the workspace's compiler options.
  copyFileSync(join(repoRoot, 'tsconfig.base.json'), join(root, 'tsconfig.base.json'));
  return root;
}

if (require.main === module) {
  const n = Number(process.argv[2] ?? '1');
  process.stdout.write(`${writeDiskFleet(join(__dirname, '../../..'), n)}\n`);
}
