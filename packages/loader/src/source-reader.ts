import * as fs from 'node:fs';
import * as path from 'node:path';
import { findSymlinkSync } from './no-symlinks';

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
  const inside = (rel: string): string | undefined => {
    const abs = path.resolve(absRoot, rel);
    if (abs !== definitions && !abs.startsWith(definitions + path.sep)) return undefined;
    const posix = path.relative(absRoot, abs).split(path.sep).join('/');
    return findSymlinkSync(absRoot, posix) === undefined ? abs : undefined;
  };
  const stat = (abs: string): fs.Stats | undefined => {
    try {
      return fs.lstatSync(abs);
    } catch {
      return undefined; // missing (or a file on the way): an explicitly optional probe
    }
  };
  return {
    readFile(rel) {
      const abs = inside(rel);
      if (abs === undefined || !stat(abs)?.isFile()) return undefined;
      return fs.readFileSync(abs, 'utf8');
    },
    isFile(rel) {
      const abs = inside(rel);
      return abs !== undefined && stat(abs)?.isFile() === true;
    },
    children(rel) {
      const abs = inside(rel);
      if (abs === undefined || !stat(abs)?.isDirectory()) return [];
      return fs.readdirSync(abs);
    },
  };
}
