import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the `@osa-gitops/core` sources live on disk. */
export interface CoreLocation {
  /** Real path of the package folder. */
  readonly packageDir: string;
  /** `src/definition-api.ts`: what `import … from '@osa-gitops/core'` means in a definition. */
  readonly entry: string;
}

let cached: CoreLocation | undefined;

/**
 * The core that ships with this loader, resolved from the loader's own position (an npm-workspace
 * symlink). Definitions are bundled against it from disk, not through the SourceReader: core is
 * tool code, not part of the definition, and an in-memory test Tree does not contain it.
 */
export function locateCore(): CoreLocation {
  if (cached) return cached;
  const packageDir = fs.realpathSync(path.dirname(require.resolve('@osa-gitops/core/package.json')));
  cached = { packageDir, entry: path.join(packageDir, 'src', 'definition-api.ts') };
  return cached;
}
