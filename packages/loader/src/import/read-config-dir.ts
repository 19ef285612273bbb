import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImportInputError, type ConfigFile } from '@osa-gitops/import';

/** Bounds on what import reads: a config dir is a few dozen small files. */
export const CONFIG_DIR_MAX_FILES = 5000;
export const CONFIG_FILE_MAX_BYTES = 4 * 1024 * 1024;

/** The folders of a config dir import walks. */
const READ_DIRS: readonly string[] = ['conf.d', 'env.d', 'group_vars', 'host_vars'];

/** What OSA and Ansible read from a config dir (the rest, e.g. inventory state, is skipped). */
function wanted(rel: string): boolean {
  return (
    rel === 'openstack_user_config.yml' ||
    /^user_[^/]*\.yml$/.test(rel) ||
    /^(?:conf\.d|env\.d)\/.+\.ya?ml$/.test(rel) ||
    /^(?:group_vars|host_vars)\/[^/]+(?:\.ya?ml|\/.+\.ya?ml)?$/.test(rel)
  );
}

/**
 * Read the files of an OSA config dir that import looks at. Throws ImportInputError when `dir` is
 * not a readable directory, holds too much, or holds a symbolic link where import would read
 * (issue 26: a `user_zz.yml` linked to a secret file had its contents printed as an unmodelled
 * variable). `dir` itself may be a link (the operator named it); nothing below it is followed, and
 * files are opened with O_NOFOLLOW. Read-only: nothing in `dir` is ever written.
 */
export function readConfigDir(dir: string): ConfigFile[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new ImportInputError(`${dir} does not exist or cannot be read`);
  }
  if (!st.isDirectory())
    throw new ImportInputError(
      `${dir} is not a directory; expected an OSA config dir such as /etc/openstack_deploy`,
    );
  const files: ConfigFile[] = [];
  const walk = (rel: string, depth: number): void => {
    if (depth > 16) return;
    const abs = path.join(dir, rel);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      throw new ImportInputError(`cannot read ${abs}: ${(err as Error).message}`);
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.')) continue;
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      let s: fs.Stats;
      try {
        s = fs.lstatSync(path.join(dir, childRel));
      } catch (err) {
        throw new ImportInputError(`cannot read ${path.join(dir, childRel)}: ${(err as Error).message}`);
      }
      if (s.isSymbolicLink()) {
        // Top level: only what import reads or walks (inventory state, backups… are not read).
        if (depth === 0 && !wanted(childRel) && !READ_DIRS.includes(e.name)) continue;
        throw new ImportInputError(
          'is a symbolic link; import follows no link inside the config dir (it could point at any file on this machine, and import prints what it reads). Import a copy with the links resolved (cp -rL) after checking where they point',
          childRel,
        );
      }
      if (s.isDirectory()) {
        if (depth === 0 && !READ_DIRS.includes(e.name)) continue;
        walk(childRel, depth + 1);
      } else if (s.isFile() && wanted(childRel)) {
        if (files.length >= CONFIG_DIR_MAX_FILES) {
          throw new ImportInputError(
            `more than ${CONFIG_DIR_MAX_FILES} files to read; is ${dir} really an OSA config dir?`,
          );
        }
        if (s.size > CONFIG_FILE_MAX_BYTES) {
          throw new ImportInputError(`is larger than ${CONFIG_FILE_MAX_BYTES} bytes`, childRel);
        }
        files.push({ path: childRel, text: readNoFollow(path.join(dir, childRel)) });
      }
    }
  };
  walk('', 0);
  return files;
}

/** A regular file's text, refusing a link swapped in since it was looked at (O_NOFOLLOW). */
function readNoFollow(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (err) {
    throw new ImportInputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}
