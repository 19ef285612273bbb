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
 * A reader over the real file system, confined to `<root>/environments/`. A path outside it, or
 * one with any symbolic link on the way (checked with lstat from `environments` itself down),
 * reads as missing: the import policy and the loader's precheck say why (a link is refused with
 * its name, see no-symlinks.ts). Without this a link under environments/ (to a file, or to a whole
 * directory) could pull any .ts or .json of the checkout, or `/etc/...`, into a definition. Core's
 * own sources are not read through here (the import policy reads them from disk, see
 * core-location.ts).
 */
export function createFsSourceReader(root: string): SourceReader {
  const absRoot = path.resolve(root);
  const definitions = path.join(absRoot, DEFINITIONS_DIR);
  // Folders already seen to be real folders (not links). A load reads the same few folders for
  // every site (`environments`, `_shared`, …): their lstat once per reader instead of once per
  // read (a tenth of the loader's own time at 1,000 sites). The last component is lstat-ed on
  // every read, and readers live for one command or one load.
  const realDirs = new Set<string>();
  /** lstat of `abs` when no component from `environments` down is a link; undefined otherwise. */
  const inside = (rel: string): { abs: string; stats: fs.Stats | undefined } | undefined => {
    const abs = path.resolve(absRoot, rel);
    if (abs !== definitions && !abs.startsWith(definitions + path.sep)) return undefined;
    const parts = path.relative(absRoot, abs).split(path.sep);
    let current = absRoot;
    for (let i = 0; i < parts.length; i++) {
      current = path.join(current, parts[i]!);
      const last = i === parts.length - 1;
      if (!last && realDirs.has(current)) continue;
      let stats: fs.Stats;
      try {
        stats = fs.lstatSync(current);
      } catch {
        return { abs, stats: undefined }; // missing (or a file on the way): nothing below is a link
      }
      if (stats.isSymbolicLink()) return undefined;
      if (last) return { abs, stats };
      if (stats.isDirectory()) realDirs.add(current);
    }
    return { abs, stats: undefined };
  };
  return {
    readFile(rel) {
      const at = inside(rel);
      if (at?.stats?.isFile() !== true) return undefined;
      return fs.readFileSync(at.abs, 'utf8');
    },
    isFile(rel) {
      return inside(rel)?.stats?.isFile() === true;
    },
    children(rel) {
      const at = inside(rel);
      if (at?.stats?.isDirectory() !== true) return [];
      return fs.readdirSync(at.abs);
    },
  };
}
