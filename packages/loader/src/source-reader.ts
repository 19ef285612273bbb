import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where definition sources come from. Paths are POSIX and relative to the workspace root.
 *
 * The loader never touches the disk for definition files itself: the CLI passes the fs-backed
 * reader, the Nx plugin a Tree-backed one, so a generator sees files written earlier in the same
 * run and unit tests can use Nx's in-memory Tree.
 */
export interface SourceReader {
  /** Text of a file, or `undefined` when it is not a readable file. */
  readFile(relPath: string): string | undefined;
  isFile(relPath: string): boolean;
  /** Names of the entries directly inside a folder (files and folders); `[]` when it does not exist. */
  children(relDir: string): string[];
}

/** The only folder of the workspace a definition may be read from (SECURITY.md, "Imports"). */
export const DEFINITIONS_DIR = 'environments';

/**
 * A reader over the real file system, confined to `<root>/environments/`. Every path is resolved
 * to its real path (all symlinks followed) and must stay inside the real `<root>/environments`;
 * anything else reads as missing. The import policy only checks the path as written, so without
 * this a symlink under environments/ (to a file, or to a whole directory) could pull any .ts or
 * .json of the checkout, or `/etc/...`, into a definition. `environments` itself must be a real
 * directory of the root, not a link elsewhere. Core's own sources are not read through here
 * (the import policy reads them from disk, see core-location.ts).
 */
export function createFsSourceReader(root: string): SourceReader {
  const absRoot = path.resolve(root);
  let realDefinitions: string | undefined;
  const inside = (rel: string): string | undefined => {
    const abs = path.resolve(absRoot, rel);
    try {
      realDefinitions ??= path.join(fs.realpathSync(absRoot), DEFINITIONS_DIR);
      const real = fs.realpathSync(abs);
      return real === realDefinitions || real.startsWith(realDefinitions + path.sep) ? real : undefined;
    } catch {
      return undefined; // missing: an explicitly optional probe
    }
  };
  return {
    readFile(rel) {
      const real = inside(rel);
      if (real === undefined || !fs.statSync(real).isFile()) return undefined;
      return fs.readFileSync(real, 'utf8');
    },
    isFile(rel) {
      const real = inside(rel);
      return real !== undefined && fs.statSync(real).isFile();
    },
    children(rel) {
      const real = inside(rel);
      if (real === undefined || !fs.statSync(real).isDirectory()) return [];
      return fs.readdirSync(real);
    },
  };
}
