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

/**
 * A reader over the real file system under `root`. Files whose real path leaves `root` (a symlink
 * pointing elsewhere) read as missing, so a definition cannot pull in `/etc/...` through a link.
 */
export function createFsSourceReader(root: string): SourceReader {
  const absRoot = path.resolve(root);
  let realRoot: string | undefined;
  const inside = (rel: string): string | undefined => {
    const abs = path.resolve(absRoot, rel);
    try {
      realRoot ??= fs.realpathSync(absRoot);
      const real = fs.realpathSync(abs);
      return real === realRoot || real.startsWith(realRoot + path.sep) ? real : undefined;
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
