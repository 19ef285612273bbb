import { createRequire } from 'node:module';
import * as path from 'node:path';

/**
 * How `import` formats the definition it writes: with the workspace's own prettier and config,
 * when the workspace has prettier; else the source stays as printed. The CLI and the Nx import
 * generator both pass it to prepareImport, so the source that is validated (and whose lines the
 * issues point at) is the source that is written.
 */
export function workspaceFormatter(root: string): (source: string) => Promise<string> {
  return async (source) => {
    try {
      const prettier = createRequire(path.join(root, 'package.json'))('prettier') as {
        format(s: string, o: object): Promise<string>;
        resolveConfig(f: string): Promise<object | null>;
      };
      const file = path.join(root, 'environments', 'environment.ts');
      const config = (await prettier.resolveConfig(file)) ?? {};
      return await prettier.format(source, { ...config, filepath: file });
    } catch {
      return source;
    }
  };
}
